using AutoGrad.Tape;

namespace AutoGrad.Benchmarks.Workloads;

/// <summary>
/// The workloads on the operator-overloading tape, used the fair way: one tape per thread, reset
/// and reused every call, variable buffers kept, so a warmed-up call allocates nothing. The
/// functions are written as a tape user would write them, operation for operation like the
/// [Differentiable] sources.
/// </summary>
public sealed class TapeGradients
{
    private readonly GradientTape _tape;
    private Var[] _variables = new Var[16];

    /// <summary>Creates the workloads over one tape.</summary>
    /// <param name="initialCapacity">The tape's initial slot count; it grows as needed and keeps its size across resets.</param>
    public TapeGradients(int initialCapacity = 1024) => _tape = new GradientTape(initialCapacity);

    /// <summary>The tape, for its slot count.</summary>
    public GradientTape Tape => _tape;

    /// <summary>The seed function and its gradient.</summary>
    public double Seed(double a, double b, double c, double d, out double da, out double db, out double dc, out double dd)
    {
        _tape.Reset();
        using (_tape.Record())
        {
            Var va = _tape.Variable(a), vb = _tape.Variable(b), vc = _tape.Variable(c), vd = _tape.Variable(d);
            Var f = TapeMath.Pow((va + vb) * (vc + vd), 2);
            _tape.Backward(f);
            da = _tape.Adjoint(va);
            db = _tape.Adjoint(vb);
            dc = _tape.Adjoint(vc);
            dd = _tape.Adjoint(vd);
            return f.Value;
        }
    }

    /// <summary>Rosenbrock and its gradient.</summary>
    public double Rosenbrock(double[] x, Span<double> dx)
    {
        _tape.Reset();
        Span<Var> v = Variables(x.Length);
        using (_tape.Record())
        {
            _tape.Variables(x, v);
            Var sum = 0;
            for (int i = 0; i < v.Length - 1; i++)
            {
                Var valley = v[i + 1] - v[i] * v[i];
                Var offset = 1 - v[i];
                sum += 100 * valley * valley + offset * offset;
            }
            _tape.Gradient(sum, v, dx);
            return sum.Value;
        }
    }

    /// <summary>The tanh recurrence and its gradient.</summary>
    public double Recurrence(double w, double u, double b, double[] inputs, out double dw, out double du, out double db)
    {
        _tape.Reset();
        using (_tape.Record())
        {
            Var vw = _tape.Variable(w), vu = _tape.Variable(u), vb = _tape.Variable(b);
            Var h = 0;
            for (int t = 0; t < inputs.Length; t++) h = TapeMath.Tanh(vw * h + vu * inputs[t] + vb);
            Var loss = h * h;
            _tape.Backward(loss);
            dw = _tape.Adjoint(vw);
            du = _tape.Adjoint(vu);
            db = _tape.Adjoint(vb);
            return loss.Value;
        }
    }

    /// <summary>Mean binary cross-entropy from logits and its gradient, with scalar tape operations.</summary>
    public double LogisticLoss(double[] weights, double bias, double[] features, double[] labels, Span<double> dweights, out double dbias)
    {
        _tape.Reset();
        int featureCount = weights.Length;
        Span<Var> v = Variables(featureCount + 1);
        using (_tape.Record())
        {
            _tape.Variables(weights, v[..featureCount]);
            v[featureCount] = _tape.Variable(bias);
            Var vbias = v[featureCount];
            Var total = 0;
            for (int sample = 0; sample < labels.Length; sample++)
            {
                Var z = vbias;
                int row = sample * featureCount;
                for (int j = 0; j < featureCount; j++) z += v[j] * features[row + j];
                total += TapeMath.Max(z, 0) - z * labels[sample] + TapeMath.Log(1 + TapeMath.Exp(-TapeMath.Abs(z)));
            }
            Var loss = total / labels.Length;
            _tape.Backward(loss);
            for (int j = 0; j < featureCount; j++) dweights[j] = _tape.Adjoint(v[j]);
            dbias = _tape.Adjoint(vbias);
            return loss.Value;
        }
    }

    private Span<Var> Variables(int count)
    {
        if (_variables.Length < count) _variables = new Var[count];
        return _variables.AsSpan(0, count);
    }
}
