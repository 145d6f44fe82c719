using System;
using AutoGrad;

public static partial class Loops
{
    [Differentiable]
    public static double Recurrence(double w, double u, ReadOnlySpan<double> inputs, int steps)
    {
        double h = 0;
        for (int t = 0; t < steps; t++)
        {
            if (t >= inputs.Length) break;
            if (inputs[t] == 0) continue;
            h = Math.Tanh(w * h + u * inputs[t]);
        }
        return h * h;
    }

    [Differentiable]
    public static double Halve(double x)
    {
        int count = 0;
        while (x > 1)
        {
            x = x / 2;
            count++;
            if (count > 100) return x;
        }
        return x * count;
    }
}
