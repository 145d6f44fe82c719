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

    [Differentiable]
    public static double ReturnFromInnerLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s = s * 1.1 + Math.Sin(s) * x;
                if (s > 6) return s * x;
            }
            s -= 0.1;
        }
        return s;
    }

    [Differentiable]
    public static double InnerBreakOuterContinue(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i == 2) continue;
            double t = x;
            for (int j = 0; j < 10; j++)
            {
                t = t * x + 0.5;
                if (t > 3) break;
            }
            s += t * i;
        }
        return s;
    }

    [Differentiable]
    public static double ParameterOverwrittenInLoop(double x, double y, int n)
    {
        for (int i = 0; i < n; i++)
        {
            x = Math.Sin(x) * y + x * 0.5;
            y = y * 0.9 + x * 0.1;
        }
        return x * y;
    }

    [Differentiable]
    public static double ShadowedLocals(double x)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            double t = x * i;
            s += t * t;
        }
        for (int i = 0; i < 2; i++)
        {
            double t = Math.Exp(x * i);
            s += t;
        }
        return s;
    }

    [Differentiable]
    public static double OneSidedOverwriteInLoop(double x, int n)
    {
        double a = x;
        double b = 1;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0) a = a * a * 0.5 + 0.3;
            else b = b * a;
            a = i % 3 == 0 ? Math.Sqrt(a + 1) : a;
        }
        return a + b;
    }

    [Differentiable]
    public static double ActiveConditionInLoop(double x)
    {
        double y = x;
        int k = 0;
        while (y * y < 50 && k < 100)
        {
            y = y * 1.3 + 0.2;
            k++;
        }
        return y;
    }

    [Differentiable]
    public static double ZeroTripLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++) s = s * s;
        return s;
    }

    [Differentiable]
    public static double ReturnInsideElse(double x)
    {
        double s = 0;
        for (int i = 0; i < 5; i++)
        {
            if (x * i < 2) s += x * i;
            else return s * x + i;
        }
        return s;
    }

    [Differentiable]
    public static double DeclaredWithoutInitializerInLoop(double x)
    {
        double s = 0;
        for (int i = 0; i < 4; i++)
        {
            double t;
            if (i % 2 == 0) t = x * x;
            else t = x;
            s = s * t + 1;
        }
        return s;
    }

    [Differentiable]
    public static double LongParameter(double x, long n)
    {
        double s = 0;
        for (long i = 0; i < n; i++) s += x * i;
        return s;
    }

    [Differentiable]
    public static double ConstantLocal(double x)
    {
        const double half = 0.5;
        const int count = 3;
        double s = 0;
        for (int i = 0; i < count; i++) s += x * half;
        return s;
    }

    [Differentiable]
    public static double LoopInBranchInLoop(double x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0)
            {
                double t = x;
                for (int j = 0; j <= i; j++) t = Math.Sin(t) + x * j;
                s += t;
            }
            else
            {
                s = s * x;
            }
        }
        return s;
    }
}
