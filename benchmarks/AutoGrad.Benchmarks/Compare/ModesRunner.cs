using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGrad.Benchmarks.Workloads;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>One workload's times for the derivative modes, and what each costs against its baseline.</summary>
public sealed record ModesRow(
    string Workload, int N,
    double PrimalUs, double TangentUs, double GradientUs, double HessianVectorUs,
    double TangentBytesPerCall, double HessianVectorBytesPerCall, string Check)
{
    /// <summary>Forward mode against the function itself (goal: at most 2).</summary>
    public double TangentOverPrimal => TangentUs / PrimalUs;

    /// <summary>The Hessian-vector product against the gradient (goal: at most 3).</summary>
    public double HessianVectorOverGradient => HessianVectorUs / GradientUs;
}

[JsonSerializable(typeof(List<ModesRow>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
internal sealed partial class ModesJson : JsonSerializerContext;

/// <summary>
/// <c>modes</c>: the generated tangent (forward mode) against the primal, and the generated
/// Hessian-vector product against the gradient, on Rosenbrock (n = 1,000) and the logistic
/// regression (1,000 x 10), with their allocations; <c>--json PATH</c> writes the rows for
/// compare-modes.sh, which sets them beside torch.autograd.functional.jvp / hvp.
/// </summary>
public static class ModesRunner
{
    /// <summary>Runs the comparison; returns 1 when a derivative disagrees with its check.</summary>
    public static int Run(string? jsonPath)
    {
        var timer = new Timer();
        var rows = new List<ModesRow> { Rosenbrock(timer, 1_000), Logistic(timer) };
        var table = new TextTable("workload", "n", "primal us", "tangent us", "tangent/primal", "gradient us", "HVP us", "HVP/gradient", "tangent B/call", "HVP B/call", "check");
        foreach (var row in rows)
        {
            table.Add(row.Workload, row.N.ToString("N0", CultureInfo.InvariantCulture), Us(row.PrimalUs), Us(row.TangentUs), Ratio(row.TangentOverPrimal),
                Us(row.GradientUs), Us(row.HessianVectorUs), Ratio(row.HessianVectorOverGradient),
                row.TangentBytesPerCall.ToString("0", CultureInfo.InvariantCulture), row.HessianVectorBytesPerCall.ToString("0", CultureInfo.InvariantCulture), row.Check);
        }
        Console.WriteLine(table);
        if (jsonPath is not null) File.WriteAllText(jsonPath, JsonSerializer.Serialize(rows, ModesJson.Default.ListModesRow) + "\n");
        return rows.All(r => r.Check == "ok") ? 0 : 1;
    }

    private static ModesRow Rosenbrock(Timer timer, int n)
    {
        var x = WorkloadData.RosenbrockPoint(n);
        var v = Direction(n);
        var g = new double[n];
        var h = new double[n];
        var check = Check(
            gradient: (p, d) => Functions.RosenbrockGradient(p, d),
            tangent: (p, d) => { Functions.RosenbrockTangent(p, d, out var t); return t; },
            hessianVector: (p, d, product) => Functions.RosenbrockHessianVectorProduct(p, d, new double[p.Length], product),
            x, v);
        return new ModesRow("rosenbrock", n,
            Us(timer.Measure(() => Functions.Rosenbrock(x))),
            Us(timer.Measure(() => Functions.RosenbrockTangent(x, v, out _))),
            Us(timer.Measure(() => Functions.RosenbrockGradient(x, g))),
            Us(timer.Measure(() => Functions.RosenbrockHessianVectorProduct(x, v, g, h))),
            BytesPerCall(() => Functions.RosenbrockTangent(x, v, out _)),
            BytesPerCall(() => Functions.RosenbrockHessianVectorProduct(x, v, g, h)),
            check);
    }

    private static ModesRow Logistic(Timer timer)
    {
        var (features, labels, weights, bias) = WorkloadData.LogisticProblem();
        int k = weights.Length;
        double[] point = [.. weights, bias];
        var v = Direction(k + 1);
        var g = new double[k];
        var h = new double[k];
        var check = Check(
            gradient: (p, d) => Functions.LogisticLossGradient(p[..k], p[k], features, labels, d.AsSpan(0, k), out d[k]),
            tangent: (p, d) => { Functions.LogisticLossTangent(p[..k], p[k], features, labels, d.AsSpan(0, k), d[k], out var t); return t; },
            hessianVector: (p, d, product) => Functions.LogisticLossHessianVectorProduct(p[..k], p[k], features, labels, d.AsSpan(0, k), d[k],
                new double[k], out _, product.AsSpan(0, k), out product[k]),
            point, v);
        var vw = v[..k];
        double vb = v[k];
        return new ModesRow("logreg", labels.Length,
            Us(timer.Measure(() => Functions.LogisticLoss(weights, bias, features, labels))),
            Us(timer.Measure(() => Functions.LogisticLossTangent(weights, bias, features, labels, vw, vb, out _))),
            Us(timer.Measure(() => Functions.LogisticLossGradient(weights, bias, features, labels, g, out _))),
            Us(timer.Measure(() => Functions.LogisticLossHessianVectorProduct(weights, bias, features, labels, vw, vb, g, out _, h, out _))),
            BytesPerCall(() => Functions.LogisticLossTangent(weights, bias, features, labels, vw, vb, out _)),
            BytesPerCall(() => Functions.LogisticLossHessianVectorProduct(weights, bias, features, labels, vw, vb, g, out _, h, out _)),
            check);
    }

    /// <summary>The tangent against the generated gradient dotted with v, H v against central differences of the generated gradient.</summary>
    private static string Check(Func<double[], double[], double> gradient, Func<double[], double[], double> tangent,
        Func<double[], double[], double[], double> hessianVector, double[] x, double[] v)
    {
        var g = new double[x.Length];
        gradient(x, g);
        double expectedTangent = g.Select((gi, i) => gi * v[i]).Sum();
        double actualTangent = tangent(x, v);
        if (Math.Abs(actualTangent - expectedTangent) > 1e-10 * Math.Max(1, Math.Abs(expectedTangent)))
            return $"tangent {actualTangent:R} != gradient . v {expectedTangent:R}";
        const double step = 1e-6;
        var up = new double[x.Length];
        var down = new double[x.Length];
        gradient([.. x.Select((xi, i) => xi + step * v[i])], up);
        gradient([.. x.Select((xi, i) => xi - step * v[i])], down);
        var product = new double[x.Length];
        hessianVector(x, v, product);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = (up[i] - down[i]) / (2 * step);
            if (Math.Abs(product[i] - expected) > 1e-5 * Math.Max(1, Math.Abs(expected))) return $"Hv[{i}] {product[i]:R} != {expected:R}";
        }
        return "ok";
    }

    private static double[] Direction(int n)
    {
        var random = new Random(4);
        return [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1)];
    }

    private static double BytesPerCall(Func<double> call, int calls = 50)
    {
        for (int i = 0; i < 20; i++) call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) call();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    private static double Us(Timing timing) => timing.Median * 1e6;

    private static string Us(double us) => us.ToString(us < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
