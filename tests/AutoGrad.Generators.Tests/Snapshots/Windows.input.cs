using System;
using AutoGrad;

public static partial class Windows
{
    [Differentiable]
    public static double SquaredNorm(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
        return s;
    }

    [Differentiable]
    public static void SinInto(ReadOnlySpan<double> v, Span<double> o)
    {
        for (int i = 0; i < o.Length; i++) o[i] = Math.Sin(v[i]);
    }

    /// <summary>Rows of q as inputs, pieces of a scratch array as outputs, and a span local.</summary>
    [Differentiable]
    public static double Rows(double[] q, int k, int d)
    {
        var t = new double[k * d];
        double s = 0;
        for (int j = 0; j < k; j++)
        {
            SinInto(q.AsSpan(j * d, d), t.AsSpan(j * d, d));
            var row = t.AsSpan(j * d, d);
            s += SquaredNorm(row[1..]) * row[0];
        }
        return s;
    }
}
