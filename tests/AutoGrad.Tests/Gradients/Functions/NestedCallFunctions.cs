namespace AutoGrad.Tests.Gradients;

/// <summary>Differentiable methods that call other differentiable methods, here and in <see cref="MathHelpers"/>.</summary>
public static partial class NestedCallFunctions
{
    [Differentiable]
    public static double Cube(double x) => x * x * x;

    [Differentiable]
    public static double CallsSameClass(double x, double y) => Cube(x) * y + Cube(y - x);

    [Differentiable]
    public static double CallsOtherClass(double x, double y) => MathHelpers.Sigmoid(x * y) + MathHelpers.Square(x - y);

    [Differentiable]
    public static double Level3(double x) => Math.Sin(x) * x;

    [Differentiable]
    public static double Level2(double x) => Level3(x * 2) + Level3(x);

    [Differentiable]
    public static double Level1(double x, double y)
    {
        double inner = Level2(x) * y;
        return Level2(inner) + inner;
    }

    /// <summary>log Σ exp v, shifted by the maximum: its forward half saves the exponentials on the record.</summary>
    [Differentiable]
    public static double LogSumExp(double[] v)
    {
        double max = v[0];
        for (int i = 1; i < v.Length; i++) max = Math.Max(max, v[i]);
        double sum = 0;
        for (int i = 0; i < v.Length; i++) sum += Math.Exp(v[i] - max);
        return Math.Log(sum) + max;
    }

    /// <summary>
    /// Calls <see cref="LogSumExp"/> in a loop, on a buffer each iteration rewrites, in a statement that
    /// overwrites a value its own derivative reads: the callee's forward half and the caller's saves share
    /// one record, and the reverse sweep must take them back in the opposite order.
    /// </summary>
    [Differentiable]
    public static double CompoundsLogSumExp(double[] x, double rate)
    {
        double[] scaled = new double[x.Length];
        double m = 1;
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < x.Length; i++) scaled[i] = x[i] * m;
            m = m * rate + LogSumExp(scaled) * m;
        }
        return m;
    }

    [Differentiable]
    public static double PassesArrays(double[] x, double[] y) => MathHelpers.SumOfSquares(x) * MathHelpers.DotSpan(x, y);

    /// <summary>Passes the same array as both arguments: both pullbacks accumulate into one gradient.</summary>
    [Differentiable]
    public static double PassesSameArrayTwice(double[] x) => MathHelpers.DotSpan(x, x) + x[0];

    [Differentiable]
    public static double CallsInLoop(double[] x, double c)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += MathHelpers.Sigmoid(x[i] * c) * MathHelpers.Square(x[i]);
        }
        return s;
    }

    [Differentiable]
    public static double CallsWithLoopCarriedValue(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++) s = MathHelpers.Sigmoid(s * 2 - i) + Cube(s) * 0.1;
        return s;
    }

    [Differentiable]
    public static double PassesConstants(double x, int n) => MathHelpers.ScaledPower(x, n + 1, n > 2) + Cube(x);

    [Differentiable]
    public static float FloatCalls(float x, float y) => MathHelpers.SquareF(x * y) + MathHelpers.SquareF(MathF.Sin(x));

    [Differentiable]
    public static double PassesNoGradientArray(double[] x, [NoGradient] double[] w) => MathHelpers.DotSpan(x, w) * 2;

    [Differentiable]
    public static double PassesStaticArray(double[] x) => MathHelpers.DotSpan(ArrayFunctions.Table, x);

    [Differentiable]
    public static double InactiveCall(double x) => NestedCallFunctions.Cube(2.0) * x + MathHelpers.Square(3) ;

    [Differentiable]
    public static double CallsWithNoGradientParameter(double x, [NoGradient] double w) => WeightedHelper(x, w * 2) + WeightedHelper(x * x, 3);

    [Differentiable]
    public static double CallInLoopCondition(double x)
    {
        double y = x;
        int k = 0;
        while (MathHelpers.Square(y) < 20 && k < 50)
        {
            y = y * 1.5;
            k++;
        }
        return y * x;
    }

    [Differentiable]
    public static double CallResultOverwritten(double[] x)
    {
        double s = 0;
        double t = 0;
        for (int i = 0; i < x.Length; i++)
        {
            t = MathHelpers.Sigmoid(t + x[i]);
            s += t * t;
        }
        return s;
    }

    // A local array rewritten in every iteration and passed to a callee: the callee's pullback must
    // see each iteration's contents (ADBench's GMM passes its per-point terms to a log-sum-exp so).
    [Differentiable]
    public static double PassesRewrittenLocalArray(double[] x, int rounds)
    {
        double[] terms = new double[x.Length];
        double s = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < x.Length; i++) terms[i] = x[i] * (r + 1) - 0.5 * r;
            s += MathHelpers.DotSpan(terms, terms);
        }
        return s;
    }

    [Differentiable]
    public static double WeightedHelper(double x, [NoGradient] double w) => w * x * x;


    /// <summary>Callees with their own value stacks, called in a loop whose caller keeps a stack too.</summary>
    [Differentiable]
    public static double CallsLoopingMethodsInLoop(double[] x, double y)
    {
        double s = y;
        for (int i = 0; i < 3; i++)
        {
            s = LoopFunctions.EarlyReturnFromLoop(s * 0.5, i + 2) * 0.1 + ArrayFunctions.Rosenbrock(x) * 0.01 + Math.Sin(s);
        }
        return s;
    }

    [Differentiable]
    public static double PassesSpanToSpan(ReadOnlySpan<double> x) => ArrayFunctions.LogSumExp(x) + MathHelpers.DotSpan(x, x);
}

/// <summary>Differentiable building blocks in a second partial class.</summary>
public static partial class MathHelpers
{
    [Differentiable]
    public static double Square(double x) => x * x;

    [Differentiable]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Differentiable]
    public static double SumOfSquares(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Square(x[i]);
        return s;
    }

    [Differentiable]
    public static double DotSpan(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    [Differentiable]
    public static double ScaledPower(double x, int n, bool negate)
    {
        double r = 1;
        for (int i = 0; i < n; i++) r *= x;
        return negate ? -r : r;
    }

    [Differentiable]
    public static float SquareF(float x) => x * x;
}
