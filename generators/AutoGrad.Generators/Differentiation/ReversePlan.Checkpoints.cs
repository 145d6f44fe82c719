using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Lowering;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>
    /// An outermost counted loop under binomial checkpointing ([Differentiable(CheckpointSnapshots = s)]).
    /// The forward sweep copies the state the loop carries (every scalar and array its body writes)
    /// into snapshot slot 0 and runs the loop as plain primal code. The reverse sweep drives the
    /// runtime's Revolve schedule: it advances by plain iterations, copies the state to and from
    /// s slots, and reverses one iteration at a time by running its forward half with the usual
    /// saves and then its reverse half, so the stacks hold one iteration's saves at most. It ends
    /// by restoring slot 0, the state before the loop, for the reverse of the code before it.
    /// </summary>
    public sealed record CheckpointedLoop(While Loop, IReadOnlyList<VariableInfo> Scalars, IReadOnlyList<ArraySource> Arrays);

    private readonly Dictionary<While, CheckpointedLoop> _checkpointed = new(ReferenceComparer<While>.Instance);

    /// <summary>The loops the user wrote that the opt-in covers but that run without checkpointing, and why.</summary>
    private readonly List<(int Site, string Why)> _notCheckpointed = new();

    private void FindCheckpointedLoops(Block block, bool inBranch)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case While loop when loop.Site < 0:
                    break; // a loop lowering made up (an array's initialisation)
                case While loop when inBranch:
                    _notCheckpointed.Add((loop.Site, "to this loop: it is inside a branch (or follows a return), and only loops at the top of the method are checkpointed"));
                    break;
                case While loop when WhyNotCheckpointed(loop) is { } why:
                    _notCheckpointed.Add((loop.Site, "to this loop: " + why));
                    break;
                case While loop:
                    _checkpointed[loop] = new CheckpointedLoop(loop, CarriedScalars(loop), CarriedArrays(loop));
                    break;
                case If branch:
                    FindCheckpointedLoops(branch.Then, inBranch: true);
                    FindCheckpointedLoops(branch.Else, inBranch: true);
                    break;
            }
        }
    }

    private string? WhyNotCheckpointed(While loop)
    {
        if (IrWalker.Nodes(loop.Condition).Any(node => node is Unary { Op: UnaryOp.Not, Operand: VarRef })) return "it exits early (break or return)";
        if (!_countedLoops.TryGetValue(loop, out var counted) || counted.Bound is null)
            return "it is not a counted loop 'for (int t = a; t < n; t++)' whose bound the loop does not change and whose counter only its increment writes";
        var call = IrWalker.Statements(loop.Body).OfType<Invoke>().FirstOrDefault()?.Target.DisplayName;
        if (call is not null) return $"it calls the void method '{call}', whose saves a checkpointed iteration cannot replay; call a method that returns a value, or move the call out of the loop";
        return null;
    }

    /// <summary>The scalars the loop writes: with the counter, the state one iteration hands the next.</summary>
    private List<VariableInfo> CarriedScalars(While loop)
    {
        var written = new HashSet<string>(IrWalker.Writes(loop.Body));
        return _method.Variables.Where(v => written.Contains(v.Name)).ToList();
    }

    /// <summary>The local buffers and outputs the loop writes, whole.</summary>
    private List<ArraySource> CarriedArrays(While loop)
    {
        var written = new HashSet<string>(IrWalker.Writes(loop.Body));
        return _method.Buffers.Where(b => written.Contains(b.Name)).Select(b => new ArraySource(b.Name, b.Element, ArrayKind.Buffer))
            .Concat(_method.Parameters.Where(p => p.Shape == ParameterShape.Output && written.Contains(p.Name)).Select(p => new ArraySource(p.Name, p.Element, ArrayKind.Output)))
            .ToList();
    }

    /// <summary>The warnings for the loops the opt-in covers but that run without checkpointing.</summary>
    public IEnumerable<DiagnosticInfo> CheckpointDiagnostics(LoweredMethod lowered) =>
        _notCheckpointed.Select(loop => DiagnosticInfo.Create(DiagnosticDescriptors.NotCheckpointed,
            lowered.LoopSites.FirstOrDefault(s => s.Site == loop.Site)?.Location ?? lowered.MethodLocation, loop.Why));

    /// <summary>
    /// Everything a checkpointed loop reads: its plain iterations run again in the reverse sweep,
    /// so what the code after it overwrites must be restored by then.
    /// </summary>
    private void CollectCheckpointReads()
    {
        foreach (var checkpointed in _checkpointed.Values.Where(c => HasWork(c.Loop, depth: 0)))
            _needed.UnionWith(IrWalker.Reads(checkpointed.Loop));
    }

    public bool IsCheckpointed(While loop, int depth) => depth == 0 && _checkpointed.ContainsKey(loop) && HasWork(loop, depth);
}
