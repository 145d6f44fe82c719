using System;
using AutoGrad;

public static partial class Checkpoints
{
    /// <summary>A scalar recurrence: the state is h and the counter.</summary>
    [Differentiable(CheckpointSnapshots = 4)]
    public static double Recurrence(double w, double[] x, int n)
    {
        double h = 0.5;
        for (int t = 0; t < n; t++)
            h = Math.Tanh(w * h + x[t % x.Length]);
        return h * h;
    }

    /// <summary>An array updated in place by an inner loop: the state is u, the scalars the body writes and the counter.</summary>
    [Differentiable(CheckpointSnapshots = 3)]
    public static double Diffusion(double[] u0, double c, int n)
    {
        int m = u0.Length;
        double[] u = new double[m];
        for (int i = 0; i < m; i++) u[i] = u0[i];
        double energy = 0;
        for (int t = 0; t < n; t++)
        {
            double left = u[m - 1];
            for (int i = 0; i < m; i++)
            {
                double old = u[i];
                u[i] = old + c * (left - old) + 0.01 * Math.Sin(old);
                left = old;
            }
            energy += u[0] * u[0];
        }
        return energy * c + u[m - 1];
    }
}
