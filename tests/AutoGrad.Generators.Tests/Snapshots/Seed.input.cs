using System;
using AutoGrad;

namespace Samples;

public static partial class Losses
{
    [Differentiable]
    public static double F(double a, double b, double c, double d) => Math.Pow((a + b) * (c + d), 2);
}
