using AutoGrad.Differentiation;

namespace AutoGrad.Tests;

/// <summary>
/// Runs code with the process's <see cref="ReplayBudget"/> set as given, and puts it back after. One copy
/// for the test projects that vary it (linked into AutoGrad.ADBench.Tests and AutoGrad.Generators.Tests).
/// </summary>
internal static class ReplayBudgets
{
    public static T With<T>(long bytes, int minimumValues, Func<T> run)
    {
        var saved = (ReplayBudget.Bytes, ReplayBudget.MinimumValues);
        (ReplayBudget.Bytes, ReplayBudget.MinimumValues) = (bytes, minimumValues);
        try
        {
            return run();
        }
        finally
        {
            (ReplayBudget.Bytes, ReplayBudget.MinimumValues) = saved;
        }
    }

    public static void With(long bytes, int minimumValues, Action run) => With(bytes, minimumValues, () =>
    {
        run();
        return 0;
    });
}
