using AutoGrad.Data;

namespace Mnist;

/// <summary>Where the digits come from: --data/--prefix, or the 10,000-digit set copied next to the program at build time.</summary>
internal static class DataSource
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "data", "mnist10k");

    public static MnistDataSet Load(string? directory, string prefix) => MnistDataSet.Load(directory ?? DefaultDirectory, prefix);
}
