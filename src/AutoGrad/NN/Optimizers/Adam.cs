using System.Numerics;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad.NN;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction:
/// <c>m ← β₁ m + (1 − β₁) g</c>, <c>v ← β₂ v + (1 − β₂) g²</c>,
/// <c>θ ← θ − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)</c>, with t the step number from 1.
/// </summary>
public sealed class Adam : Optimizer
{
    internal const string KindName = "adam";

    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;
    private readonly float[][] _state;

    /// <summary>Creates the optimizer with zero moment estimates.</summary>
    /// <param name="parameterCount">The number of parameters.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">The decay β₁ of the first-moment (mean) estimate.</param>
    /// <param name="beta2">The decay β₂ of the second-moment (uncentred variance) estimate.</param>
    /// <param name="epsilon">ε, added to the denominator so it is never zero.</param>
    public Adam(int parameterCount, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(parameterCount, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must lie in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must lie in [0, 1).");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _firstMoment = new float[parameterCount];
        _secondMoment = new float[parameterCount];
        _state = [_firstMoment, _secondMoment];
    }

    /// <summary>The decay β₁ of the first-moment estimate.</summary>
    public float Beta1 { get; }

    /// <summary>The decay β₂ of the second-moment estimate.</summary>
    public float Beta2 { get; }

    /// <summary>ε in the denominator.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>Two buffers: the first moment <c>m</c>, then the second moment <c>v</c>.</summary>
    public override IReadOnlyList<float[]> State => _state;

    /// <inheritdoc />
    /// <remarks>
    /// One fused pass: TensorPrimitives has each piece but not the whole update, and eight separate
    /// passes over the parameters measured about 40 us for the seed network, several times this.
    /// Moments that fall below the smallest normal float are set to zero, as a processor's
    /// flush-to-zero mode would (.NET cannot set it). The first moment of a parameter whose
    /// gradient stays zero (behind a dead ReLU) decays by β₁ each step into the subnormal range,
    /// where rounding keeps it forever, and arithmetic on subnormals takes a microcode assist
    /// of a hundred cycles or more: once most of the seed network's units had died, its update
    /// took 1,000-1,300 us instead of about 40. Such a moment moves its parameter by less than
    /// 10⁻³⁰ of the learning rate.
    /// </remarks>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        double step = StepCount;
        var constants = new StepConstants(
            Rate: (float)(LearningRate / (1 - Math.Pow(Beta1, step))),
            SecondScale: (float)(1 / (1 - Math.Pow(Beta2, step))),
            Beta1, Beta2, Epsilon);
        var m = _firstMoment.AsSpan(0, parameters.Length);
        var v = _secondMoment.AsSpan(0, parameters.Length);
        if (parameters.Length >= ParallelFrom && ForkJoin.Shared is { } pool)
            _parallel.Run(pool, parameters, gradient, m, v, constants);
        else
            UpdateRange(parameters, gradient, m, v, constants);
    }

    /// <summary>From this many parameters the update is shared between cores: below, it takes a few microseconds, about a hand-over.</summary>
    private const int ParallelFrom = 16384;

    private readonly ParallelUpdate _parallel = new();

    /// <summary>The step's bias-corrected rate η / (1 − β₁ᵗ) and second-moment scale 1 / (1 − β₂ᵗ), with the fixed hyperparameters.</summary>
    private readonly record struct StepConstants(float Rate, float SecondScale, float Beta1, float Beta2, float Epsilon);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in StepConstants k)
    {
        float rate = k.Rate, secondScale = k.SecondScale, beta1 = k.Beta1, beta2 = k.Beta2, epsilon = k.Epsilon;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (b1, b2, c1, c2) = (new Vector<float>(beta1), new Vector<float>(beta2), new Vector<float>(1 - beta1), new Vector<float>(1 - beta2));
            var (scale, eps, lr) = (new Vector<float>(secondScale), new Vector<float>(epsilon), new Vector<float>(rate));
            var smallest = new Vector<float>(SmallestNormal);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradient[i..]);
                // m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  θ ← θ − η/(1−β₁ᵗ) · m / (√(v/(1−β₂ᵗ)) + ε)
                var mi = b1 * new Vector<float>(m[i..]) + c1 * g;
                var vi = b2 * new Vector<float>(v[i..]) + c2 * g * g;
                mi = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(mi), smallest), Vector<float>.Zero, mi);
                vi = Vector.ConditionalSelect(Vector.LessThan(vi, smallest), Vector<float>.Zero, vi);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (new Vector<float>(parameters[i..]) - lr * mi / (Vector.SquareRoot(vi * scale) + eps)).CopyTo(parameters[i..]);
            }
        }
        for (; i < parameters.Length; i++)
        {
            float g = gradient[i];
            m[i] = FlushSubnormal(beta1 * m[i] + (1 - beta1) * g);
            v[i] = FlushSubnormal(beta2 * v[i] + (1 - beta2) * g * g);
            parameters[i] -= rate * m[i] / (MathF.Sqrt(v[i] * secondScale) + epsilon);
        }
    }

    /// <summary>
    /// The update cut into one share per fork-join thread: its square roots and divisions, not
    /// memory, bound it (about 30 us for the seed MLP's 59k parameters on one core). The shares are
    /// <see cref="ForkJoin.ShareStart"/>'s, the same elements on the same thread every step, and
    /// the same as those <see cref="Sequential"/> sums its cores' gradients in: each core updates
    /// the gradient, moments and parameters already in its cache. Each element's arithmetic is the
    /// same as on one thread, so the result is identical. One instance per optimizer, reused: a
    /// step allocates nothing.
    /// </summary>
    private sealed unsafe class ParallelUpdate : IBlockJob
    {
        private float* _parameters, _gradient, _m, _v;
        private int _length, _shares;
        private StepConstants _constants;

        public void Run(ForkJoin pool, Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in StepConstants constants)
        {
            fixed (float* p = parameters, g = gradient, pm = m, pv = v)
            {
                _parameters = p;
                _gradient = g;
                _m = pm;
                _v = pv;
                _length = parameters.Length;
                _constants = constants;
                try
                {
                    _shares = pool.Threads;
                    // TryRun returns only when every block is done; when another caller holds the workers it runs nothing.
                    if (!pool.TryRun(this, _shares)) UpdateRange(parameters, gradient, m, v, constants);
                }
                finally
                {
                    _parameters = _gradient = _m = _v = null;
                }
            }
        }

        public void RunBlock(int block)
        {
            int start = ForkJoin.ShareStart(block, _shares, _length), count = ForkJoin.ShareStart(block + 1, _shares, _length) - start;
            UpdateRange(new Span<float>(_parameters + start, count), new ReadOnlySpan<float>(_gradient + start, count),
                new Span<float>(_m + start, count), new Span<float>(_v + start, count), _constants);
        }
    }
}
