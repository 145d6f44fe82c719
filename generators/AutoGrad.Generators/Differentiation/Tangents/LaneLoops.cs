using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation.Tangents;

/// <summary>
/// Runs the leading iterations of a generated loop a Vector256's width at a time (a <see cref="LaneLoop"/>
/// before the loop, which runs the rest), where that gives the same results to the bit. Each lane does its
/// iteration's operations: +, -, *, /, negation, Sqrt and squares are correctly rounded, Abs, Max and Min
/// exact (NaNs and signed zeros as Math has them), so lane by lane they give what the scalar code gives; a
/// conditional computes both values and keeps one per lane. Sums take their terms in the loop's order.
/// Forward mode roughly doubles a loop's arithmetic while its sums stay one addition per iteration; in lanes
/// the arithmetic is shared four (or eight) ways and only the ordered additions remain.
/// <para>
/// A loop qualifies when it is <c>while (i &lt; bound) { ...; i++; }</c> (or <c>&lt;=</c>) with a bound it does not
/// change, and its other statements are only: integer locals <c>i + c</c> (c unchanged by the loop);
/// real locals written before they are read in the iteration and read nowhere after the loop; and sums
/// <c>s = s + term</c> or <c>s = s - term</c> whose variable nothing else in the loop touches. Its real
/// values read elements at <c>i + c</c>, locals of the iteration and values the loop does not change. It
/// stores nothing and calls nothing, so a lane iteration that would go out of bounds is left to the
/// scalar loop, which fails where the method fails. Anything else keeps the loop as it was.
/// </para>
/// </summary>
internal static class LaneLoops
{
    /// <summary>The scalar a lane statement writes: a declared, set or accumulated local ("" for an element store).</summary>
    internal static string Target(Code statement) => statement switch
    {
        Declare declare => declare.Name,
        Set set => set.Name,
        Accumulate { Target: VarRef target } => target.Name,
        _ => "",
    };

    /// <summary>The value a lane statement writes.</summary>
    internal static Expr Value(Code statement) => statement switch
    {
        Declare declare => declare.Value,
        Set set => set.Value,
        SetElement store => store.Value,
        _ => ((Accumulate)statement).Value,
    };

    /// <summary>Lane code pays only where the arithmetic outweighs the ordered additions: this many operations per sum at least.</summary>
    private const int OperationsPerSum = 3;

    public static List<Code> Vectorize(List<Code> code, NameScope names)
    {
        var reads = CountReads(code);
        return reads is null ? code : Rewrite(code, reads, names);
    }

    private static List<Code> Rewrite(IEnumerable<Code> code, IReadOnlyDictionary<string, int> reads, NameScope names)
    {
        var output = new List<Code>();
        foreach (var statement in code)
        {
            switch (statement)
            {
                case WhileCode loop when new Candidate(loop, reads, names).Build() is { } lanes:
                    output.Add(new Comment($"{RuntimeNames.LaneCount(lanes.Element)} iterations at a time in the lanes of a vector, sums taken in the loop's order; the loop after it runs the rest."));
                    output.Add(lanes.Loop);
                    output.Add(loop);
                    break;
                case WhileCode loop:
                    output.Add(loop with { Body = Rewrite(loop.Body, reads, names).ToEquatableArray() });
                    break;
                case IfCode branch:
                    output.Add(branch with { Then = Rewrite(branch.Then, reads, names).ToEquatableArray(), Else = Rewrite(branch.Else, reads, names).ToEquatableArray() });
                    break;
                case Repeat repeat:
                    output.Add(repeat with { Body = Rewrite(repeat.Body, reads, names).ToEquatableArray() });
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return output;
    }

    /// <summary>
    /// One loop's analysis and, where it qualifies, its lane loop. Every write of a real variable in the lanes gets
    /// a vector of its own (the loop body in single assignment), so the two sides of an <c>if</c> are computed
    /// from the same values and joined per lane by the condition.
    /// </summary>
    private sealed class Candidate(WhileCode loop, IReadOnlyDictionary<string, int> methodReads, NameScope names)
    {
        private readonly HashSet<string> _written = new();
        private readonly Dictionary<string, Expr> _offsets = new();
        private readonly List<(ArraySource Array, Expr Index)> _loads = new();
        private Dictionary<string, string> _lanes = new();
        private readonly Dictionary<string, (BinaryOp Op, Expr Term)> _sums = new();
        private string _index = "";
        private ScalarType _element;
        private int _width;
        private int _operations;

        public (LaneLoop Loop, ScalarType Element)? Build()
        {
            if (loop.Condition is not Binary { Op: BinaryOp.Less or BinaryOp.LessOrEqual, Left: VarRef { Type: ScalarType.Int } index, Right: { Type: ScalarType.Int } bound } condition)
                return null;
            if (loop.Body.Count == 0 || loop.Body[loop.Body.Count - 1] is not Step { Delta: 1 } step || step.Name != index.Name) return null;
            _index = index.Name;
            var statements = loop.Body.Take(loop.Body.Count - 1).ToList();
            var writes = new List<Code>();
            if (!CollectWrites(statements, writes)) return null;
            foreach (var write in writes) _written.Add(Target(write));
            if (_written.Contains(_index) || !IsUniform(bound)) return null;
            var real = writes.Select(Value).FirstOrDefault(v => v.Type.IsReal());
            if (real is null) return null;
            _element = real.Type;
            _width = RuntimeNames.LaneCount(_element);

            // What the loop reads after it (or before it, in an enclosing loop) must not come from its lanes.
            var loopReads = CountReads([loop])!;
            foreach (var statement in statements)
                if (SumTerm(statement, writes, loopReads) is { } sum) _sums[Target(statement)] = sum;
            if (_written.Any(name => !_sums.ContainsKey(name) && ReadOutside(name, methodReads, loopReads))) return null;

            var body = new List<Code>();
            foreach (var statement in statements)
            {
                // A sum variable has this one write in the loop, so its name finds its statement.
                if (_sums.TryGetValue(Target(statement), out var sum))
                {
                    var (op, term) = sum;
                    if (term.Type != _element || Lane(term) is not { } lanes) return null;
                    body.Add(new FoldLanes(Target(statement), op, lanes));
                }
                else if (!Statement(statement, body, topLevel: true)) return null;
            }
            if (_sums.Count == 0 || _operations < OperationsPerSum * _sums.Count || _loads.Count == 0) return null;
            body.Add(new Step(_index, _width));
            return (new LaneLoop(LaneCondition(condition), body.ToEquatableArray()), _element);
        }

        /// <summary>The writes of scalar variables at any depth; false where the body holds anything else (a store, a call, a loop).</summary>
        private static bool CollectWrites(IEnumerable<Code> statements, List<Code> writes)
        {
            foreach (var statement in statements)
            {
                switch (statement)
                {
                    case Declare or Set or Accumulate { Target: VarRef }: writes.Add(statement); break;
                    case IfCode branch:
                        if (!CollectWrites(branch.Then, writes) || !CollectWrites(branch.Else, writes)) return false;
                        break;
                    case Comment or StatementComment: break;
                    default: return false;
                }
            }
            return true;
        }

        /// <summary>
        /// The term and operation of a sum (<see cref="SumOf"/>) that only this statement of the loop writes; null otherwise.
        /// </summary>
        private static (BinaryOp Op, Expr Term)? SumTerm(Code statement, List<Code> writes, IReadOnlyDictionary<string, int> loopReads) =>
            SumOf(statement, loopReads) is { } sum && writes.Count(w => Target(w) == Target(statement)) == 1 ? sum : null;

        /// <summary>Adds the statement's lane code; false where it has none.</summary>
        private bool Statement(Code statement, List<Code> body, bool topLevel)
        {
            switch (statement)
            {
                case Comment or StatementComment:
                    return true;
                case IfCode branch:
                    return Branch(branch, body);
                case Declare or Set when Value(statement).Type == ScalarType.Int:
                    // An index of the iteration: kept as it is (it reads the first lane's index) and known as an offset.
                    if (!topLevel || Offset(Value(statement)) is not { } offset) return false;
                    _offsets[Target(statement)] = offset;
                    body.Add(statement);
                    return true;
                case Declare or Set or Accumulate when Value(statement).Type == _element && !_sums.ContainsKey(Target(statement)):
                    var target = Target(statement);
                    var value = statement is Accumulate ? new Binary(_element, BinaryOp.Add, new VarRef(_element, target), Value(statement)) : Value(statement);
                    if (Lane(value) is not { } lanes) return false;
                    var name = names.Named(target + "Lanes");
                    _lanes[target] = name;
                    body.Add(new DeclareLanes(_element, name, lanes));
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// Both sides from the values before the <c>if</c>, then each variable either side writes (and is still in
        /// scope after it) as the condition picks per lane; a variable one side leaves keeps its value from before.
        /// </summary>
        private bool Branch(IfCode branch, List<Code> body)
        {
            if (Mask(branch.Condition) is not { } mask) return false;
            var before = _lanes;
            var sides = new List<Dictionary<string, string>>();
            foreach (var side in new[] { branch.Then, branch.Else })
            {
                _lanes = new Dictionary<string, string>(before);
                foreach (var statement in side)
                    if (!Statement(statement, body, topLevel: false)) return false;
                // A variable declared in the side ends with it.
                foreach (var declared in side.OfType<Declare>()) _lanes.Remove(declared.Name);
                sides.Add(_lanes);
            }
            _lanes = new Dictionary<string, string>(before);
            foreach (var variable in sides.SelectMany(side => side.Keys).Distinct().ToList())
            {
                string? whenTrue = sides[0].TryGetValue(variable, out var t) ? t : null, whenFalse = sides[1].TryGetValue(variable, out var f) ? f : null;
                if (whenTrue == whenFalse) continue;
                if (whenTrue is null || whenFalse is null) return false;
                var name = names.Named(variable + "Lanes");
                body.Add(new DeclareLanes(_element, name, new LaneSelect(_element, mask, new VarRef(_element, whenTrue), new VarRef(_element, whenFalse))));
                _lanes[variable] = name;
            }
            _operations++;
            return true;
        }

        /// <summary>The expression lane by lane, or null where it is not a lane operation that gives the scalar code's bits.</summary>
        private Expr? Lane(Expr e)
        {
            if (IsUniform(e))
            {
                if (!e.Type.IsReal() && e.Type is not (ScalarType.Int or ScalarType.Long)) return null;
                return new Broadcast(_element, e.Type == _element ? e : new Cast(_element, e));
            }
            if (e.Type != _element) return null;
            switch (e)
            {
                case VarRef variable:
                    // A variable of the loop read before the iteration writes it carries a value across iterations.
                    return _lanes.TryGetValue(variable.Name, out var lane) ? new VarRef(_element, lane) : null;
                case ElementRead { Array.IsWindow: false } read when read.Array.Element == _element && Offset(read.Index) is { } offset:
                    if (!_loads.Contains((read.Array, offset))) _loads.Add((read.Array, offset));
                    return new LaneLoad(_element, read.Array, read.Index);
                case Cast { Operand.Type: ScalarType.Int } cast when Offset(cast.Operand) is not null:
                    // An index as a value: each lane converts its own.
                    return new LaneIndices(_element, cast.Operand);
                case Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } binary:
                    if (Lane(binary.Left) is not { } left || Lane(binary.Right) is not { } right) return null;
                    _operations++;
                    return binary with { Left = left, Right = right };
                case Unary { Op: UnaryOp.Negate } unary:
                    if (Lane(unary.Operand) is not { } operand) return null;
                    _operations++;
                    return unary with { Operand = operand };
                case Conditional conditional:
                    if (Mask(conditional.Condition) is not { } mask || Lane(conditional.WhenTrue) is not { } whenTrue || Lane(conditional.WhenFalse) is not { } whenFalse) return null;
                    _operations++;
                    return new LaneSelect(_element, mask, whenTrue, whenFalse);
                case MathCall { Function: "Sqrt" or "Abs" or "Max" or "Min" } math:
                    var arguments = math.Arguments.Select(Lane).ToList();
                    if (arguments.Any(a => a is null)) return null;
                    _operations++;
                    return new LaneMath(_element, math.Function, arguments.Select(a => a!).ToEquatableArray());
                case MathCall { Function: "Pow", Arguments.Count: 2 } square when Literals.TryValue(square.Arguments[1], out var exponent) && exponent == 2:
                    // Printed as x * x in scalar code; in lanes too, from a value already at hand.
                    var squared = Lane(square.Arguments[0]);
                    if (squared is not (VarRef or LaneLoad)) return null;
                    _operations++;
                    return new Binary(_element, BinaryOp.Multiply, squared, squared);
                default:
                    return null;
            }
        }

        /// <summary>A condition lane by lane: comparisons of lane values joined by &amp;&amp;, || and !, or null.</summary>
        private Expr? Mask(Expr condition)
        {
            switch (condition)
            {
                case Binary { Op: BinaryOp.And or BinaryOp.Or } both:
                    return Mask(both.Left) is { } left && Mask(both.Right) is { } right ? both with { Left = left, Right = right } : null;
                case Unary { Op: UnaryOp.Not } not:
                    return Mask(not.Operand) is { } operand ? not with { Operand = operand } : null;
                case Binary { Op: BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual or BinaryOp.Equal or BinaryOp.NotEqual } compare:
                    _operations++;
                    return Lane(compare.Left) is { } l && Lane(compare.Right) is { } r ? compare with { Left = l, Right = r } : null;
                default:
                    return null;
            }
        }

        /// <summary>
        /// An integer index <c>i + c</c> as an expression of the loop's index and values the loop does not change
        /// (the offsets of the iteration's integer locals substituted), or null.
        /// </summary>
        private Expr? Offset(Expr e)
        {
            switch (e)
            {
                case VarRef variable when variable.Name == _index:
                    return e;
                case VarRef variable:
                    return _offsets.TryGetValue(variable.Name, out var offset) ? offset : null;
                case Binary { Type: ScalarType.Int, Op: BinaryOp.Add } add when IsUniform(add.Right) && Offset(add.Left) is { } left:
                    return add with { Left = left };
                case Binary { Type: ScalarType.Int, Op: BinaryOp.Add } add when IsUniform(add.Left) && Offset(add.Right) is { } right:
                    return add with { Right = right };
                case Binary { Type: ScalarType.Int, Op: BinaryOp.Subtract } subtract when IsUniform(subtract.Right) && Offset(subtract.Left) is { } left:
                    return subtract with { Left = left };
                default:
                    return null;
            }
        }

        /// <summary>Whether the expression has one value for the whole loop: it reads nothing the loop writes, and only plain values.</summary>
        private bool IsUniform(Expr e) =>
            IrWalker.Nodes(e).All(node => node is Constant or VarRef or ElementRead or LengthOf or Unary or Binary or Cast or Conditional or MathCall or StaticRead or SettingsRead)
            && !IrWalker.Uses(e).Any(u => u.Kind == UseKind.ReadVariable && (u.Name == _index || _written.Contains(u.Name)));

        /// <summary>
        /// Every lane's iteration would run, and every element it loads is in bounds:
        /// <c>(long)i + width - 1 &lt; bound</c> and, for the loads at <c>base + c</c> (c a constant), <c>base + smallest c &gt;= 0</c>
        /// and, per array, <c>base + largest c &lt;= length - width</c>.
        /// </summary>
        private Expr LaneCondition(Binary condition)
        {
            var last = new Binary(ScalarType.Long, BinaryOp.Add, new Cast(ScalarType.Long, condition.Left), Integer(ScalarType.Long, _width - 1));
            Expr all = condition with { Left = last };
            var loads = _loads.Select(load => (load.Array, Split: SplitConstant(load.Index))).ToList();
            foreach (var group in loads.GroupBy(load => load.Split.Base))
                all = And(all, new Binary(ScalarType.Bool, BinaryOp.GreaterOrEqual, Plus(group.Key, group.Min(load => load.Split.Constant)), Integer(ScalarType.Int, 0)));
            foreach (var group in loads.GroupBy(load => (load.Array, load.Split.Base)))
            {
                var limit = new Binary(ScalarType.Int, BinaryOp.Subtract, new LengthOf(group.Key.Array), Integer(ScalarType.Int, _width));
                all = And(all, new Binary(ScalarType.Bool, BinaryOp.LessOrEqual, Plus(group.Key.Base, group.Max(load => load.Split.Constant)), limit));
            }
            return all;
        }

    }

    /// <summary><c>e + c</c> (or <c>e - c</c>) as <c>(e, c)</c> for an integer constant c; <c>(e, 0)</c> otherwise.</summary>
    internal static (Expr Base, long Constant) SplitConstant(Expr e) => e switch
    {
        Binary { Op: BinaryOp.Add, Right: Constant right } add when long.TryParse(right.Text, out var c) => (SplitConstant(add.Left).Base, SplitConstant(add.Left).Constant + c),
        Binary { Op: BinaryOp.Subtract, Right: Constant right } subtract when long.TryParse(right.Text, out var c) => (SplitConstant(subtract.Left).Base, SplitConstant(subtract.Left).Constant - c),
        _ => (e, 0),
    };

    /// <summary><c>(long)e + constant</c>: in longs, so no sum of the group's offsets wraps around.</summary>
    internal static Expr Plus(Expr e, long constant) => constant switch
    {
        0 => e,
        > 0 => new Binary(ScalarType.Long, BinaryOp.Add, new Cast(ScalarType.Long, e), Integer(ScalarType.Long, constant)),
        _ => new Binary(ScalarType.Long, BinaryOp.Subtract, new Cast(ScalarType.Long, e), Integer(ScalarType.Long, -constant)),
    };

    /// <summary>
    /// The term of <c>s = s + term</c>, <c>s = s - term</c> or <c>s += term</c> on a real variable that no other
    /// read of the loop (the condition included) touches, and the operation; null otherwise.
    /// </summary>
    internal static (BinaryOp Op, Expr Term)? SumOf(Code statement, IReadOnlyDictionary<string, int> loopReads)
    {
        (BinaryOp, Expr)? sum = statement switch
        {
            Set { Value: Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarRef left } binary } set when left.Name == set.Name => (binary.Op, binary.Right),
            Accumulate { Target: VarRef } accumulate => (BinaryOp.Add, accumulate.Value),
            _ => null,
        };
        var name = Target(statement);
        if (sum is not { } found || !found.Item2.Type.IsReal() || IrWalker.Reads(found.Item2, name)) return null;
        return loopReads.TryGetValue(name, out var count) && count == 1 ? found : null;
    }

    /// <summary>Whether the method reads the variable outside the loop (more reads in all than in the loop).</summary>
    internal static bool ReadOutside(string name, IReadOnlyDictionary<string, int> methodReads, IReadOnlyDictionary<string, int> loopReads) =>
        methodReads.TryGetValue(name, out var all) && all > (loopReads.TryGetValue(name, out var inside) ? inside : 0);

    internal static Expr And(Expr left, Expr right) => new Binary(ScalarType.Bool, BinaryOp.And, left, right);

    internal static Constant Integer(ScalarType type, long value) => new(type, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// How many times each scalar variable is read in the code (comments aside), or null where the code holds a
    /// kind this pass does not know (then it changes nothing).
    /// </summary>
    internal static Dictionary<string, int>? CountReads(IEnumerable<Code> code)
    {
        var reads = new Dictionary<string, int>();
        void Read(string name) => reads[name] = (reads.TryGetValue(name, out var count) ? count : 0) + 1;
        void Expression(Expr? e)
        {
            if (e is null) return;
            foreach (var use in IrWalker.Uses(e))
                if (use.Kind == UseKind.ReadVariable) Read(use.Name);
        }
        void Window(ArraySource? array)
        {
            foreach (var name in IrWalker.WindowReads(array)) Read(name);
        }
        bool Walk(IEnumerable<Code> statements)
        {
            foreach (var statement in statements)
            {
                switch (statement)
                {
                    case Declare declare: Expression(declare.Value); break;
                    case Set set: Expression(set.Value); break;
                    case Accumulate accumulate:
                        Expression(accumulate.Target);
                        Expression(accumulate.Value);
                        break;
                    case Step step: Read(step.Name); break;
                    case SetElement element:
                        Expression(element.Target);
                        Expression(element.Value);
                        break;
                    case RentBuffer rent: Expression(rent.Length); break;
                    case Push push: Expression(push.Value); break;
                    case IfCode branch:
                        Expression(branch.Condition);
                        if (!Walk(branch.Then) || !Walk(branch.Else)) return false;
                        break;
                    case WhileCode loop:
                        Expression(loop.Condition);
                        if (!Walk(loop.Body)) return false;
                        break;
                    case Repeat repeat:
                        Expression(repeat.Count);
                        if (!Walk(repeat.Body)) return false;
                        break;
                    case PullbackCall call:
                        foreach (var argument in call.Arguments) Expression(argument.Value);
                        break;
                    case TangentCall call:
                        foreach (var argument in call.Arguments) Expression(argument.Value);
                        break;
                    case InvokeCode invoke:
                        foreach (var argument in invoke.Arguments)
                        {
                            Expression(argument.Value);
                            Window(argument.Array);
                        }
                        break;
                    case CheckCode check:
                        foreach (var argument in check.Guard.Arguments) Expression(argument);
                        break;
                    case ReturnCode returned: Expression(returned.Value); break;
                    case ClearContents clear: Window(clear.Array); break;
                    case SaveContents save: Window(save.Array); break;
                    case RestoreContents restore: Window(restore.Array); break;
                    case CopyContents copy:
                        Window(copy.From);
                        Window(copy.To);
                        break;
                    case Comment or StatementComment or DeclareBuffer or ReturnBuffer or RentRecord or ReturnRecord or AliasStack or SaveBuffer or RestoreBuffer:
                        break;
                    default:
                        return false;
                }
            }
            return true;
        }
        return Walk(code) ? reads : null;
    }
}
