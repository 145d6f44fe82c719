using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// The counted loop's trip count, computed in the reverse sweep from its start and bound
    /// (which the reverse sweep restores to their values at the loop), or null when it was recorded.
    /// </summary>
    private Expr? RecomputedTrips(While loop)
    {
        if (!_plan.CountedLoops.TryGetValue(loop, out var counted) || counted.Bound is not { } bound) return null;
        var start = counted.Start.Value;
        var type = _variables[counted.Counter].Type;
        // c < b runs b - s times when b > s; c <= b, b - s + 1 times when b >= s; downwards the same with s - b.
        var (high, low) = counted.Op is BinaryOp.Less or BinaryOp.LessOrEqual ? (bound, start) : (start, bound);
        var inclusive = counted.Op is BinaryOp.LessOrEqual or BinaryOp.GreaterOrEqual;
        if (Literals.TryValue(high, out var h) && Literals.TryValue(low, out var l) && high.Type is ScalarType.Int or ScalarType.Long)
            return new Constant(ScalarType.Int, System.Math.Max(0L, (long)h - (long)l + (inclusive ? 1 : 0)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Expr span = IsZero(low) ? high : new Binary(type, BinaryOp.Subtract, high, low);
        if (inclusive) span = new Binary(type, BinaryOp.Add, span, IntConstant(type, 1));
        var runs = Compare(inclusive ? BinaryOp.GreaterOrEqual : BinaryOp.Greater, high, low);
        return CastTo(ScalarType.Int, new Conditional(type, runs, span, IntConstant(type, 0)));
    }

    /// <summary>In the reverse sweep, before replaying a counted loop: its counter's final value, start + trips × step.</summary>
    private Code CounterEnd(While loop, Expr trips)
    {
        var counted = _plan.CountedLoops[loop];
        var type = _variables[counted.Counter].Type;
        Expr moved = CastTo(type, trips);
        var size = System.Math.Abs(counted.Delta);
        if (size != 1) moved = new Binary(type, BinaryOp.Multiply, moved, IntConstant(type, size));
        var start = counted.Start.Value;
        if (counted.Delta < 0) return new Set(counted.Counter, new Binary(type, BinaryOp.Subtract, start, moved));
        return new Set(counted.Counter, IsZero(start) ? moved : new Binary(type, BinaryOp.Add, start, moved));
    }

    private static bool IsZero(Expr e) => e is Constant { Type: ScalarType.Int or ScalarType.Long } c && c.Text is "0" or "0L";

    private static Constant IntConstant(ScalarType type, long value) =>
        new(type, type == ScalarType.Long ? value + "L" : value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
