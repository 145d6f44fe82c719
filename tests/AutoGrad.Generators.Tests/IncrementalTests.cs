using System.Reflection;
using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits reuse every step, cosmetic edits leave the output alone, real edits regenerate.</summary>
public class IncrementalTests
{
    private const string Functions = """
        using System;
        using AutoGrad;

        public static partial class Functions
        {
            [Differentiable]
            public static double F(double x, double y) => Math.Sin(x) * y;
        }
        """;

    private const string Other = "public static class Other { public static int Value => 1; }";

    [Fact]
    public void An_unrelated_edit_reuses_every_step()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("public static class Other { public static int Value => 2; }", GeneratorHarness.ParseOptions, path: "Other.cs"));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertReasons(result, TrackingNames.Lower, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertReasons(result, TrackingNames.Differentiate, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertReasons(result, TrackingNames.Program, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_whitespace_edit_leaves_the_generated_program_unchanged()
    {
        var (driver, compilation) = FirstRun();
        var spaced = Functions.Replace("=> Math.Sin(x) * y;", "=>   Math.Sin(x)   *   y;").Replace("public static partial", "\n\npublic static partial");
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(spaced, GeneratorHarness.ParseOptions, path: "Functions.cs"));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertReasons(result, TrackingNames.Program, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void A_body_edit_regenerates_the_program()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(Functions.Replace("Math.Sin(x) * y", "Math.Cos(x) * y"), GeneratorHarness.ParseOptions, path: "Functions.cs"));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertReasons(result, TrackingNames.Lower, IncrementalStepRunReason.Modified);
        AssertReasons(result, TrackingNames.Program, IncrementalStepRunReason.Modified);
        Assert.Contains("Cos", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree) };
        var roots = new[] { typeof(Lowering.LoweredMethod), typeof(DifferentiationResult), typeof(Lowering.RuleResult) };
        var modelTypes = typeof(DifferentiableGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == "AutoGrad.Generators.Model" && !t.IsAbstract && t.IsClass && t.IsPublic);
        var seen = new HashSet<Type>();
        foreach (var type in roots.Concat(modelTypes)) Walk(type, seen, forbidden, type.Name);
        Assert.Contains(typeof(Model.MethodModel), seen);
    }

    private static void Walk(Type type, HashSet<Type> seen, Type[] forbidden, string path)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Model.EquatableArray<>)) type = type.GetGenericArguments()[0];
        if (Nullable.GetUnderlyingType(type) is { } underlying) type = underlying;
        Assert.False(forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.Name}");
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || !seen.Add(type)) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            if (property.Name == "EqualityContract") continue;
            Walk(property.PropertyType, seen, forbidden, path + "." + property.Name);
        }
        foreach (var derived in type.Assembly.GetTypes().Where(t => t.BaseType == type)) Walk(derived, seen, forbidden, path + ":" + derived.Name);
    }

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun()
    {
        var compilation = CSharpCompilation.Create("Tests",
            new[]
            {
                CSharpSyntaxTree.ParseText(Functions, GeneratorHarness.ParseOptions, path: "Functions.cs"),
                CSharpSyntaxTree.ParseText(Other, GeneratorHarness.ParseOptions, path: "Other.cs"),
            },
            GeneratorHarness.Compilation().References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        return (driver, compilation);
    }

    private static void AssertReasons(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"step {step} was not tracked");
        var reasons = runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.Contains(reason, allowed));
    }
}
