using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace AutoGrad.Packaging.Tests;

/// <summary>
/// Packs src/AutoGrad and src/AutoGrad.Tape into a temporary folder feed, then builds and runs a console
/// project that references both by PackageReference, as a user would after `dotnet add package`. Done once
/// for all the tests of <see cref="PackagingTests"/>.
/// </summary>
/// <remarks>
/// Offline and isolated: the packs build under their own artifacts folder, not the repository's bin/obj;
/// the consumer restores into a private packages folder (so an AutoGrad of the same version left in the
/// machine's package cache can never be used) from the temporary feed plus a folder source of the machine's
/// cached packages (AutoGrad's own left out), added to the machine's configured sources.
/// </remarks>
public sealed class PackedConsumer : IDisposable
{
    // Generous: under the whole suite on two shared cores a cold pack takes minutes; the limit only ends a hang.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public PackedConsumer()
    {
        Root = Path.Combine(Path.GetTempPath(), "autograd-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);
        Version = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;

        string artifacts = Path.Combine(Root, "artifacts");
        foreach (string project in new[] { "src/AutoGrad/AutoGrad.csproj", "src/AutoGrad.Tape/AutoGrad.Tape.csproj" })
        {
            var pack = Dotnet.Run(RepositoryRoot, Limit, null,
                "pack", project, "-c", "Release", "--artifacts-path", artifacts, "-o", Feed, "--disable-build-servers", "-nologo");
            if (pack.ExitCode != 0) throw new InvalidOperationException($"dotnet pack {project} failed: {pack}");
        }

        string consumer = Path.Combine(Root, "consumer");
        Directory.CreateDirectory(consumer);
        PackagesFolder = Path.Combine(Root, "packages");
        WriteConsumer(consumer, MachinePackagesSource(Path.Combine(Root, "machine-packages")));
        Run = Dotnet.Run(consumer, Limit, new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder },
            "run", "-c", "Release", "--disable-build-servers", "-nologo");
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The temporary folder that holds the feed, the consumer and its packages; deleted on dispose.</summary>
    public string Root { get; }

    /// <summary>The folder feed the packages were packed into.</summary>
    public string Feed { get; }

    /// <summary>The consumer's private packages folder (RestorePackagesPath).</summary>
    public string PackagesFolder { get; }

    /// <summary>The Version of Directory.Build.props, which every package should carry.</summary>
    public string Version { get; }

    /// <summary>The consumer's `dotnet run`: its build's output, then the program's.</summary>
    public Dotnet.Result Run { get; }

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { } // a leftover temporary folder is not worth failing a test run for
        catch (UnauthorizedAccessException) { }
    }

    private void WriteConsumer(string directory, string machinePackages)
    {
        // Stop MSBuild's and NuGet's upward search at the consumer: whatever lies above the temporary
        // folder must not shape the build. The machine's user-level NuGet sources still apply.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="autograd-under-test" value="{Feed}" />
                <add key="machine-packages" value="{machinePackages}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{PackagesFolder}</RestorePackagesPath>
                <!-- The vulnerability audit needs the network; this restore must not. -->
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AutoGrad" Version="{Version}" />
                <PackageReference Include="AutoGrad.Tape" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), ConsumerProgram);
    }

    /// <summary>
    /// A folder source of the machine's cached packages (the dependencies, such as System.Numerics.Tensors)
    /// made of links into the global packages folder, without AutoGrad's own packages.
    /// </summary>
    private static string MachinePackagesSource(string directory)
    {
        Directory.CreateDirectory(directory);
        var locals = Dotnet.Run(Path.GetTempPath(), Limit, null, "nuget", "locals", "global-packages", "--list");
        const string Prefix = "global-packages:";
        string? line = locals.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        if (locals.ExitCode != 0 || line is null) throw new InvalidOperationException($"Cannot find the global packages folder: {locals}");
        string global = line[Prefix.Length..].Trim();
        if (!Directory.Exists(global)) return directory;
        foreach (string package in Directory.EnumerateDirectories(global))
        {
            string id = Path.GetFileName(package);
            if (id == "autograd" || id.StartsWith("autograd.", StringComparison.Ordinal)) continue;
            Directory.CreateSymbolicLink(Path.Combine(directory, id), package);
        }
        return directory;
    }

    private static string FindRepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    /// <summary>
    /// The consumer: a [Differentiable] function whose generated gradient is checked against its closed
    /// form, the [GeneratedCode] version printed, and the tape package on the same function.
    /// Exits with 1 on the first mismatch.
    /// </summary>
    private const string ConsumerProgram = """
        using System.CodeDom.Compiler;
        using System.Reflection;
        using AutoGrad;
        using AutoGrad.Tape;

        double x = 0.7, y = -1.3;

        double f = Model.FGradient(x, y, out double dx, out double dy);
        Check("value", Math.Sin(x) * y + x * x * y * y, f);
        Check("generated df/dx", Math.Cos(x) * y + 2 * x * y * y, dx);
        Check("generated df/dy", Math.Sin(x) + 2 * x * x * y, dy);
        Console.WriteLine("generated by " + typeof(Model).GetMethod(nameof(Model.FGradient))!.GetCustomAttribute<GeneratedCodeAttribute>()!.Version);

        var tape = new GradientTape();
        using (tape.Record())
        {
            Var a = tape.Variable(x), b = tape.Variable(y);
            Var g = TapeMath.Sin(a) * b + a * a * b * b;
            tape.Backward(g);
            Check("tape df/dx", Math.Cos(x) * y + 2 * x * y * y, tape.Adjoint(a));
            Check("tape df/dy", Math.Sin(x) + 2 * x * x * y, tape.Adjoint(b));
        }
        Console.WriteLine("all checks passed");

        static void Check(string what, double expected, double actual)
        {
            bool close = Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected));
            Console.WriteLine($"{(close ? "ok" : "FAIL")} {what}: {actual:R} (closed form {expected:R})");
            if (!close) Environment.Exit(1);
        }

        public static partial class Model
        {
            [Differentiable]
            public static double F(double x, double y) => Math.Sin(x) * y + x * x * y * y;
        }
        """;
}
