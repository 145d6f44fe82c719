using System.CommandLine;
using System.Globalization;
using AutoGrad.NN;
using AutoGrad.Plotting;
using Descent;

var function = new Option<string>("--function") { Description = $"The surface: {string.Join(", ", Surface.All.Select(s => s.Name))}.", DefaultValueFactory = _ => "himmelblau" };
var optimizers = new Option<string>("--optimizer") { Description = "Comma-separated optimizers: sgd, momentum, adam, vario-eta, or all.", DefaultValueFactory = _ => "all" };
var learningRate = new Option<float?>("--learning-rate") { Description = "The learning rate of every optimizer (default: one that suits each optimizer on the surface)." };
var starts = new Option<int>("--starts") { Description = "Starting points, evenly spaced on a ring around the centre.", DefaultValueFactory = _ => 4 };
var steps = new Option<int?>("--steps") { Description = "The most steps per walk (default: the surface's budget)." };
var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: constant, step, exponential or cosine (over --steps).", DefaultValueFactory = _ => "constant" };
var decayFactor = new Option<double>("--decay-factor") { Description = "step/exponential: the multiplier per --decay-steps.", DefaultValueFactory = _ => 0.5 };
var decaySteps = new Option<int>("--decay-steps") { Description = "step/exponential: steps per decay.", DefaultValueFactory = _ => 100 };
var minLearningRate = new Option<double>("--min-learning-rate") { Description = "cosine: the final rate, as a fraction of the starting rate.", DefaultValueFactory = _ => 0 };
var warmup = new Option<int>("--warmup") { Description = "Steps of linear warm-up before the schedule.", DefaultValueFactory = _ => 0 };
var output = new Option<string>("--out") { Description = "Folder for descent.svg, descent.png and descent-animated.svg.", DefaultValueFactory = _ => "descent-output" };

var root = new RootCommand("Walk 2-D loss surfaces with the runtime's optimizers on generated gradients, and draw the walks over the contour map.");
foreach (var option in new Option[] { function, optimizers, learningRate, starts, steps, schedule, decayFactor, decaySteps, minLearningRate, warmup, output })
    root.Options.Add(option);
root.SetAction(parse =>
{
    try
    {
        var surface = Surface.Named(parse.GetValue(function)!);
        var kinds = ParseOptimizers(parse.GetValue(optimizers)!);
        int budget = parse.GetValue(steps) ?? surface.Steps;
        if (budget < 1) throw new ArgumentException($"--steps must be at least 1, not {budget}.");
        int startCount = parse.GetValue(starts);
        if (startCount < 1) throw new ArgumentException($"--starts must be at least 1, not {startCount}.");
        var plan = new SchedulePlan(parse.GetValue(schedule)!, parse.GetValue(decayFactor), parse.GetValue(decaySteps), parse.GetValue(minLearningRate), parse.GetValue(warmup), budget);

        var paths = new List<DescentPath>();
        foreach (var kind in kinds)
        {
            float rate = parse.GetValue(learningRate) ?? surface.LearningRates[kind];
            foreach (var start in surface.Starts(startCount))
            {
                var optimizer = Optimizer.Create(kind, 2, plan.For(rate));
                paths.Add(Walker.Walk(surface, optimizer, start, budget));
            }
        }
        foreach (var path in paths)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path.Optimizer,-9} from {path.Start,-14} to {path.End,-14} loss {path.FinalLoss,10:G3} in {path.Steps,5} steps{(path.Converged ? "" : path.Diverged ? " (diverged)" : " (budget)")}"));
        }
        string folder = parse.GetValue(output)!;
        Directory.CreateDirectory(folder);
        var scene = Pictures.Scene(surface, paths, plan);
        foreach (var name in new[] { "descent.svg", "descent.png" })
        {
            var (width, height) = DescentMap.Save(Path.Combine(folder, name), scene);
            Console.WriteLine($"wrote {Path.Combine(folder, name)} ({width} x {height})");
        }
        DescentAnimation.SaveSvg(Path.Combine(folder, "descent-animated.svg"), scene);
        Console.WriteLine($"wrote {Path.Combine(folder, "descent-animated.svg")}");
        return 0;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
});
return root.Parse(args).Invoke();

static IReadOnlyList<string> ParseOptimizers(string list)
{
    string[] known = ["sgd", "momentum", "adam", "vario-eta"];
    if (string.Equals(list.Trim(), "all", StringComparison.OrdinalIgnoreCase)) return known;
    var kinds = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k.ToLowerInvariant()).Distinct().ToArray();
    foreach (var kind in kinds)
    {
        if (!known.Contains(kind)) throw new ArgumentException($"Unknown optimizer '{kind}'; expected {string.Join(", ", known)} or all.");
    }
    return kinds.Length > 0 ? kinds : throw new ArgumentException("--optimizer names no optimizer.");
}
