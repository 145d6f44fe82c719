using System;
using AutoGrad;

public static partial class ForwardValues
{
    // The derivatives of Cos and Sin are each other, which the forward sweep left in locals: the
    // reverse sweeps read them. The rows of the Jacobian are windows over the span inputs.
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void Rotate(ReadOnlySpan<double> angle, ReadOnlySpan<double> point, Span<double> rotated)
    {
        double theta = angle[0];
        double cosTheta = Math.Cos(theta);
        double sinTheta = Math.Sin(theta);
        rotated[0] = cosTheta * point[0] - sinTheta * point[1];
        rotated[1] = sinTheta * point[0] + cosTheta * point[1];
    }

    // Not once the operand is overwritten (theta) or the local is written in a loop (s): recomputed.
    [Differentiable]
    public static double Overwritten(double x)
    {
        double theta = x * x;
        double c = Math.Cos(theta);
        theta = theta + 1;
        double y = Math.Sin(theta) * c;
        double s = 0;
        for (int i = 0; i < 2; i++)
        {
            s = Math.Cos(y);
            y = y + Math.Sin(y) * s;
        }
        return y;
    }
}
