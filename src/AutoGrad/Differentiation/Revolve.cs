using System.ComponentModel;

namespace AutoGrad.Differentiation;

/// <summary>What a <see cref="Revolve"/> schedule asks the reverse sweep of a checkpointed loop to do next.</summary>
public enum RevolveAction
{
    /// <summary>Run <see cref="Revolve.AdvanceSteps"/> iterations as plain primal code, saving nothing.</summary>
    Advance,

    /// <summary>Copy the loop-carried state into snapshot slot <see cref="Revolve.Slot"/>.</summary>
    TakeSnapshot,

    /// <summary>Copy snapshot slot <see cref="Revolve.Slot"/> back into the loop-carried state.</summary>
    RestoreSnapshot,

    /// <summary>Run the next iteration with its saves, then reverse it (iteration <see cref="Revolve.Step"/>).</summary>
    ReverseStep,

    /// <summary>Every iteration has been reversed.</summary>
    Done,
}

/// <summary>
/// Binomial checkpointing (Griewank and Walther, "Algorithm 799: revolve", ACM TOMS 26(1), 2000):
/// the schedule that reverses <c>steps</c> iterations of a loop keeping at most <c>snapshots</c>
/// copies of its state, with the fewest recomputed iterations. With r the smallest integer such
/// that C(s + r, s) ≥ n, it advances r·n − C(s + r, s + 1) iterations in all (for n &gt; 1).
/// Slot 0 holds the state at iteration 0 when the schedule starts and is never overwritten, so
/// restoring it after <see cref="RevolveAction.Done"/> gives the state before the loop.
/// Pooled per thread: a schedule allocates nothing once warmed up.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Revolve
{
    private const int PoolCapacity = 16;

    [ThreadStatic] private static Revolve?[]? s_pool;
    [ThreadStatic] private static int s_pooled;

    private int[] _snapshotSteps = new int[8];
    private int _snapshots;
    private int _top;       // the slot of the latest snapshot still needed, -1 when none is
    private int _current;   // the iteration the state is at
    private int _end;       // the iterations from here to _end are still to be reversed

    /// <summary>A schedule for <paramref name="steps"/> iterations with <paramref name="snapshots"/> slots (slot 0 already taken).</summary>
    public static Revolve Rent(int steps, int snapshots)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(snapshots, 1);
        Revolve schedule;
        if (s_pooled > 0)
        {
            schedule = s_pool![--s_pooled]!;
            s_pool[s_pooled] = null;
        }
        else schedule = new Revolve();
        if (schedule._snapshotSteps.Length < snapshots) schedule._snapshotSteps = new int[Math.Max(snapshots, 2 * schedule._snapshotSteps.Length)];
        schedule._snapshots = snapshots;
        schedule._snapshotSteps[0] = 0;
        schedule._top = steps == 0 ? -1 : 0;
        schedule._current = 0;
        schedule._end = steps;
        schedule.AdvanceSteps = 0;
        return schedule;
    }

    /// <summary>Gives a schedule back to this thread's pool.</summary>
    public static void Return(Revolve schedule)
    {
        s_pool ??= new Revolve?[PoolCapacity];
        if (s_pooled < PoolCapacity) s_pool[s_pooled++] = schedule;
    }

    /// <summary>The slot of a <see cref="RevolveAction.TakeSnapshot"/> or <see cref="RevolveAction.RestoreSnapshot"/>.</summary>
    public int Slot => _top;

    /// <summary>How many iterations an <see cref="RevolveAction.Advance"/> runs.</summary>
    public int AdvanceSteps { get; private set; }

    /// <summary>The iteration the state is at: after a <see cref="RevolveAction.ReverseStep"/>, the iteration it reverses.</summary>
    public int Step => _current;

    /// <summary>The next action; the caller performs it before asking again.</summary>
    public RevolveAction Next()
    {
        if (_end == _current)
        {
            // Everything from here on is reversed: go back to the latest snapshot, unless this is it.
            if (_top < 0 || _snapshotSteps[_top] == _current)
            {
                _top--;
                return RevolveAction.Done;
            }
            _current = _snapshotSteps[_top];
            return RevolveAction.RestoreSnapshot;
        }
        if (_end - _current == 1)
        {
            // The state is just before the last iteration left: run it with its saves and reverse it.
            _end--;
            if (_top >= 0 && _snapshotSteps[_top] == _current) _top--; // that snapshot is needed no more
            return RevolveAction.ReverseStep;
        }
        if (_snapshotSteps[_top] != _current)
        {
            _top++;
            _snapshotSteps[_top] = _current;
            return RevolveAction.TakeSnapshot;
        }
        var start = _current;
        _current += Split(_end - _current, _snapshots - _top);
        AdvanceSteps = _current - start;
        return RevolveAction.Advance;
    }

    /// <summary>
    /// How far to advance from a snapshot with <paramref name="free"/> slots left (counting the
    /// current one) so that the two halves of <paramref name="steps"/> iterations are reversed
    /// with the fewest recomputations (revolve's choice of the next checkpoint).
    /// </summary>
    private static int Split(int steps, int free)
    {
        // reps: the smallest number of sweeps with which `free` slots reverse `steps` iterations; range = C(free + reps, free).
        long reps = 0, range = 1;
        while (range < steps)
        {
            reps++;
            range = range * (reps + free) / reps;
        }
        var bino1 = range * reps / (free + reps);
        var bino2 = free > 1 ? bino1 * free / (free + reps - 1) : 1;
        var bino3 = free == 1 ? 0 : free > 2 ? bino2 * (free - 1) / (free + reps - 2) : 1;
        var bino4 = bino2 * (reps - 1) / free;
        var bino5 = free < 3 ? 0 : free > 3 ? bino3 * (free - 2) / reps : 1;
        long advance = steps <= bino1 + bino3 ? bino4
            : steps >= range - bino5 ? bino1
            : steps - bino2 - bino3;
        return (int)Math.Max(1, advance);
    }
}
