using R = AutoGrad.Tests.Gradients.RewrittenOutputFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 4 (once AG0018): a call writing a span in a loop or twice on one buffer.</summary>
public class RewrittenOutputs
{
    [Fact]
    public void HelperWritesOneBufferThreeTimes() => GradientCheck.Verify(
        p => R.TwiceOnOneBuffer(p[1..], p[0]),
        (p, g) => R.TwiceOnOneBufferGradient(p[1..], p[0], g.AsSpan(1), out g[0]),
        (p, s, g) => R.TwiceOnOneBufferPullback(p[1..], p[0], s, g.AsSpan(1), ref g[0]),
        [0.7, 1.3, -0.2, 0.5], [-1.1, 0.4, 0.9, -0.6]);

    [Fact]
    public void HelpersCalledInALoop()
    {
        foreach (var steps in new[] { 0, 1, 4 })
        {
            GradientCheck.Verify(
                p => R.CalledInLoop(p[1..], p[0], steps),
                (p, g) => R.CalledInLoopGradient(p[1..], p[0], steps, g.AsSpan(1), out g[0]),
                (p, s, g) => R.CalledInLoopPullback(p[1..], p[0], steps, s, g.AsSpan(1), ref g[0]),
                [0.7, 1.3, -0.2, 0.5], [-1.1, 0.4, 0.9, -0.6]);
        }
    }

    [Fact]
    public void OutputOfAVoidMethodRewrittenInALoop()
    {
        const int n = 3;
        var weights = new[] { 0.3, -1.2, 0.8 };
        double Weighted(double[] p)
        {
            var y = new double[n];
            R.Layered(p[1..], p[0], y);
            return y.Select((v, i) => v * weights[i]).Sum();
        }
        GradientCheck.Verify(
            Weighted,
            (p, g) =>
            {
                var y = new double[n];
                R.Layered(p[1..], p[0], y);
                Array.Clear(g);
                R.LayeredPullback(p[1..], p[0], y, weights, g.AsSpan(1), ref g[0]);
                return y.Select((v, i) => v * weights[i]).Sum();
            },
            (p, s, g) =>
            {
                var y = new double[n];
                R.LayeredPullback(p[1..], p[0], y, weights.Select(w => s * w).ToArray(), g.AsSpan(1), ref g[0]);
            },
            [0.7, 1.3, -0.2, 0.5], [-1.1, 0.4, 0.9, -0.6]);
    }
}
