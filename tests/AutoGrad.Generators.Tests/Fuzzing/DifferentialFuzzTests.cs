using System.Diagnostics;
using CsCheck;
using Xunit.Abstractions;

namespace AutoGrad.Generators.Tests.Fuzzing;

/// <summary>
/// The differential fuzzer: random [Differentiable] programs (<see cref="ProgramGrammar"/>), each
/// generated gradient checked against finite differences, and for programs that opt into them the
/// tangent, Hessian-vector product and Jacobian too (<see cref="ProgramRunner"/>). CI runs a
/// fixed-seed budget; a long soak runs with, for example,
/// <c>AUTOGRAD_FUZZ_COUNT=20000 AUTOGRAD_FUZZ_SEED=7 dotnet test tests/AutoGrad.Generators.Tests --filter DifferentialFuzzTests</c>.
/// A failing program is shrunk by CsCheck and reported as a test ready to paste into AutoGrad.Tests.
/// </summary>
public class DifferentialFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCount = 200;
    private const int BatchSize = 100;

    [Fact]
    public void Generated_gradients_match_finite_differences()
    {
        var count = Setting("AUTOGRAD_FUZZ_COUNT", DefaultCount);
        var stream = (uint)Setting("AUTOGRAD_FUZZ_SEED", 1);
        var clock = Stopwatch.StartNew();
        int passed = 0, discarded = 0, withModes = 0, modesThroughCalls = 0, hessianThroughCalls = 0, laneLoops = 0, keeps = 0, keepsWithModes = 0;
        var reasons = new Dictionary<string, int>();
        for (var start = 0; start < count; start += BatchSize)
        {
            var seeds = Enumerable.Range(start, Math.Min(BatchSize, count - start)).Select(k => new PCG(stream, (ulong)k).ToString()).ToList();
            var programs = seeds.Select(Generate).ToList();
            withModes += programs.Count(p => p.Modes);
            modesThroughCalls += programs.Count(p => p.Modes && p.CallsHelpers);
            hessianThroughCalls += programs.Count(p => p.HasHessianVector && p.CallsHelpers);
            var verdicts = ProgramRunner.Run(programs);
            laneLoops += verdicts.Count(v => v.LaneLoops);
            keeps += verdicts.Count(v => v.Keeps);
            keepsWithModes += verdicts.Where((v, i) => v.Keeps && programs[i].Modes).Count();
            for (var i = 0; i < verdicts.Length; i++)
            {
                if (verdicts[i].Failed)
                {
                    output.WriteLine($"program {seeds[i]} failed: {verdicts[i].Message}; shrinking");
                    Shrink(seeds[i]);
                }
                if (verdicts[i].Passed) passed++;
                else
                {
                    discarded++;
                    reasons[verdicts[i].Message] = reasons.GetValueOrDefault(verdicts[i].Message) + 1;
                }
            }
        }
        output.WriteLine($"{count} programs (seed stream {stream}) in {clock.Elapsed.TotalSeconds:F0} s: {passed} passed, {discarded} discarded ({string.Join(", ", reasons.Select(r => $"{r.Value} {r.Key}"))}); {withModes} with derivative modes, {modesThroughCalls} of them calling helpers, {hessianThroughCalls} with Hessian-vector products through calls, {laneLoops} running a loop in lanes, {keeps} keeping replayed iterations ({keepsWithModes} with derivative modes)");
        // A fuzzer that discards most of what it makes tests nothing.
        Assert.True(discarded <= count / 5, $"{discarded} of {count} programs discarded");
    }

    /// <summary>The program a seed stands for, generated the way CsCheck does when it replays a seed.</summary>
    private static FuzzProgram Generate(string seed) => ProgramGrammar.Program.Generate(PCG.Parse(seed), null, out _);

    /// <summary>Shrinks the failure with CsCheck (smaller programs that still fail) and fails with the smallest as a regression test.</summary>
    private static void Shrink(string seed) =>
        Check.Sample(
            ProgramGrammar.Program,
            program => !ProgramRunner.Run([program])[0].Failed,
            seed: seed,
            iter: Setting("AUTOGRAD_FUZZ_SHRINK_ITERATIONS", 2000),
            time: Setting("AUTOGRAD_FUZZ_SHRINK_SECONDS", 120),
            threads: 1,
            print: program => ProgramRunner.Run([program])[0].Message + "\n" + program.RegressionTest());

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
}
