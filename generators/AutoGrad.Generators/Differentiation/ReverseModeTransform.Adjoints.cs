using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// The scope of one reversed statement (or branch): intermediate values already recomputed,
    /// by expression, and the adjoint contributions not yet written, summed per target so a
    /// target touched twice (x * x) is written once.
    /// </summary>
    private sealed class ValueCache(ValueCache? parent)
    {
        private readonly Dictionary<Expr, Expr> _values = new();
        private readonly Dictionary<Expr, Expr> _sums = new();
        private readonly List<Expr> _targets = new();

        public Expr? Find(Expr e) => _values.TryGetValue(e, out var value) ? value : parent?.Find(e);

        public void Add(Expr e, Expr value) => _values[e] = value;

        public void Accumulate(Expr target, Expr term)
        {
            if (_sums.TryGetValue(target, out var sum)) _sums[target] = ExprFactory.Add(sum, term);
            else
            {
                _sums[target] = term;
                _targets.Add(target);
            }
        }

        /// <summary>Writes the pending contributions; no adjoint is read between their creation and here.</summary>
        public void Flush(List<Code> output)
        {
            foreach (var target in _targets) output.Add(new Accumulate(target, _sums[target]));
            _targets.Clear();
            _sums.Clear();
        }
    }

    /// <summary>Emits code that adds <paramref name="adjoint"/> times the derivative of <paramref name="e"/> to the adjoints of what it reads.</summary>
    private void Backpropagate(Expr e, Expr adjoint, List<Code> output, ValueCache cache)
    {
        if (!_activity.Depends(e)) return;
        switch (e)
        {
            case VarRef variable:
                cache.Accumulate(new VarRef(variable.Type, Adjoint(variable.Name)), adjoint);
                return;
            case ElementRead read:
                var gradient = new ArraySource(_arrayAdjoints[read.Array.Code], read.Type, ArrayKind.Buffer);
                cache.Accumulate(new ElementRead(read.Type, gradient, Value(read.Index, output, cache)), adjoint);
                return;
        }

        adjoint = Materialize(adjoint, output);
        switch (e)
        {
            case Unary { Op: UnaryOp.Negate } negate:
                Backpropagate(negate.Operand, Neg(adjoint), output, cache);
                break;
            case Cast cast:
                Backpropagate(cast.Operand, CastTo(cast.Operand.Type, adjoint), output, cache);
                break;
            case Binary binary:
                BackpropagateBinary(binary, adjoint, output, cache);
                break;
            case Conditional conditional:
                var whenTrue = new List<Code>();
                var whenFalse = new List<Code>();
                var trueScope = new ValueCache(cache);
                var falseScope = new ValueCache(cache);
                Backpropagate(conditional.WhenTrue, adjoint, whenTrue, trueScope);
                Backpropagate(conditional.WhenFalse, adjoint, whenFalse, falseScope);
                trueScope.Flush(whenTrue);
                falseScope.Flush(whenFalse);
                output.Add(new IfCode(Value(conditional.Condition, output, cache), whenTrue.ToEquatableArray(), whenFalse.ToEquatableArray()));
                break;
            case MathCall math:
                for (var i = 0; i < math.Arguments.Count; i++)
                {
                    if (!_activity.Depends(math.Arguments[i])) continue;
                    var partial = Known(DerivativeRules.Partial(math, a => Value(math.Arguments[a], output, cache), () => Value(math, output, cache), i), cache);
                    Backpropagate(math.Arguments[i], Mul(adjoint, partial), output, cache);
                }
                break;
            case Call call:
                BackpropagateCall(call, adjoint, output, cache);
                break;
        }
    }

    private void BackpropagateBinary(Binary binary, Expr adjoint, List<Code> output, ValueCache cache)
    {
        var (left, right) = (binary.Left, binary.Right);
        var leftActive = _activity.Depends(left);
        var rightActive = _activity.Depends(right);
        switch (binary.Op)
        {
            case BinaryOp.Add:
                Backpropagate(left, adjoint, output, cache);
                Backpropagate(right, adjoint, output, cache);
                break;
            case BinaryOp.Subtract:
                Backpropagate(left, adjoint, output, cache);
                Backpropagate(right, Neg(adjoint), output, cache);
                break;
            case BinaryOp.Multiply when left.Equals(right):
                // d(u u) = 2 u du: one contribution instead of two equal ones.
                Backpropagate(left, Mul(adjoint, Mul(Number(binary.Type, 2), Value(left, output, cache))), output, cache);
                break;
            case BinaryOp.Multiply:
                if (leftActive) Backpropagate(left, Mul(adjoint, Value(right, output, cache)), output, cache);
                if (rightActive) Backpropagate(right, Mul(adjoint, Value(left, output, cache)), output, cache);
                break;
            case BinaryOp.Divide:
                var divisor = Value(right, output, cache);
                if (leftActive) Backpropagate(left, Div(adjoint, divisor), output, cache);
                // d(l/r)/dr = -(l/r)/r
                if (rightActive) Backpropagate(right, Neg(Div(Mul(adjoint, Value(binary, output, cache)), divisor)), output, cache);
                break;
            case BinaryOp.Remainder:
                // l % r = l - r * trunc(l / r)
                Backpropagate(left, adjoint, output, cache);
                if (rightActive)
                {
                    var quotient = new MathCall(binary.Type, "Truncate", binary.Type == ScalarType.Float,
                        EquatableArray.Of(Div(Value(left, output, cache), Value(right, output, cache))));
                    Backpropagate(right, Neg(Mul(adjoint, quotient)), output, cache);
                }
                break;
        }
    }

    /// <summary>
    /// Calls the callee's pullback (generated for a [Differentiable] callee, the user's rule
    /// otherwise), or its reverse half after a split call (<see cref="ReversePlan.SplitCallOf"/>),
    /// with fresh scalar adjoints, then propagates those into the arguments.
    /// </summary>
    private void BackpropagateCall(Call call, Expr adjoint, List<Code> output, ValueCache cache)
    {
        var seeds = new List<CallArgument> { new(adjoint, ByRef: false) };
        if (!_plan.IsSplitCall(call))
        {
            EmitPullback(call.Target, call.Arguments, seeds, output, cache);
            return;
        }
        _recordPassedToCallees = true;
        seeds.Insert(0, new CallArgument(new RecordValue(_record), ByRef: false));
        EmitPullback(call.Target with { Pullback = GeneratedNames.Reverse(call.Target.Method) }, call.Arguments, seeds, output, cache);
    }

    /// <summary>The reverse of a call statement: its pullback gets the adjoints of the outputs it wrote.</summary>
    private void BackpropagateInvoke(Invoke invoke, List<Code> output)
    {
        var seeds = new List<CallArgument>();
        var scratch = new List<Code>();
        for (var i = 0; i < invoke.Arguments.Count; i++)
        {
            if (invoke.Target.Parameters[i].Shape != ParameterShape.Output || invoke.Arguments[i].Array is not { } written) continue;
            ArraySource seed;
            if (_arrayAdjoints.TryGetValue(written.Code, out var adjoint))
            {
                seed = written.Renamed(adjoint); // a window's adjoint is that window of the array's
            }
            else
            {
                // An output nobody differentiates still needs an adjoint to pass: zeros, as long as the window.
                seed = ArraySource.Buffer(_names.Numbered("zeros"), written.Element);
                output.Add(new DeclareBuffer(written.Element, seed.Code));
                output.Add(new RentBuffer(written.Element, seed.Code, new LengthOf(written)));
                scratch.Add(new ReturnBuffer(written.Element, seed.Code));
            }
            seeds.Add(new CallArgument(new ArrayValue(seed), ByRef: false));
        }
        var scope = StatementScope(invoke);
        if (_plan.UsesSplitSweeps(invoke))
        {
            _recordPassedToCallees = true;
            seeds.Insert(0, new CallArgument(new RecordValue(_record), ByRef: false));
            EmitPullback(invoke.Target with { Pullback = GeneratedNames.Reverse(invoke.Target.Method) }, invoke.Arguments, seeds, output, scope);
        }
        else
        {
            EmitPullback(invoke.Target, invoke.Arguments, seeds, output, scope);
        }
        scope.Flush(output);
        output.AddRange(scratch);
    }

    private void EmitPullback(CallTarget target, EquatableArray<Argument> callArguments, List<CallArgument> seeds, List<Code> output, ValueCache cache)
    {
        var arguments = new List<CallArgument>();
        var gradients = new List<CallArgument>();
        var scalarAdjoints = new List<(Expr Argument, VarRef Adjoint)>();
        var scratch = new List<Code>();
        for (var i = 0; i < callArguments.Count; i++)
        {
            var argument = callArguments[i];
            var parameter = target.Parameters[i];
            if (argument.Array is { } array)
            {
                arguments.Add(new CallArgument(new ArrayValue(array), ByRef: false));
                if (!parameter.Differentiable) continue;
                if (array.IsNamed && _arrayAdjoints.TryGetValue(array.Code, out var arrayAdjoint))
                {
                    // A window's adjoint is the same window of the array's adjoint: the callee accumulates into it.
                    gradients.Add(new CallArgument(new ArrayValue(array.Renamed(arrayAdjoint)), ByRef: false));
                }
                else if (target.Kind == CallKind.Rule)
                {
                    // Rules skip an empty gradient span: nobody needs this gradient, so it is not computed.
                    gradients.Add(new CallArgument(new NoArray(array.Element), ByRef: false));
                }
                else
                {
                    // The callee wants somewhere to accumulate a gradient nobody reads: a pooled buffer,
                    // not cleared, since clearing it would pass over the whole array at every call.
                    var buffer = _names.Numbered("scratch");
                    output.Add(new DeclareBuffer(array.Element, buffer));
                    output.Add(new RentBuffer(array.Element, buffer, new LengthOf(array), Cleared: false));
                    gradients.Add(new CallArgument(new ArrayValue(ArraySource.Buffer(buffer, array.Element)), ByRef: false));
                    scratch.Add(new ReturnBuffer(array.Element, buffer));
                }
                continue;
            }
            var value = argument.Value!;
            arguments.Add(new CallArgument(Value(value, output, cache), ByRef: false));
            if (!parameter.Differentiable) continue;
            var scalarAdjoint = new VarRef(parameter.Element, _names.Numbered("d" + parameter.Name + "_"));
            output.Add(new Declare(parameter.Element, scalarAdjoint.Name, Number(parameter.Element, 0)));
            gradients.Add(new CallArgument(scalarAdjoint, ByRef: true));
            scalarAdjoints.Add((value, scalarAdjoint));
        }
        arguments.AddRange(seeds);
        arguments.AddRange(gradients);
        output.Add(new PullbackCall(target.Pullback!, arguments.ToEquatableArray(), target));
        output.AddRange(scratch);
        foreach (var (argument, scalarAdjoint) in scalarAdjoints)
            Backpropagate(argument, scalarAdjoint, output, cache);
    }

    /// <summary>
    /// The scope of one reversed statement, knowing the math calls whose values variables still hold
    /// (<see cref="ReversePlan.ForwardValuesAt"/>), except in a split reverse half, which has only the variables the record carried.
    /// </summary>
    private ValueCache StatementScope(Stmt statement)
    {
        var scope = new ValueCache(null);
        if (!_split)
            foreach (var (value, variable) in _plan.ForwardValuesAt(statement)) scope.Add(value, new VarRef(value.Type, variable));
        return scope;
    }

    /// <summary>A derivative with the values the scope already holds in place of recomputing them (<c>Cos(theta)</c> read from <c>cosTheta</c>).</summary>
    private static Expr Known(Expr e, ValueCache cache) => cache.Find(e) ?? IrWalker.MapChildren(e, child => Known(child, cache));

    /// <summary>The value of an expression in the reverse sweep: simple reads in place, anything else once, in a temporary.</summary>
    private Expr Value(Expr e, List<Code> output, ValueCache cache)
    {
        switch (e)
        {
            case Constant or VarRef or LengthOf or StaticRead or SettingsRead or OpaqueConstant:
            case ElementRead { Index: Constant or VarRef }:
                return e;
        }
        if (cache.Find(e) is { } known) return known;
        var computed = e is Conditional conditional
            ? conditional with { Condition = Value(conditional.Condition, output, cache) } // branches stay lazy
            : IrWalker.MapChildren(e, child => Value(child, output, cache));
        var name = _names.Numbered("t");
        output.Add(new Declare(e.Type, name, computed));
        var value = new VarRef(e.Type, name);
        cache.Add(e, value);
        return value;
    }

    /// <summary>An adjoint used more than once is computed once.</summary>
    private Expr Materialize(Expr adjoint, List<Code> output)
    {
        if (adjoint is VarRef or Constant) return adjoint;
        var name = _names.Numbered("g");
        output.Add(new Declare(adjoint.Type, name, adjoint));
        return new VarRef(adjoint.Type, name);
    }
}
