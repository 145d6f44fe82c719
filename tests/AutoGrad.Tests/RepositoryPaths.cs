namespace AutoGrad.Tests;

/// <summary>Locates files committed to the repository, wherever the test binaries run from.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding AutoGrad.sln.</summary>
    public static string Root => s_root.Value;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AutoGrad.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No AutoGrad.sln above {AppContext.BaseDirectory}.");
    }
}
