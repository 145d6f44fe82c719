using System.Numerics;
namespace AutoGrad.NN;

/// <summary>
/// Updates a flat parameter vector from its gradient, one step at a time. An optimizer is made
/// for a fixed number of parameters; its state (moment estimates, velocities) is preallocated,
/// so <see cref="Step"/> allocates nothing. The state is exposed through <see cref="State"/>,
/// <see cref="StepCount"/> and <see cref="Restore"/> so a checkpoint can save and resume it.
/// The step size is fixed (<see cref="LearningRate"/>) or follows a <see cref="Schedule"/>.
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;
    private LearningRateSchedule? _schedule;

    /// <summary>Creates an optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">The length of the parameter vector it will update.</param>
    /// <param name="learningRate">The step size η.</param>
    protected Optimizer(int parameterCount, float learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        ParameterCount = parameterCount;
        LearningRate = learningRate;
    }

    /// <summary>The short name that identifies the algorithm in files and on the command line: <c>sgd</c>, <c>momentum</c>, <c>adam</c> or <c>vario-eta</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The number of parameters this optimizer updates.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// The step size η. Without a <see cref="Schedule"/> it may be changed between steps; with one, it is the
    /// rate of the latest step (before the first step, the rate the first step will use) and cannot be set.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set while a <see cref="Schedule"/> is attached.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (_schedule is not null) throw new InvalidOperationException($"The learning rate follows the schedule ({_schedule}); set Schedule to null before setting it by hand.");
            if (!float.IsFinite(value) || value <= 0) throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a positive finite number.");
            _learningRate = value;
        }
    }

    /// <summary>
    /// The learning-rate schedule, or null for the fixed <see cref="LearningRate"/>. Every <see cref="Step"/> first sets
    /// <see cref="LearningRate"/> to <c>Schedule.RateAt(StepCount)</c>, so the schedule counts the steps this optimizer has
    /// taken, resumed ones included. Setting it to null keeps the latest rate.
    /// </summary>
    public LearningRateSchedule? Schedule
    {
        get => _schedule;
        set
        {
            _schedule = value;
            if (value is not null) _learningRate = value.RateAt(StepCount);
        }
    }

    /// <summary>The number of steps taken so far (Adam's bias correction and Vario-Eta's depend on it).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// The optimizer's per-parameter state buffers, each <see cref="ParameterCount"/> long, in a fixed
    /// order documented by each optimizer (empty for plain SGD). These are the live buffers, not copies.
    /// </summary>
    public abstract IReadOnlyList<float[]> State { get; }

    /// <summary>Applies one update to <paramref name="parameters"/> given <paramref name="gradient"/> (the gradient of the loss at <paramref name="parameters"/>).</summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradient">The gradient of the loss with respect to <paramref name="parameters"/>.</param>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"This {Kind} optimizer was made for {ParameterCount} parameters, not {parameters.Length}.", nameof(parameters));
        if (gradient.Length != ParameterCount)
            throw new ArgumentException($"The gradient has {gradient.Length} elements but there are {ParameterCount} parameters.", nameof(gradient));
        if (_schedule is not null) _learningRate = _schedule.RateAt(StepCount);
        StepCount++;
        Update(parameters, gradient);
    }

    /// <summary>Forgets all state: zero buffers, zero steps (a schedule starts again).</summary>
    public void Reset()
    {
        foreach (var buffer in State) Array.Clear(buffer);
        StepCount = 0;
        if (_schedule is not null) _learningRate = _schedule.RateAt(0);
    }

    /// <summary>Puts back state saved from an optimizer of the same kind and size.</summary>
    /// <param name="stepCount">The saved <see cref="StepCount"/>.</param>
    /// <param name="state">The saved <see cref="State"/> buffers, in the same order.</param>
    /// <exception cref="ArgumentException">The number or the lengths of the buffers do not match.</exception>
    public void Restore(long stepCount, IReadOnlyList<float[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        var own = State;
        if (state.Count != own.Count)
            throw new ArgumentException($"A {Kind} optimizer has {own.Count} state buffers, not {state.Count}.", nameof(state));
        for (int i = 0; i < own.Count; i++)
        {
            if (state[i].Length != ParameterCount)
                throw new ArgumentException($"State buffer {i} has {state[i].Length} elements, not {ParameterCount}.", nameof(state));
        }
        for (int i = 0; i < own.Count; i++) state[i].CopyTo(own[i], 0);
        StepCount = stepCount;
        if (_schedule is not null) _learningRate = _schedule.RateAt(stepCount);
    }

    /// <summary>Creates an optimizer by its <see cref="Kind"/> name, with default hyperparameters.</summary>
    /// <param name="kind"><c>sgd</c>, <c>momentum</c>, <c>adam</c> or <c>vario-eta</c> (case-insensitive).</param>
    /// <param name="parameterCount">The number of parameters.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <exception cref="ArgumentException">The kind is unknown.</exception>
    public static Optimizer Create(string kind, int parameterCount, float learningRate) => kind.ToLowerInvariant() switch
    {
        Sgd.KindName => new Sgd(parameterCount, learningRate),
        MomentumSgd.KindName => new MomentumSgd(parameterCount, learningRate),
        Adam.KindName => new Adam(parameterCount, learningRate),
        VarioEta.KindName or "varioeta" => new VarioEta(parameterCount, learningRate),
        _ => throw new ArgumentException($"Unknown optimizer '{kind}'; expected sgd, momentum, adam or vario-eta.", nameof(kind)),
    };

    /// <summary>Creates an optimizer by its <see cref="Kind"/> name, with default hyperparameters, whose rate follows <paramref name="schedule"/>.</summary>
    /// <param name="kind"><c>sgd</c>, <c>momentum</c>, <c>adam</c> or <c>vario-eta</c> (case-insensitive).</param>
    /// <param name="parameterCount">The number of parameters.</param>
    /// <param name="schedule">The learning-rate schedule.</param>
    /// <exception cref="ArgumentException">The kind is unknown.</exception>
    public static Optimizer Create(string kind, int parameterCount, LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var optimizer = Create(kind, parameterCount, schedule.RateAt(0));
        optimizer.Schedule = schedule;
        return optimizer;
    }

    /// <summary>
    /// Sets the subnormal values of a state buffer to zero, as a processor's flush-to-zero mode
    /// would (.NET cannot set it). A moving average of a gradient that stays zero (a parameter
    /// behind a dead ReLU) decays into the subnormal range, where rounding keeps it for ever, and
    /// arithmetic on subnormals costs a microcode assist of a hundred cycles or more per element.
    /// </summary>
    private protected static void FlushSubnormals(Span<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var smallest = new Vector<float>(SmallestNormal);
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values[i..]);
                Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(v), smallest), Vector<float>.Zero, v).CopyTo(values[i..]);
            }
        }
        for (; i < values.Length; i++) values[i] = FlushSubnormal(values[i]);
    }

    /// <summary>One value of <see cref="FlushSubnormals"/>: zero when subnormal.</summary>
    private protected static float FlushSubnormal(float x) => MathF.Abs(x) < SmallestNormal ? 0 : x;

    /// <summary>2⁻¹²⁶, the smallest normal float.</summary>
    private protected const float SmallestNormal = 1.17549435e-38f;

    /// <summary>Updates <paramref name="parameters"/> in place; <see cref="StepCount"/> already counts this step.</summary>
    /// <param name="parameters">The parameters, <see cref="ParameterCount"/> long.</param>
    /// <param name="gradient">Their gradient, <see cref="ParameterCount"/> long.</param>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradient);
}
