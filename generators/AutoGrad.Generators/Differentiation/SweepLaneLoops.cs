using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Differentiation.Tangents;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// Runs the leading iterations of the innermost loops of reverse mode's generated code (forward sweep, replays,
/// reverse sweep) a Vector256's width at a time, in a <see cref="LaneRegion"/> before the loop, which runs the rest.
/// <para>
/// A loop qualifies when it is <c>while (i &lt; bound) { ...; i++; }</c> (or <c>&lt;=</c>) with a bound it does not change,
/// or a reverse sweep's <c>for (counter = count; counter &gt; 0; counter--)</c> that does not read its counter, and its
/// statements are only: steps <c>v++</c> (or, all alike, <c>v--</c>) of integer variables, once each per iteration, so
/// <c>v</c> is its value before the loop plus or minus the iteration's number; integer locals declared from them and from
/// values the loop does not change (<c>v + c</c>, <c>a * b + v</c>); real locals written before they are read in the
/// iteration and read nowhere after the loop; sums <c>s += term</c> whose variable nothing else in the loop touches; and
/// stores <c>a[v + c] = value</c> or <c>a[v + c] += value</c>, where every access to a stored array is at that same element,
/// so each iteration reads and writes only its own. Values are +, -, * and / of elements at <c>v + c</c>, locals of the
/// iteration and values the loop does not change. Anything else keeps the loop as it was.
/// </para>
/// <para>
/// Each lane does its iteration's operations, multiplications and additions kept apart (C# never contracts them), so
/// stored values are the scalar loop's to the bit: the forward sweep and its replays still compute the method's own
/// values. A loop that counts up keeps its sums in the loop's order too. The reverse sweep's loops (the counted-down
/// ones) sum in lanes, folded once after them: their sums are adjoint accumulations, whose order the method's own
/// computation does not fix and no caller compares bit for bit (every gradient is checked against finite differences
/// with a tolerance, and the modes' gradients against each other with one); the result is still the same for the same
/// trip count. That is what makes the reverse loops fast: a chain of dependent additions becomes four.
/// </para>
/// <para>
/// Stores need the stored array to share no memory with any other array the loop touches (a user may pass the same
/// array twice, or an input as its own gradient): the region checks it once per loop with <c>Span.Overlaps</c>, except
/// between two buffers the method rented itself, which never overlap. Out-of-bounds lane iterations are left to the
/// scalar loop, which fails where the method fails.
/// </para>
/// </summary>
internal static class SweepLaneLoops
{
    /// <summary>In-order sums pay only where the arithmetic outweighs the ordered additions (as in <see cref="LaneLoops"/>).</summary>
    private const int OperationsPerOrderedSum = 3;

    /// <summary>
    /// A region is entered only where this many lane iterations can run. With its overlap checks made once before the
    /// enclosing loops (<see cref="HoistChecks"/>), one pays: GMM d10's triangular loops (4.5 iterations on average)
    /// ran 5-8% faster (median CPU time, five rounds, same process, under load) than when two were needed, d64 the same;
    /// before the checks moved, each entry paid them and one lane iteration was about 10% slower than the scalar code.
    /// </summary>
    private const int MinimumLaneIterations = 1;

    public static EquatableArray<Code> Vectorize(IReadOnlyList<Code> code, NameScope names)
    {
        var reads = LaneLoops.CountReads(code);
        if (reads is null) return code.ToEquatableArray();
        var rented = new HashSet<string>();
        CollectRented(code, rented);
        return HoistChecks(Rewrite(code, reads, rented, names), new List<EnclosingLoop>(), names).ToEquatableArray();
    }

    /// <summary>A loop around lane regions: the names its statements assign and the overlap checks made once before it.</summary>
    private sealed class EnclosingLoop(HashSet<string> assigned)
    {
        public HashSet<string> Assigned { get; } = assigned;
        public List<DeclareDisjoint> Checks { get; } = new();
    }

    /// <summary>
    /// Moves each region's overlap checks of arrays that an enclosing loop never assigns before the outermost such loop,
    /// into one bool, so a region entered once per row of a nested loop (GMM's triangular loops, once per point and
    /// component) does not repeat them; fewer inlined checks also keep a large method under the locals the JIT tracks.
    /// Only whole named arrays move: a window's bounds (<c>AsSpan</c>) are checked where the region would have, and a
    /// static array is read again.
    /// </summary>
    private static List<Code> HoistChecks(IEnumerable<Code> code, List<EnclosingLoop> loops, NameScope names)
    {
        var output = new List<Code>();
        foreach (var statement in code)
        {
            switch (statement)
            {
                case WhileCode loop:
                    output.AddRange(InLoop(loop, loop.Body, loops, names, body => loop with { Body = body }));
                    break;
                case Repeat repeat:
                    output.AddRange(InLoop(repeat, repeat.Body, loops, names, body => repeat with { Body = body }));
                    break;
                case IfCode branch:
                    output.Add(branch with { Then = HoistChecks(branch.Then, loops, names).ToEquatableArray(), Else = HoistChecks(branch.Else, loops, names).ToEquatableArray() });
                    break;
                case LaneRegion region:
                    output.Add(Hoisted(region, loops, names));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return output;
    }

    private static IEnumerable<Code> InLoop(Code loop, IEnumerable<Code> body, List<EnclosingLoop> loops, NameScope names, System.Func<EquatableArray<Code>, Code> rebuild)
    {
        var assigned = new HashSet<string>();
        CollectAssigned([loop], assigned);
        var enclosing = new EnclosingLoop(assigned);
        loops.Add(enclosing);
        var rewritten = HoistChecks(body, loops, names).ToEquatableArray();
        loops.RemoveAt(loops.Count - 1);
        return [.. enclosing.Checks, rebuild(rewritten)];
    }

    /// <summary>The region with its checks of arrays fixed through an enclosing loop made before the outermost such loop.</summary>
    private static LaneRegion Hoisted(LaneRegion region, List<EnclosingLoop> loops, NameScope names)
    {
        var left = region.Disjoint.ToList();
        var made = new List<string>();
        foreach (var loop in loops)
        {
            bool Fixed(ArraySource array) => array is { IsNamed: true, IsWindow: false } && !loop.Assigned.Contains(array.Code);
            var pairs = left.Where(pair => Fixed(pair.Stored) && Fixed(pair.Other)).ToEquatableArray();
            if (pairs.Count == 0) continue;
            // Regions with the same checks (a loop and its replay in one sweep) share one bool.
            var check = loop.Checks.FirstOrDefault(c => c.Pairs.Equals(pairs));
            if (check is null)
            {
                check = new DeclareDisjoint(names.Named("disjoint"), pairs);
                loop.Checks.Add(check);
            }
            made.Add(check.Name);
            left.RemoveAll(pair => pairs.Contains(pair));
        }
        return region with { Checked = region.Checked.Concat(made).ToEquatableArray(), Disjoint = left.ToEquatableArray() };
    }

    /// <summary>Every name the code declares or assigns, in nested blocks too (conservatively: scalars and stacks as well as arrays).</summary>
    private static void CollectAssigned(IEnumerable<Code> code, HashSet<string> assigned)
    {
        foreach (var statement in code)
        {
            switch (statement)
            {
                case Declare declare: assigned.Add(declare.Name); break;
                case Set set: assigned.Add(set.Name); break;
                case Step step: assigned.Add(step.Name); break;
                case Accumulate { Target: VarRef variable }: assigned.Add(variable.Name); break;
                case DeclareBuffer buffer: assigned.Add(buffer.Name); break;
                case RentBuffer rent: assigned.Add(rent.Name); break;
                case RestoreBuffer restore: assigned.Add(restore.Buffer); break;
                case DeclareWindow window: assigned.Add(window.Name); break;
                case DeclareElementRef reference: assigned.Add(reference.Name); break;
                case DeclareLanes lanes: assigned.Add(lanes.Name); break;
                case FoldLanes fold: assigned.Add(fold.Name); break;
                case DeclareDisjoint check: assigned.Add(check.Name); break;
                case AliasStack alias: assigned.Add(alias.Name); break;
                case RentRecord record: assigned.Add(record.Name); break;
                case MarkRecord mark: assigned.Add(mark.Mark); break;
                case PullbackCall call:
                    foreach (var argument in call.Arguments.Where(a => a.ByRef && a.Value is VarRef)) assigned.Add(((VarRef)argument.Value).Name);
                    break;
                case TangentCall call:
                    foreach (var argument in call.Arguments.Where(a => a.ByRef && a.Value is VarRef)) assigned.Add(((VarRef)argument.Value).Name);
                    if (call.Result is { } result) assigned.Add(result);
                    if (call.ResultTangent is { } tangent) assigned.Add(tangent);
                    break;
                case IfCode branch:
                    CollectAssigned(branch.Then, assigned);
                    CollectAssigned(branch.Else, assigned);
                    break;
                case WhileCode loop: CollectAssigned(loop.Body, assigned); break;
                case Repeat repeat:
                    assigned.Add(repeat.Counter);
                    CollectAssigned(repeat.Body, assigned);
                    break;
                case LaneLoop lanes: CollectAssigned(lanes.Body, assigned); break;
                case LaneRegion region: CollectAssigned(region.Body, assigned); break;
                case RevolveLoop revolve:
                    assigned.UnionWith([revolve.Schedule, revolve.Action, revolve.Slot, revolve.Counter]);
                    CollectAssigned(revolve.Advance, assigned);
                    CollectAssigned(revolve.Take, assigned);
                    CollectAssigned(revolve.Restore, assigned);
                    CollectAssigned(revolve.ReverseStep, assigned);
                    break;
            }
        }
    }

    private static void CollectRented(IEnumerable<Code> code, HashSet<string> rented)
    {
        foreach (var statement in code)
        {
            switch (statement)
            {
                case RentBuffer rent: rented.Add(rent.Name); break;
                // A buffer the forward half rented and saved in the record.
                case RestoreBuffer restore: rented.Add(restore.Buffer); break;
                case IfCode branch:
                    CollectRented(branch.Then, rented);
                    CollectRented(branch.Else, rented);
                    break;
                case WhileCode loop: CollectRented(loop.Body, rented); break;
                case Repeat repeat: CollectRented(repeat.Body, rented); break;
            }
        }
    }

    private static List<Code> Rewrite(IEnumerable<Code> code, IReadOnlyDictionary<string, int> reads, HashSet<string> rented, NameScope names)
    {
        var output = new List<Code>();
        foreach (var statement in code)
        {
            switch (statement)
            {
                case WhileCode loop when new Candidate(loop.Body, reads, rented, names).ForWhile(loop) is { } region:
                    output.Add(new Comment($"{region.Width} iterations at a time in the lanes of a vector; the loop after it runs the rest."));
                    output.Add(region.Code);
                    output.Add(loop);
                    break;
                case Repeat repeat when new Candidate(repeat.Body, reads, rented, names).ForRepeat(repeat) is { } region:
                    output.Add(new Comment($"{region.Width} iterations at a time in the lanes of a vector, sums added lane by lane; the loop after it runs the rest."));
                    output.Add(new Declare(ScalarType.Int, region.Left!, repeat.Count));
                    output.Add(region.Code);
                    output.Add(repeat with { Count = new VarRef(ScalarType.Int, region.Left!) });
                    break;
                case WhileCode loop:
                    output.Add(loop with { Body = Rewrite(loop.Body, reads, rented, names).ToEquatableArray() });
                    break;
                case Repeat repeat:
                    output.Add(repeat with { Body = Rewrite(repeat.Body, reads, rented, names).ToEquatableArray() });
                    break;
                case IfCode branch:
                    output.Add(branch with { Then = Rewrite(branch.Then, reads, rented, names).ToEquatableArray(), Else = Rewrite(branch.Else, reads, rented, names).ToEquatableArray() });
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return output;
    }

    /// <summary>A loop's lane form: the region, its width and, for a counted loop, the variable that counts the iterations left.</summary>
    private sealed record Region(LaneRegion Code, int Width, string? Left);

    /// <summary>An integer of the iteration as the value it has in a block's first iteration (from the values at the block's start) and how much it changes per iteration.</summary>
    private readonly record struct Affine(Expr Value, int Slope);

    /// <summary>
    /// One loop's analysis. The lane body computes every index from the values the variables have when a block of
    /// iterations starts (the steps come last in it, by the width), so integer locals of the iteration are substituted,
    /// not declared.
    /// </summary>
    private sealed class Candidate(IReadOnlyList<Code> body, IReadOnlyDictionary<string, int> methodReads, HashSet<string> rented, NameScope names)
    {
        private readonly HashSet<string> _written = new();
        private readonly Dictionary<string, long> _steps = new();
        private readonly HashSet<string> _stepped = new();
        private readonly Dictionary<string, Affine> _ints = new();
        private readonly Dictionary<string, string> _lanes = new();
        private readonly HashSet<string> _storedArrays = new();
        private readonly Dictionary<string, Expr> _storedStarts = new();
        private readonly List<(ArraySource Array, Expr Start)> _accesses = new();
        private readonly List<(ArraySource Array, Expr Index)> _elements = new();
        private readonly Dictionary<string, ArraySource> _arrays = new();
        private readonly List<Code> _body = new();
        private readonly List<Code> _prologue = new();
        private readonly List<Code> _epilogue = new();
        private int _delta;
        private ScalarType _element;
        private int _width;
        private int _operations;
        private int _orderedSums;
        private int _stores;
        private int _reassociatedSums;

        public Region? ForWhile(WhileCode loop)
        {
            if (loop.Condition is not Binary { Op: BinaryOp.Less or BinaryOp.LessOrEqual, Left: VarRef { Type: ScalarType.Int } index, Right: { Type: ScalarType.Int } bound } condition)
                return null;
            if (body.Count == 0 || body[body.Count - 1] is not Step { Delta: 1 } step || step.Name != index.Name) return null;
            if (!Analyse(reassociate: false) || _delta != 1 || !IsUniform(bound)) return null;
            if (_orderedSums > 0 && _operations < OperationsPerOrderedSum * _orderedSums) return null;
            Expr Ahead(int iterations) => condition with
            {
                Left = new Binary(ScalarType.Long, BinaryOp.Add, new Cast(ScalarType.Long, index), LaneLoops.Integer(ScalarType.Long, iterations - 1)),
            };
            return Build(Ahead(_width * MinimumLaneIterations), Ahead(_width), left: null);
        }

        public Region? ForRepeat(Repeat repeat)
        {
            // The counter counts the iterations left, which the lanes change four at a time.
            if (LaneLoops.CountReads(body) is not { } inside || inside.ContainsKey(repeat.Counter) || !Analyse(reassociate: true)) return null;
            var left = names.Named("left");
            Expr Left(int iterations) => new Binary(ScalarType.Bool, BinaryOp.GreaterOrEqual, new VarRef(ScalarType.Int, left), LaneLoops.Integer(ScalarType.Int, iterations));
            return Build(Left(_width * MinimumLaneIterations), Left(_width), left);
        }

        /// <param name="entry">Enough iterations left for the region to pay; <paramref name="enough"/>, for one more lane iteration.</param>
        private Region Build(Expr entry, Expr enough, string? left)
        {
            var laneBody = new List<Code>();
            laneBody.AddRange(_body);
            foreach (var step in _steps) laneBody.Add(new Step(step.Key, step.Value * _width));
            if (left is not null) laneBody.Add(new Step(left, -_width));
            var code = new List<Code>(_prologue) { new WhileCode(InBounds(enough), laneBody.ToEquatableArray()) };
            code.AddRange(_epilogue);
            var pairs = new List<DisjointArrays>();
            foreach (var stored in _storedArrays.OrderBy(name => name, System.StringComparer.Ordinal))
            {
                foreach (var other in _arrays.Values.OrderBy(array => array.Code, System.StringComparer.Ordinal))
                {
                    // Each pair of stored arrays once; two buffers the method rented are two arrays; an array of
                    // another element type (int labels) is another object.
                    if (other.Code == stored || other.Element != _element || (_storedArrays.Contains(other.Code) && string.CompareOrdinal(other.Code, stored) < 0)) continue;
                    if (!(rented.Contains(stored) && rented.Contains(other.Code))) pairs.Add(new DisjointArrays(_arrays[stored], other));
                }
            }
            return new Region(new LaneRegion(entry, EquatableArray<string>.Empty, pairs.ToEquatableArray(), code.ToEquatableArray()), _width, left);
        }

        /// <summary>Whether every statement has a lane form; fills the lane body, prologue and epilogue.</summary>
        private bool Analyse(bool reassociate)
        {
            var loopReads = LaneLoops.CountReads(body);
            if (loopReads is null) return false;
            foreach (var statement in body)
            {
                switch (statement)
                {
                    case Step step when step.Delta is 1 or -1:
                        if (_steps.ContainsKey(step.Name) || (_delta != 0 && _delta != step.Delta)) return false;
                        _steps[step.Name] = step.Delta;
                        _delta = (int)step.Delta;
                        break;
                    case Declare or Set or Accumulate { Target: VarRef }:
                        _written.Add(LaneLoops.Target(statement));
                        break;
                    case SetElement store:
                        _storedArrays.Add(store.Target.Array.Code);
                        break;
                    case Accumulate { Target: ElementRead target }:
                        _storedArrays.Add(target.Array.Code);
                        break;
                    case Comment or StatementComment:
                        break;
                    default:
                        return false;
                }
            }
            if (_delta == 0) return false;
            var touches = _storedArrays.ToDictionary(array => array, array => body.Count(statement => Touches(statement, array)));
            // Each variable written once (a sum's or a local's one write), steps apart.
            var writes = body.Where(s => s is Declare or Set or Accumulate { Target: VarRef }).Select(LaneLoops.Target).ToList();
            if (writes.Count != writes.Distinct().Count() || writes.Any(_steps.ContainsKey)) return false;
            var real = body.Where(s => s is Declare or Set or Accumulate or SetElement).Select(LaneLoops.Value).FirstOrDefault(v => v.Type.IsReal());
            if (real is null) return false;
            _element = real.Type;
            _width = RuntimeNames.LaneCount(_element);

            foreach (var statement in body)
            {
                switch (statement)
                {
                    case Comment or StatementComment:
                        break;
                    case Step step:
                        _stepped.Add(step.Name);
                        break;
                    case Declare { Type: ScalarType.Int } declare:
                        if (Index(declare.Value) is not { } affine) return false;
                        _ints[declare.Name] = affine;
                        break;
                    case Set or Accumulate { Target: VarRef } when LaneLoops.SumOf(statement, loopReads) is { } sum:
                        if (sum.Term.Type != _element || Lane(sum.Term) is not { } terms) return false;
                        var name = LaneLoops.Target(statement);
                        if (reassociate)
                        {
                            var partial = names.Named(name + "Lanes");
                            _prologue.Add(new DeclareLanes(_element, partial, new Broadcast(_element, Literals.Of(_element, 0))));
                            _body.Add(new Set(partial, new Binary(_element, BinaryOp.Add, new VarRef(_element, partial), terms)));
                            _epilogue.Add(new FoldLanes(name, sum.Op, new VarRef(_element, partial)));
                            _reassociatedSums++;
                        }
                        else
                        {
                            if (_delta != 1) return false;
                            _body.Add(new FoldLanes(name, sum.Op, terms));
                            _orderedSums++;
                        }
                        break;
                    case Declare or Set when LaneLoops.Value(statement).Type == _element:
                        var local = LaneLoops.Target(statement);
                        if (statement is Set && LaneLoops.ReadOutside(local, methodReads, loopReads)) return false;
                        if (Lane(LaneLoops.Value(statement)) is not { } lanes) return false;
                        var lanesName = names.Named(local + "Lanes");
                        _lanes[local] = lanesName;
                        _body.Add(new DeclareLanes(_element, lanesName, lanes));
                        break;
                    case SetElement store:
                        if (Store(store.Target, store.Value, accumulate: false) is not { } stored) return false;
                        _body.Add(stored);
                        break;
                    case Accumulate { Target: ElementRead target } accumulate when reassociate && Index(target.Index) is { Slope: 0 } element:
                        // One element all iterations add to (dx[t] += ..., t fixed): a sum in lanes, added to the element after the loop.
                        if (!AccumulateInvariant(target, element.Value, accumulate.Value, touches)) return false;
                        break;
                    case Accumulate { Target: ElementRead target } accumulate:
                        if (Store(target, accumulate.Value, accumulate: true) is not { } added) return false;
                        _body.Add(added);
                        break;
                    default:
                        return false;
                }
            }
            return _accesses.Count > 0 && (_stores > 0 || _orderedSums > 0 || _reassociatedSums > 0);
        }

        /// <summary>
        /// <c>a[t] += value</c> with t the same in every iteration, where nothing else in the loop touches a: the terms
        /// summed in lanes, then added to the element once (the loop's condition checks t is in bounds).
        /// </summary>
        private bool AccumulateInvariant(ElementRead target, Expr index, Expr value, IReadOnlyDictionary<string, int> touches)
        {
            if (target.Array.IsWindow || target.Array.Element != _element || value.Type != _element || touches[target.Array.Code] != 1 || IrWalker.ReadsArray(value, target.Array.Code)) return false;
            if (Lane(value) is not { } terms) return false;
            var partial = names.Named(target.Array.Code + "Lanes");
            var total = names.Named(target.Array.Code + "Sum");
            _prologue.Add(new DeclareLanes(_element, partial, new Broadcast(_element, Literals.Of(_element, 0))));
            _body.Add(new Set(partial, new Binary(_element, BinaryOp.Add, new VarRef(_element, partial), terms)));
            _epilogue.Add(new Declare(_element, total, Literals.Of(_element, 0)));
            _epilogue.Add(new FoldLanes(total, BinaryOp.Add, new VarRef(_element, partial)));
            // Only where the element is in bounds, as it is whenever a lane iteration ran (no lanes, no terms, no access).
            var add = new Accumulate(target with { Index = index }, new VarRef(_element, total));
            _epilogue.Add(new IfCode(ElementInBounds(target.Array, index), new EquatableArray<Code>([add]), EquatableArray<Code>.Empty));
            _elements.Add((target.Array, index));
            _arrays[target.Array.Code] = target.Array;
            _reassociatedSums++;
            return true;
        }

        /// <summary><c>a[index] = value</c> or <c>a[index] += value</c> in lanes, at the iteration's own element.</summary>
        private StoreLanes? Store(ElementRead target, Expr value, bool accumulate)
        {
            if (target.Array.IsWindow || target.Array.Element != _element || value.Type != _element) return null;
            if (Lane(value) is not { } lanes || Start(target.Array, target.Index) is not { } start) return null;
            if (accumulate) lanes = new Binary(_element, BinaryOp.Add, new LaneLoad(_element, target.Array, start), lanes);
            _stores++;
            return new StoreLanes(target.Array, start, lanes);
        }

        /// <summary>
        /// The first element of the lanes' elements <c>array[index]</c> (the lowest index: the first iteration's when the
        /// loop counts up, the last's when it counts down), checked in bounds by the loop's condition; null where the
        /// index does not move with the iteration, or a stored array is reached at another element.
        /// </summary>
        private Expr? Start(ArraySource array, Expr index)
        {
            if (Index(index) is not { Slope: var slope } affine || slope != _delta) return null;
            var start = _delta == 1 ? affine.Value : Minus(affine.Value, _width - 1);
            if (_storedArrays.Contains(array.Code))
            {
                if (_storedStarts.TryGetValue(array.Code, out var first) && !first.Equals(start)) return null;
                _storedStarts[array.Code] = start;
            }
            _arrays[array.Code] = array;
            _accesses.Add((array, start));
            return start;
        }

        /// <summary>The expression lane by lane, or null where it is not +, -, *, / or negation of lane values and loop constants.</summary>
        private Expr? Lane(Expr e)
        {
            if (IsUniform(e))
            {
                if (!e.Type.IsReal() && e.Type is not (ScalarType.Int or ScalarType.Long)) return null;
                foreach (var read in IrWalker.Uses(e).Where(u => u.Kind == UseKind.ReadElement)) _arrays[read.Name] = read.Array!;
                return new Broadcast(_element, e.Type == _element ? e : new Cast(_element, e));
            }
            if (e.Type != _element) return null;
            switch (e)
            {
                case VarRef variable:
                    return _lanes.TryGetValue(variable.Name, out var lane) ? new VarRef(_element, lane) : null;
                case ElementRead { Array.IsWindow: false } read when read.Array.Element == _element:
                    // An element that stays the same through the loop (its index a local of the iteration that does not move).
                    if (Index(read.Index) is { Slope: 0 } fixedIndex && !_storedArrays.Contains(read.Array.Code))
                    {
                        _arrays[read.Array.Code] = read.Array;
                        return new Broadcast(_element, read with { Index = fixedIndex.Value });
                    }
                    return Start(read.Array, read.Index) is { } start ? new LaneLoad(_element, read.Array, start) : null;
                case Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } binary:
                    if (Lane(binary.Left) is not { } left || Lane(binary.Right) is not { } right) return null;
                    _operations++;
                    return binary with { Left = left, Right = right };
                case Unary { Op: UnaryOp.Negate } unary:
                    if (Lane(unary.Operand) is not { } operand) return null;
                    _operations++;
                    return unary with { Operand = operand };
                default:
                    return null;
            }
        }

        /// <summary>An integer of the iteration as an <see cref="Affine"/> from the block's starting values, or null.</summary>
        private Affine? Index(Expr e)
        {
            switch (e)
            {
                case VarRef variable when _steps.TryGetValue(variable.Name, out var delta):
                    // After its step the variable is one step further in every iteration.
                    return new Affine(_stepped.Contains(variable.Name) ? Minus(variable, -delta) : variable, (int)delta);
                case VarRef variable when _ints.TryGetValue(variable.Name, out var local):
                    return local;
                case Binary { Type: ScalarType.Int, Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } binary when !IsUniform(binary):
                    if (Index(binary.Left) is not { } left || Index(binary.Right) is not { } right) return null;
                    var value = binary with { Left = left.Value, Right = right.Value };
                    return binary.Op switch
                    {
                        BinaryOp.Add => new Affine(value, left.Slope + right.Slope),
                        BinaryOp.Subtract => new Affine(value, left.Slope - right.Slope),
                        _ when left.Slope == 0 && right.Slope == 0 => new Affine(value, 0),
                        _ => null,
                    };
                default:
                    return e.Type == ScalarType.Int && IsUniform(e) ? new Affine(e, 0) : null;
            }
        }

        /// <summary>Whether the expression has one value for the whole loop: it reads nothing the loop writes or stores, and only plain values.</summary>
        private bool IsUniform(Expr e) =>
            IrWalker.Nodes(e).All(node => node is Constant or VarRef or ElementRead or LengthOf or Unary or Binary or Cast or Conditional or MathCall or StaticRead or SettingsRead)
            && !IrWalker.Uses(e).Any(u => (u.Kind == UseKind.ReadVariable && (_written.Contains(u.Name) || _steps.ContainsKey(u.Name)))
                || (u.Kind == UseKind.ReadElement && _storedArrays.Contains(u.Name)));

        /// <summary>
        /// The loop's condition and, for each array's accesses at <c>base + c</c> (c a constant), <c>base + smallest c &gt;= 0</c>
        /// and <c>base + largest c &lt;= length - width</c>: every lane's element in bounds.
        /// </summary>
        private Expr InBounds(Expr all)
        {
            var accesses = _accesses.Select(access => (access.Array, Split: LaneLoops.SplitConstant(access.Start))).ToList();
            foreach (var group in accesses.GroupBy(access => access.Split.Base))
                all = LaneLoops.And(all, new Binary(ScalarType.Bool, BinaryOp.GreaterOrEqual, LaneLoops.Plus(group.Key, group.Min(access => access.Split.Constant)), LaneLoops.Integer(ScalarType.Int, 0)));
            foreach (var group in accesses.GroupBy(access => (access.Array, access.Split.Base)))
            {
                var limit = new Binary(ScalarType.Int, BinaryOp.Subtract, new LengthOf(group.Key.Array), LaneLoops.Integer(ScalarType.Int, _width));
                all = LaneLoops.And(all, new Binary(ScalarType.Bool, BinaryOp.LessOrEqual, LaneLoops.Plus(group.Key.Base, group.Max(access => access.Split.Constant)), limit));
            }
            foreach (var (array, index) in _elements) all = LaneLoops.And(all, ElementInBounds(array, index));
            return all;
        }

        private static Expr ElementInBounds(ArraySource array, Expr index) => LaneLoops.And(
            new Binary(ScalarType.Bool, BinaryOp.GreaterOrEqual, index, LaneLoops.Integer(ScalarType.Int, 0)),
            new Binary(ScalarType.Bool, BinaryOp.Less, index, new LengthOf(array)));

        private static bool Touches(Code statement, string array) => statement switch
        {
            Declare declare => IrWalker.ReadsArray(declare.Value, array),
            Set set => IrWalker.ReadsArray(set.Value, array),
            Accumulate accumulate => IrWalker.ReadsArray(accumulate.Target, array) || IrWalker.ReadsArray(accumulate.Value, array),
            SetElement store => store.Target.Array.Code == array || IrWalker.ReadsArray(store.Target.Index, array) || IrWalker.ReadsArray(store.Value, array),
            _ => false,
        };

        private static Expr Minus(Expr e, long constant) => constant switch
        {
            0 => e,
            > 0 => new Binary(ScalarType.Int, BinaryOp.Subtract, e, LaneLoops.Integer(ScalarType.Int, constant)),
            _ => new Binary(ScalarType.Int, BinaryOp.Add, e, LaneLoops.Integer(ScalarType.Int, -constant)),
        };
    }
}
