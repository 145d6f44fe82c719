using AutoGrad.Differentiation;

namespace AutoGrad.Tests;

/// <summary>The binomial checkpointing schedule, run on a state that is just the iteration number.</summary>
public class RevolveTests
{
    private sealed record Run(List<int> Reversed, int Advanced, int MostSlots);

    private static Run Simulate(int steps, int snapshots)
    {
        var slots = new int?[snapshots];
        slots[0] = 0; // the caller's snapshot of the state before the loop
        var state = 0;
        var reversed = new List<int>();
        var advanced = 0;
        var mostSlots = 1;
        var schedule = Revolve.Rent(steps, snapshots);
        for (var actions = 0; ; actions++)
        {
            Assert.True(actions < 10_000_000, "the schedule does not end");
            var action = schedule.Next();
            if (action == RevolveAction.Done) break;
            switch (action)
            {
                case RevolveAction.Advance:
                    Assert.True(schedule.AdvanceSteps > 0);
                    state += schedule.AdvanceSteps;
                    advanced += schedule.AdvanceSteps;
                    Assert.Equal(state, schedule.Step);
                    break;
                case RevolveAction.TakeSnapshot:
                    slots[schedule.Slot] = state;
                    mostSlots = Math.Max(mostSlots, schedule.Slot + 1);
                    break;
                case RevolveAction.RestoreSnapshot:
                    Assert.NotNull(slots[schedule.Slot]);
                    state = slots[schedule.Slot]!.Value;
                    Assert.Equal(state, schedule.Step);
                    break;
                case RevolveAction.ReverseStep:
                    Assert.Equal(state, schedule.Step);
                    reversed.Add(state);
                    state = -1; // reversing leaves only what the reverse sweep restored: the next action must restore
                    break;
            }
        }
        Assert.Equal(0, slots[0]);
        Revolve.Return(schedule);
        return new Run(reversed, advanced, mostSlots);
    }

    private static long Binomial(int n, int k)
    {
        long result = 1;
        for (var i = 1; i <= k; i++) result = result * (n - k + i) / i;
        return result;
    }

    /// <summary>Griewank and Walther's minimum: r·n − C(s + r, s + 1), r the smallest with C(s + r, s) ≥ n.</summary>
    private static long OptimalAdvances(int steps, int snapshots)
    {
        var r = 0;
        while (Binomial(snapshots + r, snapshots) < steps) r++;
        return (long)r * steps - Binomial(snapshots + r, snapshots + 1);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(7, 1)]
    [InlineData(10, 2)]
    [InlineData(10, 3)]
    [InlineData(20, 3)]
    [InlineData(55, 4)]
    [InlineData(100, 5)]
    [InlineData(1000, 10)]
    [InlineData(1000, 3)]
    [InlineData(12345, 7)]
    [InlineData(10, 20)]
    public void Reverses_every_step_once_in_reverse_order_with_the_optimal_recomputation(int steps, int snapshots)
    {
        var run = Simulate(steps, snapshots);
        Assert.Equal(Enumerable.Range(0, steps).Reverse(), run.Reversed);
        Assert.True(run.MostSlots <= snapshots, $"{run.MostSlots} slots used, {snapshots} allowed");
        Assert.Equal(OptimalAdvances(steps, snapshots), run.Advanced);
    }

    [Fact]
    public void Every_small_case_is_optimal()
    {
        for (var snapshots = 1; snapshots <= 6; snapshots++)
        {
            for (var steps = 0; steps <= 120; steps++)
            {
                var run = Simulate(steps, snapshots);
                Assert.Equal(Enumerable.Range(0, steps).Reverse(), run.Reversed);
                Assert.True(run.MostSlots <= snapshots);
                Assert.Equal(OptimalAdvances(steps, snapshots), run.Advanced);
            }
        }
    }

    [Fact]
    public void A_million_steps_with_32_snapshots_recompute_each_step_under_six_times()
    {
        var run = Simulate(1_000_000, 32);
        Assert.Equal(OptimalAdvances(1_000_000, 32), run.Advanced);
        Assert.True(run.Advanced < 6L * 1_000_000); // r = 6 sweeps: 5.5 million advances
    }

    [Fact]
    public void A_warm_schedule_allocates_nothing()
    {
        Simulate(500, 8);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var schedule = Revolve.Rent(500, 8);
        while (schedule.Next() != RevolveAction.Done) { }
        Revolve.Return(schedule);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
