using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AutoGrad.Benchmarks.Compare;
using AutoGrad.Gpu;
using BenchmarkDotNet.Running;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The runner's command line (System.CommandLine): one subcommand per in-process mode, each option checked as it is
/// parsed so a bad value is one line in plain words naming the option; a command line that does not start with a
/// mode goes to BenchmarkDotNet unchanged (e.g. <c>--filter '*Seed*' --job short</c>).
/// </summary>
public static class Commands
{
    /// <summary>The modes; a command line that starts with anything else goes to BenchmarkDotNet.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["compare", "scaling", "mlp", "matmul", "forkjoin", "modes", "adbench", "gpu", "checkpoint"];

    /// <summary>Runs the command line; returns the process exit code (1 for a bad option, after its one-line message on standard error).</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !(Modes.Contains(args[0]) || args[0] is "-h" or "--help" or "-?"))
        {
            BenchmarkSwitcher.FromAssembly(typeof(Commands).Assembly).Run(args);
            return 0;
        }
        ParseResult parse = Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The first problem, in one line of plain words, without the help text after it (the rest often repeat it:
            // an unknown option's value is an unknown token of its own).
            Console.Error.WriteLine(parse.Errors[0].Message);
            return 1;
        }
        return parse.Invoke();
    }

    /// <summary>Parses a command line that starts with one of <see cref="Modes"/>.</summary>
    public static ParseResult Parse(string[] args)
    {
        var root = new RootCommand(
            "AutoGrad's benchmarks. The modes below run in process in seconds to minutes; a command line that starts with " +
            "anything else is passed to BenchmarkDotNet (e.g. --filter '*Seed*' --job short).");
        root.Subcommands.Add(Compare());
        root.Subcommands.Add(Scaling());
        root.Subcommands.Add(Mlp());
        root.Subcommands.Add(MatMul());
        root.Subcommands.Add(ForkJoin());
        root.Subcommands.Add(ModesCommand());
        root.Subcommands.Add(AdBench());
        root.Subcommands.Add(Gpu());
        root.Subcommands.Add(Checkpoint());
        return root.Parse(args);
    }

    private static Command Compare()
    {
        var json = Json("also write the rows as JSON (compare-pytorch.sh reads them)");
        var command = new Command("compare", "Every workload's primal and its gradient three ways (generated, tape, hand-written), as one table.") { json };
        command.SetAction(r => CompareRunner.Run(r.GetValue(json)));
        return command;
    }

    private static Command Scaling()
    {
        var output = new Option<string?>("--out") { Description = "the results folder (default: benchmarks/results of this repository)", HelpName = "DIR" };
        var sizes = PositiveIntegers("--sizes", "the values of n to sweep", ScalingRunner.Sizes);
        var command = new Command("scaling", "Rosenbrock's generated and tape gradients as n grows: rosenbrock-scaling.csv and .svg.") { output, sizes };
        command.SetAction(r => ScalingRunner.Run(r.GetValue(output), r.GetValue(sizes)!));
        return command;
    }

    private static Command Mlp()
    {
        var json = Json("also write the rows as JSON");
        var profile = new Option<bool>("--profile") { Description = "add where a training step's time goes, part by part (inside the step, and each part alone)" };
        var stepsOnly = new Option<bool>("--steps-only") { Description = "only the Adam and SGD training steps (compare-pytorch.sh's paired rounds)" };
        var turns = new Option<string[]?>("--turns")
        {
            Description = "take turns with another process over two FIFOs: wait for a byte on TAKE before each stretch of the training steps' work, write one to PASS after it (compare-pytorch.sh)",
            HelpName = "TAKE,PASS",
            CustomParser = r =>
            {
                string text = Single(r);
                string[] paths = text.Split(',');
                if (paths.Length != 2 || paths.Any(p => p.Length == 0)) r.AddError($"--turns must be two paths separated by a comma, not '{text}'.");
                return paths;
            },
        };
        var command = new Command("mlp", "The seed MLP's loss (primal, generated, tape) and its Adam and SGD training steps.") { json, profile, stepsOnly, turns };
        command.SetAction(r =>
        {
            using var alternation = OpenTurns(r.GetValue(turns));
            return MlpRunner.Run(r.GetValue(json), r.GetValue(profile), r.GetValue(stepsOnly), alternation);
        });
        return command;
    }

    /// <summary>The FIFOs of <c>--turns</c>; none when the option is absent, where System.CommandLine gives an empty array.</summary>
    public static Turns? OpenTurns(string[]? paths) => paths is [var take, var pass] ? new Turns(take, pass) : null;

    private static Command MatMul()
    {
        var json = Json("also write the rows as JSON");
        var command = new Command("matmul", "Our float matrix multiply's GFLOP/s on 1024^3 and the seed MLP's shapes.") { json };
        command.SetAction(r => MlpRunner.RunMatMul(r.GetValue(json)));
        return command;
    }

    private static Command ForkJoin()
    {
        var command = new Command("forkjoin", "Whether the second core engages on back-to-back matrix products (one thread, sleeping, spinning workers).");
        command.SetAction(_ => ForkJoinTrace.Run());
        return command;
    }

    private static Command ModesCommand()
    {
        var json = Json("also write the rows as JSON (compare-modes.sh reads them)");
        var command = new Command("modes", "Forward mode against the primal, Hessian-vector products against the gradient.") { json };
        command.SetAction(r => ModesRunner.Run(r.GetValue(json)));
        return command;
    }

    private static Command AdBench()
    {
        var instance = new Option<string>("--instance") { Description = "the instance to measure", Required = true, HelpName = "NAME" };
        instance.Validators.Add(r =>
        {
            string name = r.GetValueOrDefault<string>() ?? "";
            if (!AdBenchRunner.Instances.ContainsKey(name)) r.AddError($"--instance must be one of {string.Join(", ", AdBenchRunner.Instances.Keys)}, not '{name}'.");
        });
        var data = new Option<string?>("--data") { Description = "the folder holding gmm/, ba/ and lstm/ (default: ../shared/adbench beside the repository)", HelpName = "DIR" };
        var json = Json("also write the row as JSON (adbench.sh reads it)");
        var command = new Command("adbench", "One ADBench instance: its gradient / objective time ratio and memory.") { instance, data, json };
        command.SetAction(r => AdBenchRunner.Run(r.GetValue(instance)!, r.GetValue(data), r.GetValue(json)));
        return command;
    }

    private static Command Gpu()
    {
        var devices = new Option<string[]>("--devices")
        {
            Description = $"the devices, separated by commas ({string.Join(", ", Devices.Names)}); one not present is reported and skipped",
            HelpName = "LIST",
            DefaultValueFactory = _ => ["cpu", "cuda"],
            CustomParser = r =>
            {
                string text = Single(r);
                string[] names = text.Split(',', StringSplitOptions.TrimEntries);
                string? unknown = names.FirstOrDefault(n => !Devices.Names.Contains(n.ToLowerInvariant()));
                if (unknown is not null) r.AddError($"--devices '{text}': '{unknown}' is not a device; give some of {string.Join(", ", Devices.Names)} separated by commas.");
                return names;
            },
        };
        var seconds = new Option<double>("--seconds")
        {
            Description = "how long to time each device and batch",
            DefaultValueFactory = _ => 2,
            CustomParser = r =>
            {
                string text = Single(r);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value > 0) return value;
                r.AddError($"--seconds must be a positive number, not '{text}'.");
                return 0;
            },
        };
        var batches = PositiveIntegers("--batches", "the batch sizes", [256, 4096]);
        var json = Json("also write the rows as JSON (gpu.sh reads them)");
        var command = new Command("gpu", "The seed MLP's whole training step (Adam) on each device.") { devices, seconds, batches, json };
        command.SetAction(r => GpuRunner.Run(r.GetValue(devices)!, r.GetValue(seconds), r.GetValue(batches)!, r.GetValue(json)));
        return command;
    }

    private static Command Checkpoint()
    {
        var steps = new Option<int>("--steps")
        {
            Description = "the recurrence's length",
            DefaultValueFactory = _ => 1_000_000,
            CustomParser = r =>
            {
                string text = Single(r);
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0) return value;
                r.AddError($"--steps must be a positive whole number, not '{text}'.");
                return 0;
            },
        };
        var command = new Command("checkpoint", "A 10^6-step recurrence's gradient under binomial checkpointing (several snapshot budgets) against the unbounded one: time and memory.") { steps };
        command.SetAction(r => CheckpointRunner.Run(r.GetValue(steps)));
        return command;
    }

    private static Option<string?> Json(string description) => new("--json") { Description = description, HelpName = "PATH" };

    /// <summary>Positive whole numbers separated by commas, such as 256,4096.</summary>
    private static Option<int[]> PositiveIntegers(string name, string description, int[] defaultValue) => new(name)
    {
        Description = description + ", separated by commas",
        HelpName = "LIST",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            string text = Single(r);
            var values = new List<int>();
            foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
                {
                    r.AddError($"{name} '{text}': '{part}' is not a positive whole number; give them separated by commas, such as {string.Join(',', defaultValue)}.");
                    return [];
                }
                values.Add(value);
            }
            return [.. values];
        },
    };

    private static string Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
}
