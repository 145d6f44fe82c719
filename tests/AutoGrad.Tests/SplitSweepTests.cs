using AutoGrad.Differentiation;

namespace AutoGrad.Tests;

/// <summary>NameForward then NameReverse (sharing one record) gives what NamePullback gives, and consumes the record.</summary>
public partial class SplitSweepTests
{
    [Differentiable]
    internal static double Recurrence(double w, double[] x)
    {
        double h = 0;
        for (int t = 0; t < x.Length; t++)
        {
            if (x[t] < 0) continue;
            h = Math.Tanh(w * h + x[t]);
        }
        return h * h;
    }

    [Differentiable]
    internal static double Branchy(double a, double b)
    {
        double c = a * b;
        if (c > 1) c = Math.Log(c);
        return c * a;
    }

    [Fact]
    public void Forward_then_reverse_matches_the_pullback_and_empties_the_record()
    {
        double[] x = [0.5, -1, 0.25, 2, 0.1];
        double w = 0.7;
        var expectedX = new double[x.Length];
        double expectedW = 0;
        RecurrencePullback(w, x, 2.0, ref expectedW, expectedX);
        double a = 3, b = 0.5, expectedA = 0, expectedB = 0;
        BranchyPullback(a, b, 2.0, ref expectedA, ref expectedB);

        var record = new ForwardRecord();
        var value = RecurrenceForward(w, x, record);
        var branchy = BranchyForward(a, b, record);
        double da = 0, db = 0, dw = 0;
        var dx = new double[x.Length];
        BranchyReverse(a, b, record, 2.0, ref da, ref db);
        RecurrenceReverse(w, x, record, 2.0, ref dw, dx);

        Assert.Equal(Recurrence(w, x), value);
        Assert.Equal(Branchy(a, b), branchy);
        Assert.Equal(expectedW, dw, 12);
        Assert.Equal(expectedX, dx);
        Assert.Equal(expectedA, da, 12);
        Assert.Equal(expectedB, db, 12);
        Assert.True(record.IsEmpty);
    }
}
