namespace AutoGrad.Benchmarks.Workloads;

/// <summary>
/// A long scalar recurrence, <c>h = tanh(w h + x[t mod len])</c> over <paramref name="steps"/> steps with a running
/// mean of <c>h^2</c>, written once per snapshot budget: without checkpointing (every iteration's saves kept) and
/// with [Differentiable(CheckpointSnapshots = s)] (the checkpoint runner compares them).
/// </summary>
public static partial class LongRecurrence
{
    [Differentiable]
    public static double Unbounded(double w, double[] x, int steps)
    {
        double h = 0.5, energy = 0;
        for (int t = 0; t < steps; t++)
        {
            h = Math.Tanh(w * h + x[t % x.Length]);
            energy += h * h;
        }
        return energy / steps + h;
    }

    [Differentiable(CheckpointSnapshots = 8)]
    public static double Snapshots8(double w, double[] x, int steps)
    {
        double h = 0.5, energy = 0;
        for (int t = 0; t < steps; t++)
        {
            h = Math.Tanh(w * h + x[t % x.Length]);
            energy += h * h;
        }
        return energy / steps + h;
    }

    [Differentiable(CheckpointSnapshots = 32)]
    public static double Snapshots32(double w, double[] x, int steps)
    {
        double h = 0.5, energy = 0;
        for (int t = 0; t < steps; t++)
        {
            h = Math.Tanh(w * h + x[t % x.Length]);
            energy += h * h;
        }
        return energy / steps + h;
    }

    [Differentiable(CheckpointSnapshots = 128)]
    public static double Snapshots128(double w, double[] x, int steps)
    {
        double h = 0.5, energy = 0;
        for (int t = 0; t < steps; t++)
        {
            h = Math.Tanh(w * h + x[t % x.Length]);
            energy += h * h;
        }
        return energy / steps + h;
    }

    [Differentiable(CheckpointSnapshots = 1024)]
    public static double Snapshots1024(double w, double[] x, int steps)
    {
        double h = 0.5, energy = 0;
        for (int t = 0; t < steps; t++)
        {
            h = Math.Tanh(w * h + x[t % x.Length]);
            energy += h * h;
        }
        return energy / steps + h;
    }
}
