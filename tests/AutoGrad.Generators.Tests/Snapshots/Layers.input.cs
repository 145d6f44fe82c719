using System;
using AutoGrad;

public static partial class Layers
{
    public static void MatMulNT(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
                c[i * n + j] = s;
            }
    }

    [DerivativeOf(typeof(Layers), nameof(MatMulNT))]
    public static void MatMulNTPullback(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n, ReadOnlySpan<double> dc, Span<double> da, Span<double> db)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++)
                {
                    da[i * k + p] += dc[i * n + j] * b[j * k + p];
                    db[j * k + p] += dc[i * n + j] * a[i * k + p];
                }
    }

    [Differentiable]
    public static void Dense(ReadOnlySpan<double> x, ReadOnlySpan<double> w, ReadOnlySpan<double> bias, Span<double> y, int batch, int inputs, int outputs)
    {
        MatMulNT(x, w, y, batch, inputs, outputs);
        for (int r = 0; r < batch; r++)
            for (int c = 0; c < outputs; c++)
                y[r * outputs + c] += bias[c];
    }

    [Differentiable]
    public static void Relu(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : 0;
    }

    [Differentiable]
    public static double Loss(double[] w1, double[] b1, [NoGradient] double[] x, int batch, int inputs, int hidden)
    {
        double[] h = new double[batch * hidden];
        double[] a = new double[batch * hidden];
        Dense(x, w1, b1, h, batch, inputs, hidden);
        Relu(h, a);
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * a[i];
        return s / batch;
    }
}
