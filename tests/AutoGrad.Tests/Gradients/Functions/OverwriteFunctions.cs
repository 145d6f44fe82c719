namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Issue 8: values the reverse sweep reads (a stored result a derivative reuses, an array a
/// callee's pullback or a rule reads, an output a void call wrote) that the method overwrites
/// after the forward sweep used them.
/// </summary>
public static partial class OverwriteFunctions
{
    [Differentiable]
    public static double SumSquares(ReadOnlySpan<double> v)
    {
        var s = 0.0;
        foreach (var e in v) s += e * e;
        return s;
    }

    /// <summary>The repro: d/da = 10a.</summary>
    [Differentiable]
    public static double Twice(double a)
    {
        var t = new double[1];
        t[0] = a;
        var s = SumSquares(t);
        t[0] = 2 * a;
        s += SumSquares(t);
        return s;
    }

    /// <summary>The same scratch array refilled and passed on every iteration.</summary>
    [Differentiable]
    public static double ScratchAcrossIterations(double[] x, double w)
    {
        var t = new double[2];
        double s = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            t[0] = x[i] * w;
            t[1] = x[i + 1] - w;
            s += SumSquares(t) * x[i];
        }
        return s;
    }

    /// <summary>An array a [DerivativeOf] rule reads, overwritten after the call.</summary>
    [Differentiable]
    public static double RuleArgumentOverwritten(double a, double b)
    {
        var t = new double[2];
        t[0] = a;
        t[1] = b;
        var s = CustomDerivativeFunctions.SumOfExp(t);
        t[0] = a * b;
        t[1] = 1;
        return s * CustomDerivativeFunctions.SumOfExp(t);
    }

    [Differentiable]
    public static double TanhThenShift(double s)
    {
        double t = Math.Tanh(s);
        t += 0.35;
        return t;
    }

    [Differentiable]
    public static double ExpThenScale(double s)
    {
        double t = Math.Exp(s);
        t = t * s;
        return t;
    }

    [Differentiable]
    public static double SqrtThenShift(double s)
    {
        double t = Math.Sqrt(s);
        t -= s;
        return t;
    }

    [Differentiable]
    public static double TanThenSquare(double s)
    {
        double t = Math.Tan(s);
        t = t * t;
        return t;
    }

    [Differentiable]
    public static double CbrtThenShift(double s)
    {
        double t = Math.Cbrt(s);
        t += 1;
        return t;
    }

    [Differentiable]
    public static double QuotientThenShift(double a, double b)
    {
        double v = a / (2 + Math.Sin(b));
        v -= b;
        return v;
    }

    /// <summary>A stored result reused by its derivative while a later iteration overwrote it.</summary>
    [Differentiable]
    public static double ExpInLoop(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double y = Math.Exp(x[i]);
            s = s * 0.5 + s * s * 0.1 + y;
        }
        return s;
    }

    /// <summary>An element whose stored result the derivative reuses, updated after.</summary>
    [Differentiable]
    public static double TanhElementThenShift(double s)
    {
        var b = new double[1];
        b[0] = Math.Tanh(s);
        b[0] += 0.35;
        return b[0] * s;
    }

    [Differentiable]
    public static void TanhAll(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(x[i]);
    }

    /// <summary>A local array read while it held zeros, then written whole by a void call.</summary>
    [Differentiable]
    public static double ReadThenWrittenWhole(double[] x)
    {
        var b = new double[x.Length];
        double r = b[0] * x[0] + x[1];
        TanhAll(x, b);
        r += b[1] * x[0];
        return r;
    }

    /// <summary>A void helper's output updated after the call.</summary>
    [Differentiable]
    public static double OutputUpdatedAfterCall(double[] x)
    {
        var b = new double[x.Length];
        TanhAll(x, b);
        b[0] += 0.5;
        return b[0] * b[1] + b[1];
    }

    /// <summary>The same, where nothing else in the caller's reverse sweep reads the output.</summary>
    [Differentiable]
    public static double OutputShiftedAfterCall(double[] x)
    {
        var b = new double[x.Length];
        TanhAll(x, b);
        b[0] += 0.5;
        return b[0] + 2 * b[1];
    }
}
