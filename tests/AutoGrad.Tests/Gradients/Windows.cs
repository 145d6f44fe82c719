using W = AutoGrad.Tests.Gradients.WindowFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 1: windows of arrays as call inputs and outputs, against finite differences.</summary>
public class Windows
{
    private static double[] Point(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => 2 * random.NextDouble() - 1).ToArray();
    }

    [Fact]
    public void RowsAsInputs()
    {
        GradientCheck.Verify(
            p => W.RowNorms(p, 3, 2),
            (p, g) => W.RowNormsGradient(p, 3, 2, g),
            (p, s, g) => W.RowNormsPullback(p, 3, 2, s, g),
            Point(1, 6), Point(2, 6));
        // Closed form: d/dq sqrt(1 + |q_j|²) = q / sqrt(1 + |q_j|²), row by row.
        var q = Point(3, 6);
        var dq = new double[6];
        W.RowNormsGradient(q, 3, 2, dq);
        for (var i = 0; i < 6; i++)
        {
            var row = i / 2;
            GradientCheck.AssertClose(q[i] / Math.Sqrt(1 + q[2 * row] * q[2 * row] + q[2 * row + 1] * q[2 * row + 1]), dq[i], 1e-12);
        }
    }

    [Fact]
    public void EverySpelling() => GradientCheck.Verify(
        p => W.Spellings(p[..5], p.AsSpan(5, 3)),
        (p, g) => W.SpellingsGradient(p[..5], p.AsSpan(5, 3), g.AsSpan(0, 5), g.AsSpan(5, 3)),
        (p, s, g) => W.SpellingsPullback(p[..5], p.AsSpan(5, 3), s, g.AsSpan(0, 5), g.AsSpan(5, 3)),
        Point(4, 8), Point(5, 8));

    [Fact]
    public void PiecesOfScratch() => GradientCheck.Verify(
        p => W.ScratchPieces(p, 3, 2),
        (p, g) => W.ScratchPiecesGradient(p, 3, 2, g),
        (p, s, g) => W.ScratchPiecesPullback(p, 3, 2, s, g),
        Point(6, 6), Point(7, 6));

    [Fact]
    public void WindowOverwrittenAfterACallReadIt() => GradientCheck.Verify(
        W.OverwrittenWindow,
        (p, g) => W.OverwrittenWindowGradient(p, g),
        (p, s, g) => W.OverwrittenWindowPullback(p, s, g),
        Point(8, 4), Point(9, 4));

    [Fact]
    public void WindowMovingWithTheLoop() => GradientCheck.Verify(
        p => W.MovingWindow(p, 4),
        (p, g) => W.MovingWindowGradient(p, 4, g),
        (p, s, g) => W.MovingWindowPullback(p, 4, s, g),
        Point(10, 5), Point(11, 5));

    [Fact]
    public void WindowsInALoopCondition() => GradientCheck.Verify(
        p => W.WindowInLoopCondition(p[..4], p[4]),
        (p, g) => W.WindowInLoopConditionGradient(p[..4], p[4], g.AsSpan(0, 4), out g[4]),
        (p, s, g) => W.WindowInLoopConditionPullback(p[..4], p[4], s, g.AsSpan(0, 4), ref g[4]),
        [0.7, 1.3, 0.9, 0.5, 0.8], [1.1, 0.4, -0.9, 0.3, -0.6]);

    [Fact]
    public void RuleWritingWindows() => GradientCheck.Verify(
        p => W.RuleWritesWindows(p[..4], p[4]),
        (p, g) => W.RuleWritesWindowsGradient(p[..4], p[4], g.AsSpan(0, 4), out g[4]),
        (p, s, g) => W.RuleWritesWindowsPullback(p[..4], p[4], s, g.AsSpan(0, 4), ref g[4]),
        [0.7, 1.3, 0.9, 0.5, 0.8], [1.1, 0.4, -0.9, 0.3, -0.6]);

    [Fact]
    public void SpanLocalsNamingWindows() => GradientCheck.Verify(
        p => W.SpanLocals(p, 2, 3),
        (p, g) => W.SpanLocalsGradient(p, 2, 3, g),
        (p, s, g) => W.SpanLocalsPullback(p, 2, 3, s, g),
        Point(12, 6), Point(13, 6));
}
