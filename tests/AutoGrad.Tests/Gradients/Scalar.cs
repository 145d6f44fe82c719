using S = AutoGrad.Tests.Gradients.ScalarFunctions;
using F = AutoGrad.Tests.Gradients.FloatFunctions;

namespace AutoGrad.Tests.Gradients;

public class Scalar
{
    [Fact]
    public void SeedWorkedExample()
    {
        var value = S.SeedGradient(1, 2, 3, 4, out var da, out var db, out var dc, out var dd);

        Assert.Equal(441, value);
        Assert.Equal(294, da);
        Assert.Equal(294, db);
        Assert.Equal(126, dc);
        Assert.Equal(126, dd);
    }

    [Fact]
    public void Seed() => GradientCheck.Verify(
        p => S.Seed(p[0], p[1], p[2], p[3]),
        (p, g) => S.SeedGradient(p[0], p[1], p[2], p[3], out g[0], out g[1], out g[2], out g[3]),
        (p, s, g) => S.SeedPullback(p[0], p[1], p[2], p[3], s, ref g[0], ref g[1], ref g[2], ref g[3]),
        [1, 2, 3, 4], [-0.5, 1.25, 0.3, -2.2]);

    [Fact]
    public void CompoundAssignments()
    {
        GradientCheck.Verify(
            p => S.CompoundAssignments(p[0], p[1]),
            (p, g) => S.CompoundAssignmentsGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => S.CompoundAssignmentsPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [1.5, 0.5], [-0.7, 2.3]);

        // t = (ab + a + b^2 - a/3)(a + 1)/(b + 2)
        const double a = 1.5, b = 0.5;
        S.CompoundAssignmentsGradient(a, b, out var da, out var db);
        var inner = a * b + a + b * b - a / 3;
        GradientCheck.AssertClose(((b + 1 - 1.0 / 3) * (a + 1) + inner) / (b + 2), da, 1e-12);
        GradientCheck.AssertClose((a + 2 * b) * (a + 1) / (b + 2) - inner * (a + 1) / ((b + 2) * (b + 2)), db, 1e-12);
    }

    [Fact]
    public void ReassignedParameters() => GradientCheck.Verify(
        p => S.ReassignedParameters(p[0], p[1]),
        (p, g) => S.ReassignedParametersGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.ReassignedParametersPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [1.3, -0.4], [-2.1, 0.9]);

    [Fact]
    public void Trigonometric()
    {
        GradientCheck.Verify(
            p => S.Trigonometric(p[0], p[1]),
            (p, g) => S.TrigonometricGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => S.TrigonometricPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [0.3, 0.7], [-1.1, 0.4]);

        const double x = 0.3, y = 0.7;
        S.TrigonometricGradient(x, y, out var dx, out var dy);
        var secSquared = 1 / Math.Pow(Math.Cos(x * y), 2);
        GradientCheck.AssertClose(Math.Cos(x) * Math.Cos(y) + y * secSquared, dx, 1e-12);
        GradientCheck.AssertClose(-Math.Sin(x) * Math.Sin(y) + x * secSquared, dy, 1e-12);
    }

    [Fact]
    public void InverseTrigonometric()
    {
        GradientCheck.Verify(
            p => S.InverseTrigonometric(p[0], p[1]),
            (p, g) => S.InverseTrigonometricGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => S.InverseTrigonometricPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [0.3, 0.6], [-0.45, -0.2]);

        const double x = 0.3, y = 0.6;
        S.InverseTrigonometricGradient(x, y, out var dx, out var dy);
        var radius = x * x + y * y;
        GradientCheck.AssertClose(1 / Math.Sqrt(1 - x * x) + Math.Acos(y) * y / (1 + x * x * y * y) - y / radius, dx, 1e-12);
        GradientCheck.AssertClose(-Math.Atan(x * y) / Math.Sqrt(1 - y * y) + Math.Acos(y) * x / (1 + x * x * y * y) + x / radius, dy, 1e-12);
    }

    [Fact]
    public void Hyperbolic() => GradientCheck.Verify(
        p => S.Hyperbolic(p[0], p[1]),
        (p, g) => S.HyperbolicGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.HyperbolicPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.5, -0.3], [-1.2, 0.8]);

    [Fact]
    public void Logarithms()
    {
        GradientCheck.Verify(
            p => S.Logarithms(p[0], p[1]),
            (p, g) => S.LogarithmsGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => S.LogarithmsPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [0.7, 2.5], [3.1, 0.4]);

        // Log(y) * Log(x, y) = ln x, so the middle term contributes 1/x and nothing to y.
        const double x = 0.7, y = 2.5;
        S.LogarithmsGradient(x, y, out var dx, out var dy);
        GradientCheck.AssertClose(Math.Exp(x) + 1 / x + 1 / (x * Math.Log(10)) - 1 / ((x + y) * Math.Log(2)), dx, 1e-12);
        GradientCheck.AssertClose(1 / (y * Math.Log(10)) - 1 / ((x + y) * Math.Log(2)), dy, 1e-12);
    }

    [Fact]
    public void Roots() => GradientCheck.Verify(
        p => S.Roots(p[0], p[1]),
        (p, g) => S.RootsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.RootsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [2.0, 0.5], [0.3, 1.7]);

    [Fact]
    public void ConstantPowers()
    {
        GradientCheck.Verify(
            p => S.ConstantPowers(p[0]),
            (p, g) => S.ConstantPowersGradient(p[0], out g[0]),
            (p, s, g) => S.ConstantPowersPullback(p[0], s, ref g[0]),
            [1.7], [0.4]);

        const double x = 1.7;
        S.ConstantPowersGradient(x, out var dx);
        GradientCheck.AssertClose(3 * x * x + 2 * x + 1 + 0.5 / Math.Sqrt(x) + 1.5 * Math.Pow(x, -2.5), dx, 1e-12);
    }

    [Fact]
    public void VariablePower()
    {
        GradientCheck.Verify(
            p => S.VariablePower(p[0], p[1]),
            (p, g) => S.VariablePowerGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => S.VariablePowerPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [1.3, 2.2], [0.6, 0.9]);

        const double x = 1.3, y = 2.2;
        S.VariablePowerGradient(x, y, out var dx, out var dy);
        GradientCheck.AssertClose(y * Math.Pow(x, y - 1) + Math.Pow(y, x * 0.5) * Math.Log(y) * 0.5, dx, 1e-12);
        GradientCheck.AssertClose(Math.Pow(x, y) * Math.Log(x) + x * 0.5 * Math.Pow(y, x * 0.5 - 1), dy, 1e-12);
    }

    [Fact]
    public void AbsMaxMin() => GradientCheck.Verify(
        p => S.AbsMaxMin(p[0], p[1]),
        (p, g) => S.AbsMaxMinGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.AbsMaxMinPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [1.5, 0.5], [-0.8, 2.0], [0.5, -3.0], [-2.5, -1.5]);

    [Fact]
    public void Clamped() => GradientCheck.Verify(
        p => S.Clamped(p[0], p[1], p[2]),
        (p, g) => S.ClampedGradient(p[0], p[1], p[2], out g[0], out g[1], out g[2]),
        (p, s, g) => S.ClampedPullback(p[0], p[1], p[2], s, ref g[0], ref g[1], ref g[2]),
        [0.5, -1, 1], [-2.5, -1, 1], [1.7, -1, 1.2]);

    [Fact]
    public void PiecewiseConstantFunctionsHaveZeroDerivative()
    {
        GradientCheck.Verify(
            p => S.PiecewiseConstant(p[0], p[1]),
            (p, g) => S.PiecewiseConstantGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => S.PiecewiseConstantPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [1.3, 2.2], [-0.6, -1.45]);

        const double x = 1.3, y = 2.2;
        S.PiecewiseConstantGradient(x, y, out var dx, out var dy);
        GradientCheck.AssertClose(Math.Sign(y) + Math.Truncate(x * y), dx, 1e-12);
        GradientCheck.AssertClose(Math.Floor(x), dy, 1e-12);
    }

    [Fact]
    public void FusedMultiplyAdd()
    {
        GradientCheck.Verify(
            p => S.FusedMultiplyAdd(p[0], p[1], p[2]),
            (p, g) => S.FusedMultiplyAddGradient(p[0], p[1], p[2], out g[0], out g[1], out g[2]),
            (p, s, g) => S.FusedMultiplyAddPullback(p[0], p[1], p[2], s, ref g[0], ref g[1], ref g[2]),
            [1.5, -2, 0.5], [-0.3, 0.7, 4]);

        S.FusedMultiplyAddGradient(1.5, -2, 0.5, out var da, out var db, out var dc);
        Assert.Equal(2 * 1.5 * -2 + 0.5, da);
        Assert.Equal(1.5 * 1.5, db);
        Assert.Equal(1.5, dc);
    }

    [Fact]
    public void NegationAndDivision() => GradientCheck.Verify(
        p => S.NegationAndDivision(p[0], p[1]),
        (p, g) => S.NegationAndDivisionGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.NegationAndDivisionPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.8, 1.9], [-1.4, -0.6]);

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(0, false)]
    public void IntAndBoolParametersAreConstants(int power, bool negate)
    {
        GradientCheck.Verify(
            p => S.ConstantParameters(p[0], power, negate),
            (p, g) => S.ConstantParametersGradient(p[0], power, negate, out g[0]),
            (p, s, g) => S.ConstantParametersPullback(p[0], power, negate, s, ref g[0]),
            [1.3], [0.45]);

        S.ConstantParametersGradient(1.3, power, negate, out var dx);
        var closedForm = power * Math.Pow(1.3, power - 1) * (negate ? -1 : power);
        GradientCheck.AssertClose(closedForm, dx, 1e-12);
    }

    [Fact]
    public void NoGradientParameterGetsNoGradient()
    {
        const double weight = 2.5;
        GradientCheck.Verify(
            p => S.WeightedByConstant(p[0], weight, p[1]),
            (p, g) => S.WeightedByConstantGradient(p[0], weight, p[1], out g[0], out g[1]),
            (p, s, g) => S.WeightedByConstantPullback(p[0], weight, p[1], s, ref g[0], ref g[1]),
            [1.1, -0.4], [-0.3, 2]);

        S.WeightedByConstantGradient(1.1, weight, -0.4, out var dx, out var dy);
        Assert.Equal(2 * weight * 1.1 - 0.4, dx, 12);
        Assert.Equal(weight + 1.1, dy, 12);
    }

    /// <summary>The narrowing cast rounds, so finite differences are checked against the closed form with a float tolerance.</summary>
    [Theory]
    [InlineData(0.7, 1.3)]
    [InlineData(-1.2, 0.4)]
    public void FloatCastInsideDoubleMethod(double x, double y)
    {
        var value = S.FloatInsideDoubleGradient(x, y, out var dx, out var dy);

        GradientCheck.AssertClose(x * y + Math.Sin(x), value, GradientCheck.FloatTolerance);
        GradientCheck.AssertClose(y + Math.Cos(x), dx, GradientCheck.FloatTolerance);
        GradientCheck.AssertClose(x, dy, GradientCheck.FloatTolerance);

        double ax = 1, ay = 2;
        S.FloatInsideDoublePullback(x, y, 0.5, ref ax, ref ay);
        GradientCheck.AssertClose(1 + 0.5 * dx, ax, 1e-12);
        GradientCheck.AssertClose(2 + 0.5 * dy, ay, 1e-12);
    }

    [Fact]
    public void FloatSeed()
    {
        var value = F.SeedGradient(1, 2, 3, 4, out var da, out var db, out var dc, out var dd);

        Assert.Equal(441f, value);
        Assert.Equal(294f, da);
        Assert.Equal(294f, db);
        Assert.Equal(126f, dc);
        Assert.Equal(126f, dd);
    }

    [Fact]
    public void FloatTrigonometric() => GradientCheck.VerifyFloat(
        p => Math.Sin(p[0]) * Math.Cos(p[1]) + Math.Tan(p[0] * p[1]) + Math.Asin(p[0]) + Math.Acos(p[1]) * Math.Atan(p[0]) + Math.Atan2(p[1], p[0]),
        (p, g) => F.TrigonometricGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => F.TrigonometricPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.3, 0.6], [-0.45, -0.2]);

    [Fact]
    public void FloatHyperbolicAndLogarithms() => GradientCheck.VerifyFloat(
        p => Math.Sinh(p[0]) * Math.Cosh(p[1]) - Math.Tanh(p[0] - p[1]) + Math.Exp(p[0]) + Math.Log(p[1]) + Math.Log(p[0], p[1]) + Math.Log10(p[0] * p[1]) - Math.Log2(p[0] + p[1]),
        (p, g) => F.HyperbolicAndLogarithmsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => F.HyperbolicAndLogarithmsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 2.5], [1.6, 0.4]);

    [Fact]
    public void FloatRootsAndPowers() => GradientCheck.VerifyFloat(
        p => Math.Sqrt(p[0] * p[1]) + Math.Cbrt(p[0] - p[1]) + Math.Pow(p[0], 3) - Math.Pow(p[1], 0.5) + Math.Pow(p[0], p[1]),
        (p, g) => F.RootsAndPowersGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => F.RootsAndPowersPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [2.0, 0.5], [0.3, 1.7]);

    [Fact]
    public void FloatNonSmooth() => GradientCheck.VerifyFloat(
        p =>
        {
            double x = p[0], y = p[1];
            var kinks = Math.Abs(x) * Math.Max(x, y) + Math.Min(x, y) + Math.Clamp(x * y, -1, 1);
            var steps = x * Math.Sign(y) + y * Math.Floor(x) + Math.Ceiling(x) * Math.Round(y) + Math.Truncate(x * y) * x;
            return kinks + steps + (x * y + x);
        },
        (p, g) => F.NonSmoothGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => F.NonSmoothPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [1.3, 2.2], [-0.6, -1.45], [0.4, 0.7]);

    [Fact]
    public void DoubleInsideFloatMethod() => GradientCheck.VerifyFloat(
        p => Math.Exp(p[0]) * p[1] + p[0] * p[1],
        (p, g) => F.DoubleInsideFloatGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => F.DoubleInsideFloatPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.2, 0.4]);

    [Fact]
    public void ParameterNamesThatGeneratedCodeUses() => GradientCheck.Verify(
        p => S.NameClashes(p[0], p[1], p[2], p[3], p[4]),
        (p, g) => S.NameClashesGradient(p[0], p[1], p[2], p[3], p[4], out g[0], out g[1], out g[2], out g[3], out g[4]),
        (p, s, g) => S.NameClashesPullback(p[0], p[1], p[2], p[3], p[4], s, ref g[0], ref g[1], ref g[2], ref g[3], ref g[4]),
        [0.7, 1.1, -0.4, 2, 3], [1, 2, 3, 4, 5]);

    [Fact]
    public void MixedFloatAccumulation()
    {
        S.MixedFloatAccumulationGradient(0.7, 1.3, out var dx, out var dy);
        // d = (x + 2y) y; f = 2y d; result = d (1 + 2y)
        double x = 0.7, y = 1.3;
        GradientCheck.AssertClose(y * (1 + 2 * y), dx, 1e-5);
        GradientCheck.AssertClose((x + 4 * y) * (1 + 2 * y) + 2 * (x + 2 * y) * y, dy, 1e-5);
    }

    [Fact]
    public void IntToFloatAndBack() => GradientCheck.VerifyFloat(
        p => Enumerable.Range(0, 4).Sum(i => p[0] / (i + 1) + i * 0.5),
        (p, g) => S.IntToFloatAndBackGradient(p[0], 4, out g[0]),
        (p, s, g) => S.IntToFloatAndBackPullback(p[0], 4, s, ref g[0]),
        [0.7], [1.3]);

    [Fact]
    public void SameVariableBothSides() => GradientCheck.Verify(
        p => S.SameVariableBothSides(p[0]),
        (p, g) => S.SameVariableBothSidesGradient(p[0], out g[0]),
        (p, s, g) => S.SameVariableBothSidesPullback(p[0], s, ref g[0]),
        [0.3], [1.3]);
}
