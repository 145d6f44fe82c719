using System;
using AutoGrad;

public static partial class Single
{
    [Differentiable]
    public static float Gaussian(float x, float mu, float sigma)
    {
        float z = (x - mu) / sigma;
        double wide = Math.Exp(-0.5 * (double)(z * z));
        return (float)wide / (sigma * MathF.Sqrt(2 * MathF.PI));
    }
}
