using O = AutoGrad.Tests.Gradients.OverwriteFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8: every value the reverse sweep reads is the one the forward sweep saw, however the method overwrites it after.</summary>
public class Overwrites
{
    private static void VerifyScalar(Func<double, double> f, Func<double, (double Value, double Derivative)> gradient, PullbackScalar pullback) =>
        GradientCheck.Verify(
            p => f(p[0]),
            (p, g) => { var (value, derivative) = gradient(p[0]); g[0] = derivative; return value; },
            (p, s, g) => pullback(p[0], s, ref g[0]),
            [0.73], [1.4]);

    private delegate void PullbackScalar(double x, double seed, ref double dx);

    [Fact]
    public void Array_passed_to_a_call_then_overwritten()
    {
        VerifyScalar(O.Twice, a => (O.TwiceGradient(a, out var d), d), O.TwicePullback);
        O.TwiceGradient(0.7, out var da);
        GradientCheck.AssertClose(7.0, da, 1e-12);
    }

    [Fact]
    public void Scratch_array_refilled_every_iteration() => GradientCheck.Verify(
        p => O.ScratchAcrossIterations(p[1..], p[0]),
        (p, g) => O.ScratchAcrossIterationsGradient(p[1..], p[0], g.AsSpan(1), out g[0]),
        (p, s, g) => O.ScratchAcrossIterationsPullback(p[1..], p[0], s, g.AsSpan(1), ref g[0]),
        [0.6, 0.3, -0.8, 1.1, 0.4], [-0.5, 1.2, 0.7, -0.2, 0.9]);

    [Fact]
    public void Array_a_rule_reads_then_overwritten() => GradientCheck.Verify(
        p => O.RuleArgumentOverwritten(p[0], p[1]),
        (p, g) => O.RuleArgumentOverwrittenGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => O.RuleArgumentOverwrittenPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.3, -0.7], [1.1, 0.4]);

    [Fact]
    public void Stored_results_reused_by_their_derivative_then_overwritten()
    {
        VerifyScalar(O.TanhThenShift, s => (O.TanhThenShiftGradient(s, out var d), d), O.TanhThenShiftPullback);
        VerifyScalar(O.ExpThenScale, s => (O.ExpThenScaleGradient(s, out var d), d), O.ExpThenScalePullback);
        VerifyScalar(O.SqrtThenShift, s => (O.SqrtThenShiftGradient(s, out var d), d), O.SqrtThenShiftPullback);
        VerifyScalar(O.TanThenSquare, s => (O.TanThenSquareGradient(s, out var d), d), O.TanThenSquarePullback);
        VerifyScalar(O.CbrtThenShift, s => (O.CbrtThenShiftGradient(s, out var d), d), O.CbrtThenShiftPullback);
        VerifyScalar(O.TanhElementThenShift, s => (O.TanhElementThenShiftGradient(s, out var d), d), O.TanhElementThenShiftPullback);
        GradientCheck.Verify(
            p => O.QuotientThenShift(p[0], p[1]),
            (p, g) => O.QuotientThenShiftGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => O.QuotientThenShiftPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [0.3, -0.7], [1.1, 0.4]);

        O.TanhThenShiftGradient(0.73, out var ds);
        GradientCheck.AssertClose(1 - Math.Tanh(0.73) * Math.Tanh(0.73), ds, 1e-12);
    }

    [Fact]
    public void Stored_result_overwritten_by_a_later_iteration() => GradientCheck.Verify(
        O.ExpInLoop,
        (p, g) => O.ExpInLoopGradient(p, g),
        (p, s, g) => O.ExpInLoopPullback(p, s, g),
        [0.3, -0.7, 0.2], [1.1, 0.4, -0.5, 0.1]);

    [Fact]
    public void Local_array_read_then_written_whole_by_a_void_call() => GradientCheck.Verify(
        O.ReadThenWrittenWhole,
        (p, g) => O.ReadThenWrittenWholeGradient(p, g),
        (p, s, g) => O.ReadThenWrittenWholePullback(p, s, g),
        [0.3, -0.7, 0.2], [1.1, 0.4, -0.5]);

    [Fact]
    public void Void_call_output_updated_after_the_call()
    {
        GradientCheck.Verify(
            O.OutputUpdatedAfterCall,
            (p, g) => O.OutputUpdatedAfterCallGradient(p, g),
            (p, s, g) => O.OutputUpdatedAfterCallPullback(p, s, g),
            [0.3, -0.7, 0.2], [1.1, 0.4, -0.5]);
        GradientCheck.Verify(
            O.OutputShiftedAfterCall,
            (p, g) => O.OutputShiftedAfterCallGradient(p, g),
            (p, s, g) => O.OutputShiftedAfterCallPullback(p, s, g),
            [0.3, -0.7, 0.2], [1.1, 0.4, -0.5]);
    }
}
