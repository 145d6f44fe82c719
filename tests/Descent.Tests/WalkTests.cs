using AutoGrad.NN;

namespace Descent.Tests;

/// <summary>The runtime's optimizers, on the generated gradients, walk each surface into its known minima.</summary>
public sealed class WalkTests
{
    public static TheoryData<string, string> SurfacesAndOptimizers()
    {
        var data = new TheoryData<string, string>();
        foreach (var surface in Surface.All)
            foreach (var kind in new[] { "sgd", "momentum", "adam", "vario-eta" })
                data.Add(surface.Name, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(SurfacesAndOptimizers))]
    public void Every_walk_ends_at_a_known_minimum(string name, string kind)
    {
        var surface = Surface.Named(name);
        foreach (var start in surface.Starts(4))
        {
            var path = Walker.Walk(surface, Optimizer.Create(kind, 2, surface.LearningRates[kind]), start, surface.Steps);
            Assert.False(path.Diverged);
            Assert.True(path.End.DistanceTo(surface.NearestMinimum(path.End)) < 0.05, $"{kind} from {start} ended at {path.End}, loss {path.FinalLoss}");
            Assert.True(path.FinalLoss < 1e-3, $"{kind} from {start}: loss {path.FinalLoss}");
            Assert.Equal(start, path.Start);
        }
    }

    [Fact]
    public void Plain_gradient_descent_finds_all_four_minima_of_Himmelblau_one_from_each_quadrant()
    {
        var surface = Surface.Named("himmelblau");
        var reached = surface.Starts(4)
            .Select(start => Walker.Walk(surface, new Sgd(2, surface.LearningRates["sgd"]), start, surface.Steps))
            .Select(path => (path.Converged, Minimum: surface.NearestMinimum(path.End), Distance: path.End.DistanceTo(surface.NearestMinimum(path.End))))
            .ToArray();
        Assert.All(reached, r => Assert.True(r.Converged && r.Distance < 1e-3, $"ended {r.Distance} from {r.Minimum}"));
        Assert.Equal(surface.Minima.ToHashSet(), reached.Select(r => r.Minimum).ToHashSet());
    }

    [Fact]
    public void The_known_minima_are_stationary_points_of_the_generated_gradients()
    {
        foreach (var surface in Surface.All)
        {
            foreach (var minimum in surface.Minima)
            {
                double value = surface.Gradient(minimum.X, minimum.Y, out double dx, out double dy);
                Assert.Equal(surface.Value(minimum.X, minimum.Y), value);
                Assert.True(value < 1e-9 && Math.Abs(dx) < 1e-4 && Math.Abs(dy) < 1e-4, $"{surface.Name} at {minimum}: f {value}, gradient ({dx}, {dy})");
            }
        }
    }

    [Fact]
    public void The_generated_gradients_match_central_differences()
    {
        const double h = 1e-6;
        foreach (var surface in Surface.All)
        {
            foreach (var p in surface.Starts(7))
            {
                surface.Gradient(p.X, p.Y, out double dx, out double dy);
                double fx = (surface.Value(p.X + h, p.Y) - surface.Value(p.X - h, p.Y)) / (2 * h);
                double fy = (surface.Value(p.X, p.Y + h) - surface.Value(p.X, p.Y - h)) / (2 * h);
                Assert.Equal(fx, dx, 1e-5 * Math.Max(1, Math.Abs(fx)));
                Assert.Equal(fy, dy, 1e-5 * Math.Max(1, Math.Abs(fy)));
            }
        }
    }

    [Fact]
    public void A_decaying_schedule_lets_Vario_Eta_settle_where_a_constant_rate_keeps_it_hovering()
    {
        var surface = Surface.Named("himmelblau");
        var start = surface.Starts(4)[0];
        float rate = surface.LearningRates["vario-eta"];
        var constant = Walker.Walk(surface, new VarioEta(2, rate), start, surface.Steps);
        var cosine = Walker.Walk(surface, new VarioEta(2, rate) { Schedule = new CosineAnnealing(rate, surface.Steps) }, start, surface.Steps);
        Assert.True(cosine.FinalLoss < constant.FinalLoss / 100, $"cosine {cosine.FinalLoss}, constant {constant.FinalLoss}");
    }

    [Fact]
    public void A_diverging_walk_stops_and_says_so()
    {
        var surface = Surface.Named("rosenbrock");
        var path = Walker.Walk(surface, new Sgd(2, 0.1f), new Point(-1.5, 2.5), 1000);
        Assert.True(path.Diverged);
        Assert.False(path.Converged);
        Assert.True(path.Steps < 1000);
    }

    [Fact]
    public void Starts_lie_on_a_ring_inside_the_picture()
    {
        var surface = Surface.Named("rosenbrock");
        var starts = surface.Starts(6);
        Assert.Equal(6, starts.Count);
        Assert.Equal(6, starts.Distinct().Count());
        Assert.All(starts, s => Assert.InRange(s.X, surface.XRange.Min, surface.XRange.Max));
        Assert.All(starts, s => Assert.InRange(s.Y, surface.YRange.Min, surface.YRange.Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => surface.Starts(0));
        Assert.Contains("expected bowl, rosenbrock, himmelblau", Assert.Throws<ArgumentException>(() => Surface.Named("sphere")).Message);
    }
}
