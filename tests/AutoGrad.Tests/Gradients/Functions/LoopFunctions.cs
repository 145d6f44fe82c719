namespace AutoGrad.Tests.Gradients;

/// <summary>for, while and do-while loops: loop-carried values, data-dependent trip counts, break, continue, return.</summary>
public static partial class LoopFunctions
{
    [Differentiable]
    public static double IntegerPower(double x, int n)
    {
        double r = 1;
        for (int i = 0; i < n; i++) r *= x;
        return r;
    }

    /// <summary>Halves until at most 1: the trip count depends on x.</summary>
    [Differentiable]
    public static double Halvings(double x)
    {
        double y = x;
        while (y > 1) y = y / 2;
        return y * x;
    }

    [Differentiable]
    public static double NewtonSqrt(double x)
    {
        double g = x;
        for (int k = 0; k < 30; k++) g = 0.5 * (g + x / g);
        return g;
    }

    /// <summary>A loop-carried value overwritten through a nonlinear function each iteration.</summary>
    [Differentiable]
    public static double RepeatedSine(double x, double y, int steps)
    {
        double s = y;
        for (int i = 0; i < steps; i++) s = Math.Sin(s) * x + y;
        return s;
    }

    [Differentiable]
    public static double NestedLoops(double x, double y, int n, int m)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double row = x;
            for (int j = 0; j < m; j++)
            {
                row = row * y + Math.Sin(i * x + j * y);
            }
            total += row * 0.5;
            total = Math.Tanh(total);
        }
        return total;
    }

    [Differentiable]
    public static double BreakWhenLarge(double x)
    {
        double s = 0;
        for (int i = 1; i < 100; i++)
        {
            s += x * i;
            if (s > 10) break;
        }
        return s * x;
    }

    [Differentiable]
    public static double ContinueOnOdd(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 1) continue;
            s = s * x + i;
        }
        return s;
    }

    [Differentiable]
    public static double DoWhileFixedCount(double x)
    {
        double y = x;
        int count = 0;
        do
        {
            y = y * 0.5 + Math.Cos(y);
            count++;
        }
        while (count < 5);
        return y;
    }

    /// <summary>Shrinks until small: runs at least once, then as often as x requires.</summary>
    [Differentiable]
    public static double DoWhileDataDependent(double x)
    {
        double y = x;
        do
        {
            y = y * 0.6;
        }
        while (y > 0.1);
        return y * y + x;
    }

    [Differentiable]
    public static double EarlyReturnFromLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            s = s * 1.5 + Math.Sin(x);
            if (s > 5) return s * x;
        }
        return -s;
    }

    [Differentiable]
    public static double CountDown(double x, int n)
    {
        double r = 0;
        int k = n;
        while (k > 0)
        {
            r += Math.Pow(x, k) / k;
            k--;
        }
        --k;
        ++k;
        return r + k;
    }

    [Differentiable]
    public static double IndexArithmetic(double x, int n)
    {
        int m = 2 * n + 1;
        m -= 3;
        m *= 2;
        m /= 3;
        m += n % 3;
        double r = 0;
        for (int i = m; i > 0; i -= 2) r += x / i + i * x * x;
        return r;
    }

    [Differentiable]
    public static double WhileTrueWithBreakAndContinue(double x)
    {
        double s = 0;
        int i = 0;
        while (true)
        {
            i++;
            if (i > 20) break;
            if (i % 3 == 0) continue;
            s += Math.Sin(x * i) / i;
        }
        return s;
    }
}
