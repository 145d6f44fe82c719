using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>How the reverse sweep holds the adjoint of an output (a Span parameter of a void method).</summary>
internal enum OutputAdjoint
{
    /// <summary>Written only by calls, whose pullbacks just read its adjoint: the caller's, as passed.</summary>
    Callers,
    /// <summary>Each element stored once, whose adjoint that store reads once: the caller's, never reset.</summary>
    CallersUnconsumed,
    /// <summary>The reverse sweep consumes the adjoint (a write resets it), so it works on a copy.</summary>
    Copy,
}

/// <summary>
/// What the reverse-mode builders need to know about one method: its analyses, run once, in one
/// fixed order in the constructor, each reading only the facts found before it: last writes,
/// rewritten outputs, counted loops, running extremes, replayed loops, how output adjoints are held, the values the
/// reverse sweep reads (needed), the loop values it recomputes instead (after which needed values
/// are found again), the variables saved once around a loop, the loop the combined core fuses, the
/// calls made to callees' split halves, and the calls the other derivative modes differentiate.
/// Nothing changes after the constructor: the builders (the combined core, the split halves) only
/// query it. Where the combined core and the split halves differ the plan says so: only the core
/// fuses <see cref="Fused"/>, only it reads a variable's result from its last write
/// (<see cref="IsLastWrite"/>), since a split reverse half has only what the record carried, and only
/// its plan checkpoints loops (<see cref="Checkpointed"/>), which changes what else is planned around
/// them; a method that checkpoints has two plans, one with and one without.
/// </summary>
internal sealed partial class ReversePlan
{
    private readonly MethodModel _method;
    private readonly Activity _activity;
    private readonly Dictionary<string, VariableInfo> _variables;
    private readonly HashSet<string> _assigned;
    private readonly HashSet<string> _needed = new();
    private readonly Dictionary<string, OutputAdjoint> _outputAdjoints = new();
    private readonly HashSet<Stmt> _fusedIteration = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Plans the method; with <paramref name="checkpoints"/>, its outermost counted loops under binomial checkpointing when it opts in.</summary>
    public ReversePlan(MethodModel method, Activity activity, bool checkpoints)
    {
        _method = method;
        _activity = activity;
        _variables = method.Variables.ToDictionary(v => v.Name);
        _assigned = new HashSet<string>(IrWalker.Writes(method.Body));
        FindLastWrites(method.Body, new HashSet<string>(), loop: null, writtenAfterLoop: null);
        FindRewrittenOutputs(method.Body, new HashSet<string>());
        FindCountedLoops();
        FindRunningExtremes(method.Body);
        if (checkpoints && method.CheckpointSnapshots > 0) FindCheckpointedLoops(method.Body, inBranch: false);
        FindReplayedLoops(method.Body);
        foreach (var output in method.Parameters.Where(p => p.Shape == ParameterShape.Output))
            _outputAdjoints[output.Name] = OutputAdjointOf(output.Name);
        ComputeNeeded();
        FindRecomputableValues();
        ComputeNeeded(); // a recomputed value needs its operands instead
        FindLoopSaves(method.Body);
        Fused = FindFusableLoop();
        if (Fused is not null) _fusedIteration.UnionWith(IterationAssignments(Fused));
        FindSplitCalls();
        FindForwardValues();
        FindKeptResults(method.Body, depth: 0);
        CallsWithDerivatives = FindCallsWithDerivatives(method.Body, activity);
    }

    public MethodModel Method => _method;

    public Activity Activity => _activity;

    public IReadOnlyDictionary<string, VariableInfo> Variables => _variables;

    /// <summary>Whether the body writes the name anywhere (a parameter that is never reassigned keeps its value).</summary>
    public bool IsAssigned(string name) => _assigned.Contains(name);

    /// <summary>Whether the reverse sweep reads the variable's (or array's) value, so every overwrite of it saves and restores it.</summary>
    public bool IsNeeded(string name) => _needed.Contains(name);

    public OutputAdjoint OutputAdjointOf(ParameterInfo output) => _outputAdjoints[output.Name];

    /// <summary>Outputs whose adjoints the reverse sweep reads without resetting them (see <see cref="StoredOnceEach"/>).</summary>
    public bool IsUnconsumedAdjoint(string array) => _outputAdjoints.TryGetValue(array, out var held) && held == OutputAdjoint.CallersUnconsumed;

    /// <summary>The last top-level loop, when the combined core reverses it inside its forward loop; the split halves never do.</summary>
    public FusedLoop? Fused { get; }

    /// <summary>
    /// Whether the combined core reverses the assignment inside the fused loop's iteration, right after its
    /// forward half: nothing has overwritten its target or operands since, so nothing is restored and the
    /// target still holds its result. (The split halves do not fuse.)
    /// </summary>
    public bool InFusedIteration(Assign assign) => _fusedIteration.Contains(assign);

    /// <summary>The calls the other derivative modes would have to differentiate: call statements, and calls whose value depends on an input.</summary>
    public IReadOnlyList<(CallTarget Target, int Site, bool IsStatement)> CallsWithDerivatives { get; }

    public IReadOnlyDictionary<While, CountedLoop> CountedLoops => _countedLoops;

    /// <summary>The loops run under binomial checkpointing, in order (none in a plan without checkpoints).</summary>
    public IReadOnlyDictionary<While, CheckpointedLoop> Checkpointed => _checkpointed;

    /// <summary>The replayed loops, by body.</summary>
    public IReadOnlyDictionary<Block, ReplayedLoop> ReplayedBodies => _replayedBodies;

    /// <summary>Element stores of replayed loops into other arrays: saved by the forward sweep, on the main stacks.</summary>
    public bool SavesOnMainStack(Stmt store) => _mainStackSaves.Contains(store);

    /// <summary>Stores into a replayed loop's local buffers, and first assignments of its local scalars, whose old values no reverse code reads: the replay saves nothing for them.</summary>
    public bool IsDeadReplaySave(Stmt store) => _deadSaves.Contains(store);

    /// <summary>Per loop body: where in its reverse the recomputations go (before reversing statement Position - 1), in definition order.</summary>
    public IReadOnlyDictionary<Block, (int Position, IReadOnlyList<Assign> Definitions)> RecomputeAt => _recomputeAt;

    /// <summary>Per loop: variables saved once around the whole loop instead of at each assignment inside it.</summary>
    public IReadOnlyDictionary<While, IReadOnlyList<string>> SavedAroundLoop => _savedAroundLoop;

    /// <summary>Whether the assignment's old value is not saved, because its loop saves the variable once.</summary>
    public bool SavedOnceAroundLoop(Stmt assign) => _unsaved.Contains(assign);

    /// <summary>Per call statement: the outputs it overwrites whose earlier contents the reverse sweep still reads.</summary>
    public IReadOnlyDictionary<Stmt, IReadOnlyList<ArraySource>> SavedOutputs => _savedOutputs;

    /// <summary>Per call statement: the outputs it writes whole that an earlier statement (or iteration) may have written too.</summary>
    public IReadOnlyDictionary<Stmt, IReadOnlyList<ArraySource>> RewrittenOutputs => _rewrittenOutputs;

    /// <summary>Whether nothing overwrites the statement's target after it (nor it itself, in a later iteration).</summary>
    public bool IsLastWrite(Stmt statement) => _lastWrites.Contains(statement);

    private static List<(CallTarget, int, bool)> FindCallsWithDerivatives(Block body, Activity activity)
    {
        var found = new List<(CallTarget, int, bool)>();
        foreach (var statement in IrWalker.Statements(body))
        {
            switch (statement)
            {
                case Assign or Store:
                    var value = statement is Assign assign ? assign.Value : ((Store)statement).Value;
                    foreach (var call in IrWalker.Nodes(value).OfType<Call>())
                        if (activity.Depends(call)) found.Add((call.Target, call.Site, false));
                    break;
                case Invoke invoke:
                    found.Add((invoke.Target, invoke.Site, true));
                    break;
            }
        }
        return found;
    }

    private OutputAdjoint OutputAdjointOf(string output)
    {
        if (!IsReadOrStored(_method.Body, output) && !_rewrittenOutputs.Values.Any(outputs => outputs.Any(o => o.Code == output)))
            return OutputAdjoint.Callers;
        return StoredOnceEach(_method.Body, output) ? OutputAdjoint.CallersUnconsumed : OutputAdjoint.Copy;
    }

    /// <summary>
    /// Whether the output is only written, by element stores outside every branch and loop at
    /// distinct constant indices (<c>error[0] = ...; error[1] = ...;</c>): each element is written once.
    /// </summary>
    private static bool StoredOnceEach(Block body, string output)
    {
        var indices = new HashSet<string>();
        foreach (var statement in body.Statements)
        {
            if (statement is Store store && store.Array.Code == output)
            {
                if (store.Array.IsWindow || store.Index is not Constant index || !indices.Add(index.Text)) return false;
            }
            else if (statement is If or While && IrWalker.Touches(statement, output)) return false;
        }
        var read = IrWalker.Statements(body).Any(statement => statement switch
        {
            Store store => IrWalker.ReadsArray(store.Index, output) || IrWalker.ReadsArray(store.Value, output),
            If branch => IrWalker.ReadsArray(branch.Condition, output),
            While loop => IrWalker.ReadsArray(loop.Condition, output),
            _ => IrWalker.Touches(statement, output),
        });
        return indices.Count > 0 && !read;
    }

    /// <summary>Whether the body reads the array's elements, passes it as an input, or writes single elements.</summary>
    private static bool IsReadOrStored(Block block, string array) =>
        IrWalker.Uses(block).Any(u => u.Name == array && u.Kind is UseKind.ReadElement or UseKind.ReadArray or UseKind.WriteElement);
}
