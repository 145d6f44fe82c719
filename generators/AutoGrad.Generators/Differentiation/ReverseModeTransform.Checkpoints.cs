using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Lowering;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>The forward sweep of a checkpointed loop: snapshot 0 of the state it carries, then the loop as written, saving nothing.</summary>
    private List<Code> ForwardCheckpointed(While loop, Sweep sweep)
    {
        var checkpointed = _plan.Checkpointed[loop];
        var snapshots = _method.CheckpointSnapshots;
        var output = new List<Code>
        {
            new Comment($"Checkpointed loop: the state it carries is copied to snapshot 0, then it runs saving nothing; its reverse recomputes iterations from at most {snapshots} snapshots."),
            new Set(_slots[checkpointed.Loop], RecomputedTrips(loop)!),
        };
        foreach (var (element, count, buffer) in ScalarSnapshotLayout(checkpointed))
            output.Add(new RentBuffer(element, buffer, new Constant(ScalarType.Int, (count * snapshots).ToString(System.Globalization.CultureInfo.InvariantCulture)), Cleared: false));
        foreach (var array in checkpointed.Arrays)
        {
            var buffer = SnapshotBuffer(checkpointed, array.Code);
            output.Add(new RentBuffer(array.Element, buffer, Times(snapshots, new LengthOf(array)), Cleared: false));
        }
        output.AddRange(CopyState(checkpointed, new Constant(ScalarType.Int, "0"), take: true));
        output.Add(new WhileCode(loop.Condition, Forward(loop.Body, depth: 1, sweep with { Plain = true }).ToEquatableArray()));
        return output;
    }

    /// <summary>The reverse sweep of a checkpointed loop: the Revolve schedule from snapshot 0, then snapshot 0 restored.</summary>
    private List<Code> ReverseCheckpointed(While loop, Sweep sweep)
    {
        var checkpointed = _plan.Checkpointed[loop];
        var slot = _names.Numbered("slot");
        var slotValue = new VarRef(ScalarType.Int, slot);
        var zero = new Constant(ScalarType.Int, "0");
        var advance = Forward(loop.Body, depth: 1, sweep with { Plain = true });
        var reverseStep = Forward(loop.Body, depth: 1, sweep);
        reverseStep.AddRange(Reverse(loop.Body, depth: 1, sweep));

        var output = new List<Code> { new Comment("Checkpointed loop: from the state before it, reverse its iterations last to first as the schedule says.") };
        output.AddRange(CopyState(checkpointed, zero, take: false));
        output.Add(new RevolveLoop(_names.Numbered("schedule"), _names.Numbered("action"), slot, _names.Numbered("advance"),
            new VarRef(ScalarType.Int, _slots[checkpointed.Loop]), _method.CheckpointSnapshots,
            advance.ToEquatableArray(), CopyState(checkpointed, slotValue, take: true).ToEquatableArray(),
            CopyState(checkpointed, slotValue, take: false).ToEquatableArray(), reverseStep.ToEquatableArray()));
        output.AddRange(CopyState(checkpointed, zero, take: false));
        foreach (var (element, _, buffer) in ScalarSnapshotLayout(checkpointed)) output.Add(new ReturnBuffer(element, buffer));
        foreach (var array in checkpointed.Arrays) output.Add(new ReturnBuffer(array.Element, SnapshotBuffer(checkpointed, array.Code)));
        return output;
    }

    /// <summary>Copies the carried state into snapshot <paramref name="slot"/> (<paramref name="take"/>) or back from it.</summary>
    private List<Code> CopyState(CheckpointedLoop checkpointed, Expr slot, bool take)
    {
        var output = new List<Code>();
        foreach (var (element, count, buffer) in ScalarSnapshotLayout(checkpointed))
        {
            var scalars = checkpointed.Scalars.Where(v => v.Type == element).ToList();
            for (var j = 0; j < scalars.Count; j++)
            {
                Expr index = Times(count, slot);
                if (j > 0) index = new Binary(ScalarType.Int, BinaryOp.Add, index, new Constant(ScalarType.Int, j.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                var saved = new ElementRead(element, new ArraySource(buffer, element, ArrayKind.Buffer), Fold(index));
                var current = new VarRef(element, scalars[j].Name);
                output.Add(take ? new SetElement(saved, current) : new Set(current.Name, saved));
            }
        }
        foreach (var array in checkpointed.Arrays)
        {
            var length = new LengthOf(array);
            var whole = array with { Start = new Constant(ScalarType.Int, "0"), Count = length };
            var saved = new ArraySource(SnapshotBuffer(checkpointed, array.Code), array.Element, ArrayKind.Buffer, Fold(new Binary(ScalarType.Int, BinaryOp.Multiply, slot, length)), length);
            output.Add(take ? new CopyContents(whole, saved) : new CopyContents(saved, whole));
        }
        return output;
    }

    /// <summary>Per scalar type the loop carries: how many scalars, and the buffer their snapshots share.</summary>
    private IEnumerable<(ScalarType Element, int Count, string Buffer)> ScalarSnapshotLayout(CheckpointedLoop checkpointed) =>
        checkpointed.Scalars.GroupBy(v => v.Type).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Count(), SnapshotBuffer(checkpointed, g.Key.Keyword())));

    /// <summary>The snapshot buffer of each checkpointed loop's scalar types and arrays, named once the loop is generated.</summary>
    private readonly Dictionary<While, Dictionary<string, string>> _snapshotBuffers = new(ReferenceComparer<While>.Instance);

    private string SnapshotBuffer(CheckpointedLoop checkpointed, string of)
    {
        if (!_snapshotBuffers.TryGetValue(checkpointed.Loop, out var buffers)) _snapshotBuffers[checkpointed.Loop] = buffers = new Dictionary<string, string>();
        if (!buffers.TryGetValue(of, out var name))
        {
            name = _names.Named(of + "Snapshots");
            buffers[of] = name;
            var element = checkpointed.Arrays.FirstOrDefault(a => a.Code == of)?.Element ?? checkpointed.Scalars.First(v => v.Type.Keyword() == of).Type;
            _slotDeclarations.Add(new DeclareBuffer(element, name));
        }
        return name;
    }

    private static Expr Times(int factor, Expr e) =>
        factor == 1 ? e : new Binary(ScalarType.Int, BinaryOp.Multiply, new Constant(ScalarType.Int, factor.ToString(System.Globalization.CultureInfo.InvariantCulture)), e);

    /// <summary>0 * x and 0 + x as the constants they are, so snapshot 0's code reads plainly.</summary>
    private static Expr Fold(Expr e) => e switch
    {
        Binary { Op: BinaryOp.Multiply } m when IsZero(m.Left) || IsZero(m.Right) => new Constant(ScalarType.Int, "0"),
        Binary { Op: BinaryOp.Add } a when IsZero(Fold(a.Left)) => a.Right,
        Binary { Op: BinaryOp.Multiply, Right: Binary inner } m => m with { Right = Fold(inner) },
        _ => e,
    };
}
