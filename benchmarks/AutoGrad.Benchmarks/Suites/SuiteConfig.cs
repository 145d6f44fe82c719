using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace AutoGrad.Benchmarks.Suites;

/// <summary>
/// Every suite has two groups per parameter set, so BenchmarkDotNet's Ratio column reads directly:
/// in <see cref="Cost"/> the primal is the baseline (Ratio = gradient time / primal time); in
/// <see cref="Speedup"/> the generated gradient is the baseline (the tape's Ratio = how many times
/// faster the generated gradient is). The generated gradient is measured once in each group.
/// </summary>
public sealed class SuiteConfig : ManualConfig
{
    /// <summary>Primal (baseline), generated gradient, hand-written gradient.</summary>
    public const string Cost = "cost vs primal";

    /// <summary>Generated gradient (baseline), tape gradient.</summary>
    public const string Speedup = "tape vs generated";

    /// <summary>Memory diagnoser, category column, grouped by category and parameters.</summary>
    public SuiteConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(CategoriesColumn.Default);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        Orderer = new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared);
    }
}
