namespace AutoGrad.Tests.Gradients.Severity;

/// <summary>
/// Warnings silenced the two ordinary ways (issue 8). The build treats warnings as errors, so this file
/// compiles only while <c>#pragma warning disable</c> and the .editorconfig severity beside it reach
/// AutoGrad's diagnostics.
/// </summary>
public static partial class SuppressedDiagnosticsFunctions
{
#pragma warning disable AG0016 // the result depends on no differentiable input: intended here
    [Differentiable]
    public static double ConstantResult(double x, int n) => n * 2.0;
#pragma warning restore AG0016

    [Differentiable]
    private static double Scaled([NoGradient] double v, double u) => v * u;

    /// <summary>AG0017 (x's gradient stops at Scaled's [NoGradient] parameter), set to none by .editorconfig.</summary>
    [Differentiable]
    public static double StopsAtNoGradient(double x) => Scaled(x, x);
}

public class SuppressedDiagnostics
{
    [Fact]
    public void SuppressedWarningsStillGenerateTheirGradients()
    {
        Assert.Equal(6.0, SuppressedDiagnosticsFunctions.ConstantResultGradient(0.5, 3, out var dx));
        Assert.Equal(0.0, dx);
        // Only the u path carries a gradient: d/dx (v u) with v held = v = x.
        Assert.Equal(0.25, SuppressedDiagnosticsFunctions.StopsAtNoGradient(0.5));
        SuppressedDiagnosticsFunctions.StopsAtNoGradientGradient(0.5, out var dStopped);
        Assert.Equal(0.5, dStopped);
    }
}
