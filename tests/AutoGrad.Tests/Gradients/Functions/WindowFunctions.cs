namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Windows of arrays passed to calls, as C code passes <c>&amp;q[k*d]</c> (issue 8, point 1): ADBench's GMM
/// calls <c>sqnorm(d, Qx)</c> and <c>logsumexp(k, main_term)</c> on pieces of scratch arrays.
/// </summary>
public static partial class WindowFunctions
{
    [Differentiable]
    public static double SquaredNorm(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
        return s;
    }

    /// <summary>o = c sin(v), a void helper writing a window of the caller's scratch.</summary>
    [Differentiable]
    public static void SinInto(ReadOnlySpan<double> v, double c, Span<double> o)
    {
        for (int i = 0; i < o.Length; i++) o[i] = c * Math.Sin(v[i]);
    }

    /// <summary>log Σ exp(v), with a hand-written rule.</summary>
    public static double LogSumExp(ReadOnlySpan<double> v)
    {
        double max = v[0];
        for (int i = 1; i < v.Length; i++) max = Math.Max(max, v[i]);
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += Math.Exp(v[i] - max);
        return Math.Log(s) + max;
    }

    [DerivativeOf(typeof(WindowFunctions), nameof(LogSumExp))]
    public static void LogSumExpPullback(ReadOnlySpan<double> v, double seed, Span<double> dv)
    {
        if (dv.IsEmpty) return;
        var total = LogSumExp(v);
        for (int i = 0; i < v.Length; i++) dv[i] += seed * Math.Exp(v[i] - total);
    }

    /// <summary>Σ_j sqrt(1 + |q_j|²) over the k rows of length d of q, each passed as q.AsSpan(j * d, d).</summary>
    [Differentiable]
    public static double RowNorms(double[] q, int k, int d)
    {
        double s = 0;
        for (int j = 0; j < k; j++) s += Math.Sqrt(1 + SquaredNorm(q.AsSpan(j * d, d)));
        return s;
    }

    /// <summary>Every spelling of a window: AsSpan with a start, a range, a start and length; Slice; ranges of arrays and spans; ^ indices.</summary>
    [Differentiable]
    public static double Spellings(double[] q, ReadOnlySpan<double> r) =>
        SquaredNorm(q[1..4]) * SquaredNorm(r.Slice(1))
        + SquaredNorm(q.AsSpan(2..)) * LogSumExp(r[..2])
        + LogSumExp(q.AsSpan(1)) + SquaredNorm(r.Slice(1, 2)) * q[0]
        + SquaredNorm(q.AsSpan(^3..^1)) + LogSumExp(q.AsSpan(1, 3).Slice(1));

    /// <summary>The GMM shape: each row's piece of a scratch array written by a void helper, then a rule over the whole scratch.</summary>
    [Differentiable]
    public static double ScratchPieces(double[] x, int k, int d)
    {
        var t = new double[k * d];
        for (int j = 0; j < k; j++) SinInto(x.AsSpan(j * d, d), x[j], t.AsSpan(j * d, d));
        var mainTerm = new double[k];
        for (int j = 0; j < k; j++) mainTerm[j] = -0.5 * SquaredNorm(t.AsSpan(j * d, d)) + x[j * d];
        return LogSumExp(mainTerm);
    }

    /// <summary>A window read by a call, then overwritten by another call: the reverse sweep needs what it held before.</summary>
    [Differentiable]
    public static double OverwrittenWindow(double[] x)
    {
        var t = new double[4];
        SinInto(x, 1.5, t);
        double a = SquaredNorm(t.AsSpan(1, 2));
        SinInto(x.AsSpan(2, 2), a, t.AsSpan(0, 2));
        return a * t[0] + LogSumExp(t.AsSpan(0, 3)) + t[3];
    }

    /// <summary>One window per iteration, its start moving with the loop counter and another variable changed after the call.</summary>
    [Differentiable]
    public static double MovingWindow(double[] x, int n)
    {
        var t = new double[x.Length];
        int at = 0;
        double s = 0;
        for (int j = 0; j + 2 <= x.Length && j < n; j++)
        {
            SinInto(x.AsSpan(at, 2), s + 1, t.AsSpan(at, 2));
            s += LogSumExp(t.AsSpan(at, 2)) * x[j];
            at = at + 1;
        }
        return s;
    }

    /// <summary>
    /// From the fuzzer (seed stream 2): windows in a data-dependent loop condition, which runs at every iteration,
    /// so their starts stay expressions the reverse sweep evaluates again from restored variables.
    /// </summary>
    [Differentiable]
    public static double WindowInLoopCondition(double[] x, double a)
    {
        double v = a;
        for (int i = 0; i < 3 && SquaredNorm(x[1..3]) * LogSumExp(x.AsSpan(i % 2, 2)) > 0.25; i++) v = v * x[i] + Math.Sin(v);
        return v;
    }

    /// <summary>A [DerivativeOf] rule writing windows of a scratch array, one per iteration, read back through a window.</summary>
    [Differentiable]
    public static double RuleWritesWindows(double[] x, double c)
    {
        var t = new double[x.Length];
        double s = 0;
        for (int k = 0; k + 2 <= x.Length; k += 2)
        {
            RewrittenOutputFunctions.ScaleInto(x.AsSpan(k, 2), c * x[k], t.AsSpan(k, 2));
            s += LogSumExp(t.AsSpan(0, k + 2)) * t[k + 1];
        }
        return s;
    }

    /// <summary>Span locals naming windows: indexed, measured, sliced again, written, passed on.</summary>
    [Differentiable]
    public static double SpanLocals(double[] q, int k, int d)
    {
        var scratch = new double[d];
        double s = 0;
        for (int j = 0; j < k; j++)
        {
            var row = q.AsSpan(j * d, d);
            ReadOnlySpan<double> rest = row.Slice(1);
            Span<double> head = scratch.AsSpan(0, 2);
            head[0] = row[0] * row[1];
            head[1] = Math.Tanh(row[d - 1]);
            s += row[0] * SquaredNorm(rest) + row.Length + SquaredNorm(head) * head[1];
            foreach (var v in rest) s += v * head[0];
        }
        return s;
    }
}
