namespace AutoGrad.Tests.Gradients;

/// <summary>Methods that opt into forward mode, Hessian-vector products and Jacobians.</summary>
public static partial class ModeFunctions
{
    private const DerivativeModes TangentAndHvp = DerivativeModes.Forward | DerivativeModes.HessianVector;

    [Differentiable(Modes = TangentAndHvp)]
    public static double Seed(double a, double b, double c, double d) => Math.Pow((a + b) * (c + d), 2);

    [Differentiable(Modes = TangentAndHvp)]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }
        return sum;
    }

    /// <summary>Mean logistic loss of a linear model; x is row-major, samples x features; labels are ±1.</summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double LogisticLoss(double[] w, double b, [NoGradient] double[] x, [NoGradient] double[] y, int features)
    {
        double loss = 0;
        int samples = y.Length;
        for (int s = 0; s < samples; s++)
        {
            double z = b;
            for (int j = 0; j < features; j++) z += w[j] * x[s * features + j];
            loss += Math.Log(1 + Math.Exp(-y[s] * z));
        }
        return loss / samples;
    }

    /// <summary>Every Math function with a rule, in one expression each, so each table entry meets forward mode and its own second derivative.</summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double EveryFunction(double x, double y)
    {
        double r = Math.Sin(x) * Math.Cos(y) + Math.Tan(x * y);
        r += Math.Asin(x) + Math.Acos(y) * Math.Atan(x * y) + Math.Atan2(y, x);
        r += Math.Sinh(x) * Math.Cosh(y) - Math.Tanh(x - y);
        r += Math.Exp(x) + Math.Log(y) * Math.Log(x, y) + Math.Log10(x * y) - Math.Log2(y + x);
        r += Math.Sqrt(x * y) + Math.Cbrt(x - y) + Math.Pow(x, y) + Math.Pow(x, 3) - Math.Pow(y, -1.5);
        r += Math.Abs(x - y) * Math.Max(x, y * y) + Math.Min(x * y, y) + Math.Clamp(x * 3, y, 1.0);
        r += Math.FusedMultiplyAdd(x, y, x * x) + Math.Floor(x * 10) + Math.Sign(y) * x;
        r += (x * 7 + y) % (y + 0.35);
        return r;
    }

    /// <summary>
    /// A cosine and a sine of one angle kept in locals, then a loop over them: the reverse sweep reads
    /// each one's derivative from the other's local, and the products of the tangents go through that read.
    /// </summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double PolarArc(double angle, double radius)
    {
        double theta = angle * radius;
        double c = Math.Cos(theta);
        double s = Math.Sin(theta);
        double e = Math.Exp(s);
        double arc = radius * c * s + e * c;
        for (int i = 0; i < 3; i++) arc = arc * c + s;
        return arc;
    }

    /// <summary>Branches, a conditional expression, reassigned parameters.</summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double Branches(double a, double b)
    {
        double t = Math.Tanh(a * b) / (1 + b * b);
        if (a > 0) t += Math.Sqrt(a) * Math.Sin(b);
        else t -= a > -1 ? Math.Pow(a, 3) : a * b;
        a = a * t;
        return t * a + b;
    }

    /// <summary>A loop-carried value overwritten through a nonlinear function: the reverse sweep pops saved values, so the Hessian-vector product pops their tangents.</summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double RepeatedSine(double x, double y, int steps)
    {
        double s = y;
        for (int i = 0; i < steps; i++) s = Math.Sin(s) * x + y;
        return s * s;
    }

    /// <summary>
    /// Two values saved on one stack each iteration: s, which the gradient reads, and c, which only
    /// decides a branch (no tangent is needed for it, but its pops must stay paired with its pushes).
    /// </summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double SavedDecision(double x, int steps)
    {
        double s = x;
        double c = x;
        double total = 0;
        for (int i = 0; i < steps; i++)
        {
            c = c * 0.9 + 0.05;
            s = Math.Sin(s) * x + 0.2;
            if (c > 0.4) total += s * s;
            else total += s * x;
        }
        return total;
    }

    /// <summary>A local buffer, nested loops and a data-dependent branch inside a loop.</summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double BufferedSmoothing(double[] x, double strength)
    {
        double[] smooth = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double left = i > 0 ? x[i - 1] : x[i];
            smooth[i] = (left + x[i] * strength) / (1 + strength);
        }
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (smooth[i] > 0) total += smooth[i] * smooth[i] * x[i];
            else total -= Math.Exp(smooth[i]);
        }
        return total;
    }

    /// <summary>A [NoGradient] scalar the body reassigns from an input: it carries a tangent all the same.</summary>
    [Differentiable(Modes = TangentAndHvp)]
    public static double ReassignedConstant(double x, [NoGradient] double c)
    {
        c = c * x + Math.Sin(x);
        return c * c + x;
    }

    [Differentiable(Modes = TangentAndHvp)]
    public static float FloatRosenbrock(float[] x)
    {
        float sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            float a = x[i + 1] - x[i] * x[i];
            float b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }
        return sum;
    }

    /// <summary>A curve's residuals: r_i = amplitude exp(-rate t_i) + offset - y_i.</summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void ExponentialResiduals(double amplitude, double rate, double offset, [NoGradient] double[] t, [NoGradient] double[] y, Span<double> r)
    {
        for (int i = 0; i < t.Length; i++) r[i] = amplitude * Math.Exp(-rate * t[i]) + offset - y[i];
    }

    /// <summary>A vector map whose Jacobian is dense and reads an array and a scalar: out_i = tanh(sum_j w_j x_{(i+j) mod n}) * scale.</summary>
    [Differentiable(Modes = DerivativeModes.Jacobian | DerivativeModes.Forward)]
    public static void Mixing(double[] x, double scale, [NoGradient] double[] w, Span<double> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            double z = 0;
            for (int j = 0; j < w.Length; j++) z += w[j] * x[(i + j) % x.Length];
            output[i] = Math.Tanh(z) * scale + x[i % x.Length] * x[i % x.Length];
        }
    }

    /// <summary>A projection with a branch, overwritten locals and a scalar helper: its Jacobian's rows share one forward sweep.</summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void Projection(double[] pose, double scale, Span<double> output)
    {
        double x = pose[0] - pose[3], y = pose[1] - pose[4];
        double angle = pose[2];
        if (angle * angle > 1e-3)
        {
            double c = Math.Cos(angle), s = Math.Sin(angle);
            double rotated = c * x - s * y;
            y = s * x + c * y;
            x = rotated;
        }
        else
        {
            x = x - angle * y;
            y = y + angle * x;
        }
        x = x / (1 + Softened(y));
        output[0] = scale * x;
        output[1] = scale * y * x;
    }

    [Differentiable]
    public static double Softened(double y) => Math.Sqrt(1 + y * y) - 1;

    /// <summary>A recurrence whose saved values live on the record's stacks: the rows rewind them.</summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void Recurrence(double[] x, double decay, Span<double> output)
    {
        double state = 0;
        for (int i = 0; i < x.Length; i++)
        {
            state = state * decay + Math.Sin(x[i]);
            if (state > 0.5) state = Math.Sqrt(state);
            output[i % output.Length] += state;
        }
    }

    /// <summary>A local buffer overwritten in place: its reverse sweep restores the buffer, so the rows run one pullback each.</summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void InPlace(double[] x, Span<double> output)
    {
        double[] t = new double[x.Length];
        for (int i = 0; i < x.Length; i++) t[i] = x[i] * x[i];
        for (int i = 1; i < x.Length; i++) t[i] = Math.Tanh(t[i] + t[i - 1]);
        for (int k = 0; k < output.Length; k++) output[k] = t[x.Length - 1 - k] * x[k];
    }

    /// <summary>
    /// A local buffer written once. Today its reverse sweep restores the elements the forward sweep saved
    /// (their zeros), so the rows run one pullback each; once that save goes, the rows share a forward
    /// sweep and the test's expected path must change with it.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void Buffered(double[] x, double scale, Span<double> output)
    {
        double[] squares = new double[x.Length];
        for (int i = 0; i < x.Length; i++) squares[i] = x[i] * x[i] * scale;
        for (int k = 0; k < output.Length; k++) output[k] = Math.Sin(squares[k]) + squares[k + 1] * squares[0];
    }
}
