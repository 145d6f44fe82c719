using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Lowering;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
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
    private sealed record CheckpointedLoop(While Loop, string Steps, List<VariableInfo> Scalars, List<ArraySource> Arrays)
    {
        /// <summary>The snapshot buffer of each scalar type and of each array, named once the loop is generated.</summary>
        public Dictionary<string, string> Buffers { get; } = new();
    }

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
                    _checkpointed[loop] = new CheckpointedLoop(loop, Slot(loop, "checkpointSteps", ScalarType.Int), CarriedScalars(loop), CarriedArrays(loop));
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
    private IEnumerable<DiagnosticInfo> CheckpointDiagnostics(LoweredMethod lowered) =>
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

    private bool IsCheckpointed(While loop, int depth) => depth == 0 && _checkpointed.ContainsKey(loop) && HasWork(loop, depth);

    /// <summary>The forward sweep of a checkpointed loop: snapshot 0 of the state it carries, then the loop as written, saving nothing.</summary>
    private List<Code> ForwardCheckpointed(While loop)
    {
        var checkpointed = _checkpointed[loop];
        var snapshots = _method.CheckpointSnapshots;
        var output = new List<Code>
        {
            new Comment($"Checkpointed loop: the state it carries is copied to snapshot 0, then it runs saving nothing; its reverse recomputes iterations from at most {snapshots} snapshots."),
            new Set(checkpointed.Steps, RecomputedTrips(loop)!),
        };
        foreach (var (element, count, buffer) in ScalarSnapshotLayout(checkpointed))
            output.Add(new RentBuffer(element, buffer, new Constant(ScalarType.Int, (count * snapshots).ToString(System.Globalization.CultureInfo.InvariantCulture)), Cleared: false));
        foreach (var array in checkpointed.Arrays)
        {
            var buffer = SnapshotBuffer(checkpointed, array.Code);
            output.Add(new RentBuffer(array.Element, buffer, Times(snapshots, new LengthOf(array)), Cleared: false));
        }
        output.AddRange(CopyState(checkpointed, new Constant(ScalarType.Int, "0"), take: true));
        var wasPlain = _plain;
        _plain = true;
        output.Add(new WhileCode(loop.Condition, Forward(loop.Body, depth: 1).ToEquatableArray()));
        _plain = wasPlain;
        return output;
    }

    /// <summary>The reverse sweep of a checkpointed loop: the Revolve schedule from snapshot 0, then snapshot 0 restored.</summary>
    private List<Code> ReverseCheckpointed(While loop)
    {
        var checkpointed = _checkpointed[loop];
        var slot = _names.Numbered("slot");
        var slotValue = new VarRef(ScalarType.Int, slot);
        var zero = new Constant(ScalarType.Int, "0");
        var wasPlain = _plain;
        _plain = true;
        var advance = Forward(loop.Body, depth: 1);
        _plain = wasPlain;
        var reverseStep = Forward(loop.Body, depth: 1);
        reverseStep.AddRange(Reverse(loop.Body, depth: 1));

        var output = new List<Code> { new Comment("Checkpointed loop: from the state before it, reverse its iterations last to first as the schedule says.") };
        output.AddRange(CopyState(checkpointed, zero, take: false));
        output.Add(new RevolveLoop(_names.Numbered("schedule"), _names.Numbered("action"), slot, _names.Numbered("advance"),
            new VarRef(ScalarType.Int, checkpointed.Steps), _method.CheckpointSnapshots,
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

    private string SnapshotBuffer(CheckpointedLoop checkpointed, string of)
    {
        if (!checkpointed.Buffers.TryGetValue(of, out var name))
        {
            name = _names.Named(of + "Snapshots");
            checkpointed.Buffers[of] = name;
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
