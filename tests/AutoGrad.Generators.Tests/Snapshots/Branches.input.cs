using System;
using AutoGrad;

public static partial class Branches
{
    [Differentiable]
    public static double Piecewise(double x, double y, bool clamp)
    {
        double z = x * y;
        if (z > 1)
        {
            z = Math.Log(z) + 1;
        }
        else if (clamp && z < -1)
        {
            return -1;
        }
        return z > 0 ? Math.Sqrt(z) : z * z;
    }
}
