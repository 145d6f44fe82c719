using AutoGrad.Generators.Tests.Infrastructure;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// Which reverse-sweep loop bodies the generated code moves into a function of their own, and how the function takes
/// the method's variables (the runtime tests in AutoGrad.Tests check the gradients against finite differences).
/// </summary>
public class OutliningTests
{
    // GMM's shape: per point, a scratch filled, a triangular loop, a sum of squares; a scalar parameter read in every row.
    private const string PerRow = """
        double[] y = new double[d]; double[] terms = new double[n];
        double a = l[0] * scale;
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < d; i++) { y[i] = l[i] * x[p * d + i] + a; }
            int lower = d;
            for (int i = 0; i < d; i++) { for (int j = i + 1; j < d; j++) { y[j] += l[lower] * Math.Sin(y[i]); lower++; } }
            double s = 0;
            for (int i = 0; i < d; i++) { s += y[i] * y[i]; }
            terms[p] = Math.Log(1 + s) * scale;
            total += terms[p] * a;
        }
        return total;
        """;

    [Fact]
    public void A_large_reverse_body_moves_into_a_function()
    {
        var generated = GeneratorHarness.GeneratedReverse(PerRow, "double[] l, double[] x, double scale, int d, int n");
        var core = generated[generated.IndexOf("private static double __FValueAndPullback(", StringComparison.Ordinal)..];
        Assert.Contains("static void ReverseIteration(", core);
        // The scalar gradient is the caller's reference, used as it is; a's adjoint, read after the loop, is copied in and out.
        Assert.Matches(@"static void ReverseIteration\([^)]*ref double dscale[,)]", core);
        Assert.Matches(@"static void ReverseIteration\([^)]*ref double daOuter[,)]", core);
        Assert.Contains("double da = daOuter;", core);
        Assert.Contains("daOuter = da;", core);
        // A counter written before it is read is the function's own; one whose saved value the body continues from is copied in and out.
        Assert.Contains("int j = default;", core);
        Assert.DoesNotMatch(@"ReverseIteration\([^)]*ref j[,)]", core);
        Assert.Matches(@"static void ReverseIteration\([^)]*ref int lowerOuter[,)]", core);
        // The split halves' reverse half too.
        var reverse = generated[generated.IndexOf("public static void FReverse(", StringComparison.Ordinal)..generated.IndexOf("private static double __FValueAndPullback(", StringComparison.Ordinal)];
        Assert.Contains("static void ReverseIteration(", reverse);
    }

    [Fact]
    public void A_replay_that_saves_nothing_may_keep_its_iterations_instead()
    {
        // GMM's own shape: the replay refills the centred point and its product with the factor, whose old values no
        // reverse code reads, and saves nothing; so the forward sweep may copy both (and the lower index the reverse
        // reads) per point instead.
        var keeps = GeneratorHarness.GeneratedReverse("""
            double[] xc = new double[d]; double[] qx = new double[d]; double[] terms = new double[n];
            for (int p = 0; p < n; p++)
            {
                for (int i = 0; i < d; i++) { xc[i] = x[p * d + i] - l[i]; qx[i] = l[i] * xc[i]; }
                int lower = d;
                for (int i = 0; i < d; i++) { for (int j = i + 1; j < d; j++) { qx[j] += l[lower] * xc[i]; lower++; } }
                double s = 0;
                for (int i = 0; i < d; i++) { s += qx[i] * qx[i]; }
                terms[p] = s + scale;
            }
            double total = 0;
            for (int p = 0; p < n; p++) { total += terms[p] * terms[p]; }
            return total;
            """, "double[] l, double[] x, double scale, int d, int n");
        Assert.Contains("ReplayBudget.Keeps(doubleStack, xc.Length + qx.Length)", keeps);
        Assert.Contains("doubleStack.PushRange(qx);", keeps);
        Assert.Contains("intStack.Push(lower);", keeps);
        Assert.Contains("doubleStack.PopRange(xc);", keeps);
        // Here the triangle reads back what it writes (Sin(y[i])): the replay saves y's old values, so it cannot be kept.
        Assert.DoesNotContain("ReplayBudget", GeneratorHarness.GeneratedReverse(PerRow, "double[] l, double[] x, double scale, int d, int n"));
    }

    [Fact]
    public void A_short_reverse_body_stays()
    {
        var generated = GeneratorHarness.GeneratedReverse("double s = 0; for (int i = 0; i < x.Length; i++) { s += Math.Sin(x[i]) * x[i]; } return s;", "double[] x");
        Assert.DoesNotContain("ReverseIteration", generated);
    }
}
