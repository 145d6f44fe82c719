namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 3: struct parameters as constants.</summary>
public class Settings
{
    [Fact]
    public void FieldsOfAReadonlyStruct()
    {
        var h = new Hyper(1.5, 3);
        GradientCheck.Verify(
            p => SettingsFunctions.Smoothed(p, h),
            (p, g) => SettingsFunctions.SmoothedGradient(p, h, g),
            (p, s, g) => SettingsFunctions.SmoothedPullback(p, h, s, g),
            [0.7, 1.3, -0.2, 0.5], [-1.1, 0.4, 0.9, -0.3]);
        // Closed form: the logistic function, and nothing for the element the loop does not reach.
        var dx = new double[4];
        SettingsFunctions.SmoothedGradient([0.7, 1.3, -0.2, 0.5], h, dx);
        Assert.Equal(1 / (1 + Math.Exp(-1.5 * 0.7)), dx[0], 12);
        Assert.Equal(0, dx[3]);
    }

    [Fact]
    public void PropertiesOfARecordStruct()
    {
        var penalty = new Penalty(0.75, new Hyper(-0.5, 2));
        GradientCheck.Verify(
            p => SettingsFunctions.Penalised(p[0], p[1], penalty),
            (p, g) => SettingsFunctions.PenalisedGradient(p[0], p[1], penalty, out g[0], out g[1]),
            (p, s, g) => SettingsFunctions.PenalisedPullback(p[0], p[1], penalty, s, ref g[0], ref g[1]),
            [0.7, 1.3], [-1.1, 0.4]);
        SettingsFunctions.PenalisedGradient(0.7, 1.3, penalty, out var dx, out var dy);
        Assert.Equal(2 * 0.75 * 0.7 - 0.5 * 1.3, dx, 12);
        Assert.Equal(1.5 - 0.5 * 0.7, dy, 12);
    }
}
