using AutoGrad.Generators.Tests.Infrastructure;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// Which loops the generator reverses inside their forward loop (a fused reduction) and which it
/// must leave to the separate reverse sweep. The gradients of the same shapes are checked against
/// finite differences in AutoGrad.Tests (Gradients/Reductions.cs).
/// </summary>
public class FusionTests
{
    private const string Fused = "Forward and reverse in one pass";

    [Theory]
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) s += x[i] * x[i]; return s;")]
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { double t = Math.Exp(x[i]); s -= t * w; } return s / x.Length + w;")]
    [InlineData("double s = 0, q = 0; for (int i = 1; i < x.Length; i += 2) { s += x[i - 1]; q += x[i] * w; } double m = s * 2; return m + q;")]
    [InlineData("double t = 0; for (int i = 0; i < x.Length; i++) { double z = w; int r = i * 2; for (int j = 0; j < 2; j++) z += x[j] * x[(r + j) % x.Length]; t += Math.Log(1 + z * z); } return t / x.Length;")]
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { for (int j = 0; j < i; j++) { double v = x[i] * x[j]; s += v * w; } } return s;")]
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { if (x[i] > 0) s += x[i]; } return s;")]
    [InlineData("double s = 0, q = 0; for (int i = 0; i < x.Length; i++) { double m = x[i] * w; if (m < 1) s += 1 - m; else { q -= m * m; s += 0.5; } } return s + q;")]
    public void Reductions_fuse(string body) => Assert.Contains(Fused, Generate(body));

    [Theory]
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) s += x[i]; return s * s;")] // the adjoint after the loop needs the total
    [InlineData("double p = 1, s = 0; for (int i = 0; i < x.Length; i++) { s += p * x[i]; p = x[i]; } return s;")] // a value carried across iterations
    [InlineData("double s = 0, v = 0; for (int i = 0; i < x.Length; i++) { s += x[i]; v += s * x[i]; } return v;")] // the total read inside the loop
    [InlineData("double t = 0, s = 0; for (int i = 0; i < x.Length; i++) { t = x[i] * w; s += t; } return s + t;")] // an iteration's value read after the loop
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { if (s < 1) s += x[i]; } return s;")] // a branch deciding on the total
    [InlineData("double s = 0, t = 0; for (int i = 0; i < x.Length; i++) { if (x[i] > 0) t = x[i]; s += t; } return s;")] // a branch that is not an addition
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) s += x[i]; double r = Math.Exp(s); return r;")] // exp reuses its own result
    [InlineData("double s = w; for (int i = 0; i < x.Length; i++) s = s * x[i]; return s;")] // not an accumulation
    [InlineData("double s = 1; for (int i = 0; i < x.Length; i++) s += x[i]; return w / s;")] // a quotient's adjoint reads its divisor
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { double z = w; double e = z * z; for (int j = 0; j < x.Length; j++) z += x[j]; s += e * z; } return s;")] // a total read before its inner loop
    [InlineData("double s = 0, k = 1; for (int i = 0; i < x.Length; i++) { double z = 0; for (int j = 0; j < x.Length; j++) z += k * x[j]; k = x[i]; s += z; } return s;")] // the inner loop reads a value assigned after it
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { int j = 0; for (j = 0; j < 3; j++) s += x[j] * w; s += j; } return s;")] // the inner counter read after its loop
    public void Look_alikes_do_not_fuse(string body) => Assert.DoesNotContain(Fused, Generate(body));

    private static string Generate(string body)
    {
        var (result, output) = GeneratorHarness.Run($$"""
            using System;
            using AutoGrad;

            public static partial class Subject
            {
                [Differentiable]
                public static double F(double[] x, double w) { {{body}} }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        return GeneratorHarness.Generated(result);
    }
}
