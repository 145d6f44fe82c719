namespace AutoGrad.Tests.Gradients;

/// <summary>Control flow that picks a path: if/else, else-if chains, ?:, returns from branches.</summary>
public static partial class BranchFunctions
{
    [Differentiable]
    public static double IfElse(double x, double y)
    {
        double r;
        if (x > y)
        {
            r = x * x;
            r += y;
        }
        else
        {
            r = Math.Sin(y) * x;
        }
        return r * 2;
    }

    [Differentiable]
    public static double ElseIfChain(double x)
    {
        double r = 0;
        if (x < -1) r = -x * x;
        else if (x < 0) r = x * 3;
        else if (x < 1) r = Math.Exp(x);
        else r = Math.Log(x) + Math.E;
        return r + x;
    }

    [Differentiable]
    public static double Conditional(double x, double y) => x > 0 ? x * y : y / (1 - x);

    [Differentiable]
    public static double NestedConditional(double x, double y)
    {
        double t = x > y ? (x > 0 ? x * x : -x) : (y > 1 ? Math.Sqrt(y) : y * x);
        return t * y;
    }

    [Differentiable]
    public static double EarlyReturns(double x, double y)
    {
        if (x < 0) return x * y;
        double z = x + y;
        if (z > 3)
        {
            z = z * z;
            return z - x;
        }
        z *= x;
        return z + y;
    }

    [Differentiable]
    public static double ConstantSwitches(double x, double y, bool useProduct, int mode)
    {
        double r = useProduct ? x * y : x + y;
        if (mode == 1) r = Math.Sin(r);
        else if (mode == 2 && !useProduct) r = r * r;
        return r;
    }

    [Differentiable]
    public static double CompoundConditions(double x, double y)
    {
        if (x > 0 && y > 0 || x < -2) return x * y;
        if (!(x > 1) || y < -3) return x - y * y;
        return x;
    }

    [Differentiable]
    public static double BranchOnLocal(double x)
    {
        double s = Math.Sin(x);
        double r = s;
        if (s > 0) r = s * x;
        else r -= x;
        return r * s;
    }
}
