namespace AutoGrad.Tests.Gradients;

/// <summary>Hyper-parameters passed as a struct (issue 8, point 3).</summary>
public readonly struct Hyper
{
    public Hyper(double alpha, int n) => (Alpha, N) = (alpha, n);

    public readonly double Alpha;
    public readonly int N;
}

public readonly record struct Penalty(double Weight, Hyper Inner)
{
    public double Twice => 2 * Weight;
}

/// <summary>Structs of settings are constants: their fields and properties are read, never differentiated.</summary>
public static partial class SettingsFunctions
{
    [Differentiable]
    public static double Smoothed(double[] x, Hyper h)
    {
        double s = 0;
        for (int i = 0; i < h.N; i++) s += Math.Log(1 + Math.Exp(h.Alpha * x[i])) / h.Alpha;
        return s;
    }

    [Differentiable]
    public static double Penalised(double x, double y, Penalty p) =>
        p.Weight * x * x + p.Twice * y + p.Inner.Alpha * x * y + p.Inner.N;
}
