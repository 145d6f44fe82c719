using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>
    /// A loop whose iterations are independent but for what they write elsewhere: each iteration
    /// fills its local arrays (<c>xCentered[id] = ...</c> for every id) and its local scalars before
    /// it reads them, and writes other arrays only at elements it does not read back. The forward
    /// sweep runs such a loop as written, saving only the elements it overwrites in other arrays;
    /// the reverse sweep replays each iteration's forward half (saving as usual, on a stack of its
    /// own) right before reversing it. The saved state is one iteration's instead of all of them.
    /// <see cref="LocalBuffers"/> and <see cref="LocalScalars"/> (in order of first write) are what the
    /// iterations fill for themselves: the reverse sweep may keep them instead of replaying (<c>Kept</c>).
    /// </summary>
    public sealed record ReplayedLoop(While Loop, int CoreCount, IReadOnlyList<string> LocalBuffers, IReadOnlyList<string> LocalScalars);

    private readonly Dictionary<Block, ReplayedLoop> _replayedBodies = new(ReferenceComparer<Block>.Instance);

    /// <summary>Element stores of replayed loops into other arrays: saved by the forward sweep, on the main stacks.</summary>
    private readonly HashSet<Stmt> _mainStackSaves = new(ReferenceComparer<Stmt>.Instance);

    private void FindReplayedLoops(Block block)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case While loop when _checkpointed.ContainsKey(loop):
                    break; // its reverse reruns whole iterations already
                case While loop when ReplayedLoopOf(loop) is { } replayed:
                    _replayedBodies[loop.Body] = replayed;
                    break; // one level: nothing inside a replayed loop is replayed again
                case While loop:
                    FindReplayedLoops(loop.Body);
                    break;
                case If branch:
                    FindReplayedLoops(branch.Then);
                    FindReplayedLoops(branch.Else);
                    break;
            }
        }
    }

    private ReplayedLoop? ReplayedLoopOf(While loop)
    {
        var body = loop.Body.Statements;
        var coreCount = body.Count;
        while (coreCount > 0 && body[coreCount - 1] is Increment) coreCount--;
        var core = new Block(body.Take(coreCount).ToEquatableArray());
        var steps = body.Skip(coreCount).Cast<Increment>().ToList();
        var written = new HashSet<string>(IrWalker.Writes(core));
        if (steps.Any(s => written.Contains(s.Target))) return null;
        // The analyses here reason about whole arrays, not windows (t.AsSpan(k, n)).
        if (IrWalker.Statements(core).Any(s => s is Invoke or Allocate) || IrWalker.Uses(core).Any(u => u.Array is { IsWindow: true })) return null;

        // What the iteration writes: local scalars and buffers, or elements of other arrays it never reads.
        var buffers = new HashSet<string>(_method.Buffers.Select(b => b.Name));
        var scalars = new HashSet<string>(written.Where(_variables.ContainsKey));
        var localBuffers = new List<string>();
        var readArrays = new HashSet<string>(IrWalker.Statements(core).SelectMany(IrWalker.Reads));
        var conditionElements = new HashSet<string>(IrWalker.Uses(loop.Condition).Where(u => u.Kind == UseKind.ReadElement).Select(u => u.Name));
        readArrays.UnionWith(conditionElements);
        var fills = new Dictionary<string, While>();
        foreach (var array in written.Where(a => !_variables.ContainsKey(a)))
        {
            if (buffers.Contains(array) && FillOf(core, array) is { } fill)
            {
                localBuffers.Add(array);
                fills[array] = fill;
            }
            else if (readArrays.Contains(array)) return null;
        }
        if (localBuffers.Count == 0) return null; // nothing worth replaying

        // Local scalars: each iteration assigns them before reading them, and no one else touches them.
        if (scalars.Any(v => _variables[v].Kind == VariableKind.Parameter || v == _method.ResultVariable)) return null;
        if (!AssignedBeforeRead(core, new HashSet<string>(), scalars)) return null;
        if (IrWalker.Reads(loop.Condition).Any(scalars.Contains)) return null;
        var locals = new HashSet<string>(scalars.Concat(localBuffers));
        if (TouchedOutside(_method.Body, loop, locals)) return null;

        foreach (var store in IrWalker.Statements(core).OfType<Store>())
            if (!localBuffers.Contains(store.Array.Code)) _mainStackSaves.Add(store);
        foreach (var buffer in localBuffers.Where(b => ReplaySavesAreDead(core, b, fills[b])))
            foreach (var store in IrWalker.Statements(core).OfType<Store>())
                if (store.Array.Code == buffer) _deadSaves.Add(store);
        // A local scalar's first assignment in the iteration overwrites the previous iteration's value,
        // which nothing reads again: the statements before it do not read it, each replay assigns it
        // before reading it, and nothing outside the loop touches it.
        foreach (var scalar in scalars)
            if (core.Statements.FirstOrDefault(s => IrWalker.Writes(s, scalar)) is Assign first) _deadSaves.Add(first);
        var order = IrWalker.Writes(core).Distinct().ToList();
        return new ReplayedLoop(loop, coreCount, order.Where(localBuffers.Contains).ToList(), order.Where(scalars.Contains).ToList());
    }

    /// <summary>Stores into replayed loops' local buffers, and first assignments of their local scalars, whose old values no reverse code reads: the replay saves nothing for them.</summary>
    private readonly HashSet<Stmt> _deadSaves = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// The loop that fills the buffer when it is the first statement of the iteration that touches
    /// it and writes every element (<c>for (c = 0; c &lt; length; c++) { buffer[c] = ...; }</c>,
    /// length as allocated) before it reads any, reading only the element it just wrote.
    /// </summary>
    private While? FillOf(Block core, string buffer)
    {
        var allocations = IrWalker.Statements(_method.Body).OfType<Allocate>().Where(a => a.Name == buffer).ToList();
        if (allocations.Count != 1) return null;
        var length = allocations[0].Length;
        if (IrWalker.Reads(length).Intersect(IrWalker.Writes(_method.Body)).Any()) return null;

        var first = core.Statements.FirstOrDefault(s => IrWalker.Touches(s, buffer));
        if (first is not While filler || !_countedLoops.TryGetValue(filler, out var counted)) return null;
        // The bound is the length as allocated, or the array's own length (pooled arrays have exactly the length asked for).
        var wholeLength = Equals(counted.Bound, length) || counted.Bound is LengthOf { Array: { IsWindow: false } array } && array.Code == buffer;
        if (counted is not { Delta: 1, Op: BinaryOp.Less, Start.Value: Constant { Text: "0" } } || !wholeLength) return null;
        var counter = new VarRef(_variables[counted.Counter].Type, counted.Counter);
        var statements = filler.Body.Statements;
        var fill = statements.Select((s, i) => (s, i)).FirstOrDefault(p => IrWalker.Touches(p.s, buffer));
        if (fill.s is not Store store || store.Array.Code != buffer || !Equals(store.Index, counter) || IrWalker.ReadsArray(store.Value, buffer)) return null;
        // After the fill, reads of the buffer are at the counter only, before the counter steps.
        var step = statements.Select((s, i) => (s, i)).First(p => p.s is Increment increment && increment.Target == counted.Counter).i;
        for (var i = fill.i + 1; i < statements.Count; i++)
        {
            var reads = ElementReadsOf(statements[i], buffer);
            if (reads.Count > 0 && (i > step || reads.Any(index => !Equals(index, counter)))) return null;
        }
        return filler;
    }

    /// <summary>
    /// Whether, within one replayed iteration, no reverse code reads an element of the buffer that
    /// a later statement overwrote: every write comes before every statement whose reverse reads
    /// the buffer, or the only writer is the fill loop, whose reads follow the one write of their element.
    /// </summary>
    private bool ReplaySavesAreDead(Block core, string buffer, While fill)
    {
        var writers = new List<int>();
        var readers = new List<int>();
        for (var i = 0; i < core.Statements.Count; i++)
        {
            var statement = core.Statements[i];
            if (IrWalker.Writes(statement, buffer)) writers.Add(i);
            var reads = new HashSet<string>();
            foreach (var s in IrWalker.Statements(new Block(EquatableArray.Of(statement))))
            {
                switch (s)
                {
                    case Assign assign when IsActiveAssignment(assign): CollectDerivativeReads(assign.Value, reads); break;
                    case Store store:
                        reads.UnionWith(IrWalker.Reads(store.Index));
                        if (_activity.IsActive(store.Array.Code)) CollectDerivativeReads(store.Value, reads);
                        break;
                    case If branch: reads.UnionWith(IrWalker.Reads(branch.Condition)); break;
                    case While inner: reads.UnionWith(IrWalker.Reads(inner.Condition)); break;
                }
            }
            if (reads.Contains(buffer)) readers.Add(i);
        }
        if (readers.Count == 0 || writers.Max() < readers.Min()) return true;
        var fillIndex = Enumerable.Range(0, core.Statements.Count).First(i => ReferenceEquals(core.Statements[i], fill));
        return writers.All(w => w == fillIndex) && readers.Min() == fillIndex && WritesTo(fill.Body, buffer) == 1;
    }

    /// <summary>The indices at which a statement (at any depth) reads the array's elements; passing it to a callee counts as a read at no index.</summary>
    private static List<Expr?> ElementReadsOf(Stmt statement, string array) =>
        IrWalker.Uses(statement).Where(u => u.Name == array && u.Kind is UseKind.ReadElement or UseKind.ReadArray or UseKind.WriteArray).Select(u => u.Index).ToList();

    /// <summary>
    /// Whether every read of the <paramref name="scalars"/> follows an assignment to them on every
    /// path through the block (a loop's body may run no times, so what it assigns counts only inside it).
    /// </summary>
    private static bool AssignedBeforeRead(Block block, HashSet<string> assigned, HashSet<string> scalars)
    {
        bool Defined(Expr e) => IrWalker.Reads(e).All(v => !scalars.Contains(v) || assigned.Contains(v));
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assign assign:
                    if (!Defined(assign.Value)) return false;
                    assigned.Add(assign.Target);
                    break;
                case Increment increment:
                    if (scalars.Contains(increment.Target) && !assigned.Contains(increment.Target)) return false;
                    break;
                case Store store:
                    if (!Defined(store.Index) || !Defined(store.Value)) return false;
                    break;
                case If branch:
                    if (!Defined(branch.Condition)) return false;
                    var then = new HashSet<string>(assigned);
                    var otherwise = new HashSet<string>(assigned);
                    if (!AssignedBeforeRead(branch.Then, then, scalars) || !AssignedBeforeRead(branch.Else, otherwise, scalars)) return false;
                    assigned.UnionWith(then.Intersect(otherwise));
                    break;
                case While loop:
                    if (!Defined(loop.Condition) || !AssignedBeforeRead(loop.Body, new HashSet<string>(assigned), scalars)) return false;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>Whether a statement outside the loop (but for allocations) reads or writes one of the names.</summary>
    private static bool TouchedOutside(Block block, While loop, HashSet<string> names)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case While inner when ReferenceEquals(inner, loop):
                    break;
                case While inner:
                    if (names.Any(n => IrWalker.Reads(inner.Condition, n) || IrWalker.ReadsArray(inner.Condition, n)) || TouchedOutside(inner.Body, loop, names)) return true;
                    break;
                case If branch:
                    if (names.Any(n => IrWalker.Reads(branch.Condition, n) || IrWalker.ReadsArray(branch.Condition, n))
                        || TouchedOutside(branch.Then, loop, names) || TouchedOutside(branch.Else, loop, names)) return true;
                    break;
                case Allocate:
                    break;
                default:
                    if (names.Any(n => IrWalker.Touches(statement, n))) return true;
                    break;
            }
        }
        return false;
    }

    /// <summary>
    /// Statements of replayed iterations that the replay leaves out: nothing the reverse sweep reads, nor
    /// any statement replayed after them, is written by them (<c>squaredNorm</c>'s loop when only its
    /// operands' values are read again), and replaying them would save nothing their reverse pops.
    /// </summary>
    private readonly HashSet<Stmt> _unreplayed = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Whether a replay runs this statement of its iteration again (see <see cref="_unreplayed"/>).</summary>
    public bool IsReplayed(Stmt statement) => !_unreplayed.Contains(statement);

    /// <summary>
    /// The variables and arrays a replay reads: the reverse sweep must have restored them by then.
    /// Statements are sliced from the last back, so a statement is replayed when a later replayed one
    /// reads what it writes; the fixpoint of <see cref="ComputeNeeded"/> adds what the reverse sweep reads.
    /// </summary>
    private void CollectReplayReads()
    {
        foreach (var replayed in _replayedBodies.Values)
        {
            if (!HasWork(replayed.Loop, depth: 1)) continue;
            var replayReads = new HashSet<string>(); // what the statements replayed after this one read
            for (var i = replayed.CoreCount - 1; i >= 0; i--)
            {
                var statement = replayed.Loop.Body.Statements[i];
                if (!MustReplay(statement, replayReads))
                {
                    _unreplayed.Add(statement);
                    continue;
                }
                _unreplayed.Remove(statement);
                foreach (var s in IrWalker.Statements(new Block(EquatableArray.Of(statement))))
                {
                    if (s is Store store && _mainStackSaves.Contains(store)) continue; // saved by the forward sweep, not replayed
                    if (s is Increment increment) replayReads.Add(increment.Target);
                    else if (s is Assign or Store or If or While) replayReads.UnionWith(IrWalker.Expressions(s).SelectMany(IrWalker.Reads));
                }
            }
            _needed.UnionWith(replayReads);
        }
    }

    /// <summary>
    /// Whether a replayed iteration's statement must run again: it writes a value that a statement replayed
    /// after it reads, or that the reverse sweep reads (but for the counters of counted loops, which their
    /// reverse sweeps set again before reading them), or its replay would
    /// save something for its reverse to pop (a branch decision, a trip count, a callee's state), or it
    /// leaves the loop early.
    /// </summary>
    private bool MustReplay(Stmt statement, HashSet<string> replayReads)
    {
        bool Read(string name) => replayReads.Contains(name) || (_needed.Contains(name) && !_countedLoops.Values.Any(c => c.Counter == name));
        if (IrWalker.Writes(statement).Any(Read)) return true;
        foreach (var s in IrWalker.Statements(new Block(EquatableArray.Of(statement))))
        {
            switch (s)
            {
                case Break or Continue or Return or Invoke:
                case If branch when HasWork(branch, depth: 1) && !CanRecompute(branch):
                case While loop when HasWork(loop, depth: 1) && !(_countedLoops.TryGetValue(loop, out var counted) && counted.Bound is not null):
                    return true;
            }
            if (IrWalker.Expressions(s).SelectMany(IrWalker.Nodes).Any(node => node is Call)) return true;
        }
        return false;
    }
}
