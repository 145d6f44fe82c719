using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// Where the code being written saves what the reverse sweep needs. Passed down the sweeps, never
    /// stored, so the builder's state is only the code it writes and the names it allocates.
    /// </summary>
    /// <param name="Plain">Writing a loop's body as the forward sweep runs it when the reverse sweep replays or re-advances it: no saves but those the plan puts on the main stacks (<see cref="ReversePlan.SavesOnMainStack"/>).</param>
    /// <param name="Replaying">Writing a replay or the reverse of a replayed body: saves go to the replay record's stacks.</param>
    /// <param name="RestoresKept">Writing the version of a replayed loop's reverse that pops the iterations the forward sweep kept instead of replaying them (<see cref="KeptIteration"/>).</param>
    private readonly record struct Sweep(bool Plain, bool Replaying, bool RestoresKept = false)
    {
        /// <summary>The method's own sweeps: saves on the record's stacks.</summary>
        public static Sweep Recording => default;
    }

    private readonly Dictionary<ScalarType, string> _replayStacks = new();
    private string? _replayRecord;

    /// <summary>
    /// A replayed loop whose iterations may instead be kept: the forward sweep copies what each iteration
    /// filled (its local arrays whole, and the local scalars the reverse sweep reads) onto the main stacks, and
    /// the reverse sweep pops them where it would have replayed the iteration. Only for a replay that saves
    /// nothing itself, so that the state after it is all the reverse sweep reads. Whether a run of the loop
    /// keeps is decided where the loop starts (<see cref="KeepsIterations"/>, under a budget) and pushed after it.
    /// </summary>
    private sealed record KeptIteration(List<Code> Replay, IReadOnlyList<ArraySource> Buffers, IReadOnlyList<VarRef> Scalars);

    private readonly List<Code> _replaySlotDeclarations = new();

    private readonly Dictionary<While, (List<Code> Replay, KeptIteration? Kept)> _replays = new(ReferenceComparer<While>.Instance);

    /// <summary>The forward half of a replayed loop's iteration, run again in the reverse sweep with its saves on the replay stacks.</summary>
    private List<Code> Replay(ReplayedLoop replayed, int depth, Sweep sweep) => Replays(replayed, depth, sweep).Replay;

    /// <summary>What keeping the loop's iterations saves, or null when it cannot (<see cref="KeptIteration"/>).</summary>
    private KeptIteration? Kept(ReplayedLoop replayed, int depth, Sweep sweep) => Replays(replayed, depth, sweep).Kept;

    // Written once per loop, from whichever sweep asks first (a fused loop's reverse comes before its forward):
    // the forward sweep must know whether the replay saves anything before the reverse sweep writes it.
    private (List<Code> Replay, KeptIteration? Kept) Replays(ReplayedLoop replayed, int depth, Sweep sweep)
    {
        if (_replays.TryGetValue(replayed.Loop, out var known)) return known;
        var statements = replayed.Loop.Body.Statements.Take(replayed.CoreCount).Where(_plan.IsReplayed).ToList();
        var replay = new List<Code> { new Comment("Replay this iteration's forward half: only one iteration's values are saved at a time.") };
        var slots = _slotDeclarations.Count;
        replay.AddRange(Forward(new Block(statements.ToEquatableArray()), depth, sweep));
        // What the replay declares (its loops' trip counters) belongs to the reverse sweep's method, whichever sweep wrote it.
        _replaySlotDeclarations.AddRange(_slotDeclarations.Skip(slots));
        _slotDeclarations.RemoveRange(slots, _slotDeclarations.Count - slots);

        KeptIteration? kept = null;
        // The Jacobian's row path reruns its reverse sweeps from one forward sweep: it pops nothing twice.
        if (!_jacobianRows && SavesNothing(replay))
        {
            var written = new HashSet<string>(statements.SelectMany(IrWalker.Writes));
            var buffers = _method.Buffers.Where(b => replayed.LocalBuffers.Contains(b.Name) && written.Contains(b.Name))
                .Select(b => new ArraySource(b.Name, b.Element, ArrayKind.Buffer)).ToList();
            // Every scalar the replay would leave that anything reads afterwards, counters included: a counter read after
            // its loop (picks[s] = w[k]) is read by the reverse sweep before the loop's reverse sets it again.
            var scalars = replayed.LocalScalars.Where(v => written.Contains(v) && _plan.IsNeeded(v))
                .Select(v => new VarRef(_variables[v].Type, v)).ToList();
            if (buffers.Count > 0) kept = new KeptIteration(replay, buffers, scalars);
        }
        _replays[replayed.Loop] = (replay, kept);
        return (replay, kept);
    }

    /// <summary>Whether code computes only: no stack, record, call or buffer of its own.</summary>
    private static bool SavesNothing(IEnumerable<Code> code) => code.All(statement => statement switch
    {
        Declare declare => Computes(declare.Value),
        Set set => Computes(set.Value),
        Step or Comment or StatementComment => true,
        SetElement store => Computes(store.Target) && Computes(store.Value),
        Accumulate accumulate => Computes(accumulate.Target) && Computes(accumulate.Value),
        IfCode branch => Computes(branch.Condition) && SavesNothing(branch.Then) && SavesNothing(branch.Else),
        WhileCode loop => Computes(loop.Condition) && SavesNothing(loop.Body),
        Repeat repeat => Computes(repeat.Count) && SavesNothing(repeat.Body),
        _ => false,
    });

    private static bool Computes(Expr e) => !IrWalker.Nodes(e).Any(node => node is Pop or RecordValue or Call or KeepsIterations);

    /// <summary>The forward sweep's copy of a kept iteration, at the end of its core.</summary>
    private IEnumerable<Code> KeepIteration(KeptIteration kept)
    {
        foreach (var buffer in kept.Buffers) yield return new SaveContents(MainStack(buffer.Element), buffer);
        foreach (var scalar in kept.Scalars) yield return new Push(MainStack(scalar.Type), scalar);
    }

    /// <summary>The reverse sweep's restore of a kept iteration, where it would have replayed it.</summary>
    private IEnumerable<Code> RestoreIteration(KeptIteration kept)
    {
        yield return new Comment("Restore this iteration's values, kept by the forward sweep.");
        for (var i = kept.Scalars.Count - 1; i >= 0; i--) yield return new Set(kept.Scalars[i].Name, new Pop(kept.Scalars[i].Type, MainStack(kept.Scalars[i].Type)));
        for (var i = kept.Buffers.Count - 1; i >= 0; i--) yield return new RestoreContents(MainStack(kept.Buffers[i].Element), kept.Buffers[i]);
    }

    /// <summary>The decision, where a kept loop starts, whether this run of it keeps (<c>ReplayBudget.Keeps</c>): the buffers' lengths on the first one's stack.</summary>
    private KeepsIterations KeepsAt(KeptIteration kept) => new(MainStack(kept.Buffers[0].Element),
        kept.Buffers.Select(b => (Expr)new LengthOf(b)).Aggregate((a, b) => new Binary(ScalarType.Int, BinaryOp.Add, a, b)));

    private string ReplayStack(ScalarType type)
    {
        _replayRecord ??= _names.Named("replay");
        if (!_replayStacks.TryGetValue(type, out var name))
        {
            name = _names.Named(type.Keyword() + "Replay");
            _replayStacks[type] = name;
        }
        return name;
    }

    private IEnumerable<Code> ReplayRecordStart()
    {
        if (_replayRecord is null) yield break;
        yield return new RentRecord(_replayRecord);
        foreach (var stack in _replayStacks) yield return new AliasStack(stack.Value, _replayRecord, stack.Key);
    }

    private IEnumerable<Code> ReplayRecordEnd()
    {
        if (_replayRecord is not null) yield return new ReturnRecord(_replayRecord);
    }
}
