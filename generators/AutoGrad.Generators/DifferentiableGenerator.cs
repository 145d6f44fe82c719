using System;
using System.Linq;
using System.Text;
using System.Threading;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Differentiation;
using AutoGrad.Generators.Emit;
using AutoGrad.Generators.Lowering;
using AutoGrad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoGrad.Generators;

/// <summary>The outcome of differentiating one method: the program to emit and the diagnostics to report.</summary>
public sealed record DifferentiationResult(GradientProgram? Program, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Emits reverse-mode gradients for methods marked <c>[Differentiable]</c>.
/// Find (attribute) -> Lower (C# to IR) -> Differentiate (activity, reverse-mode transform) -> Emit (C#).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(Symbols.DifferentiableAttribute, static (node, _) => node is MethodDeclarationSyntax, Lower)
            .WithTrackingName(TrackingNames.Lower);

        var rules = context.SyntaxProvider
            .ForAttributeWithMetadataName(Symbols.DerivativeOfAttribute, static (node, _) => node is MethodDeclarationSyntax, RuleReader.Read)
            .WithTrackingName(TrackingNames.Rules);

        // Rules of referenced assemblies come from metadata; the compilation's own rules override them.
        var referencedRules = context.CompilationProvider
            .Select(RuleReader.ReadReferenced)
            .WithTrackingName(TrackingNames.ReferencedRules);

        var ruleSet = rules
            .SelectMany(static (result, _) => result.Rules)
            .Collect()
            .Combine(referencedRules)
            .Select(static (all, _) => all.Right.Concat(all.Left).OrderBy(r => r.TargetKey, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.RuleSet);

        var recursiveCalls = methods
            .Select(static (method, _) => method.Calls)
            .Collect()
            .Select(static (all, _) => CallGraph.RecursiveCalls(all))
            .WithTrackingName(TrackingNames.RecursiveCalls);

        var differentiated = methods
            .Combine(ruleSet)
            .Combine(recursiveCalls)
            .Select(static (pair, _) => Differentiate(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.Differentiate);

        var programs = differentiated
            .Select(static (result, _) => result.Program)
            .WithTrackingName(TrackingNames.Program);

        context.RegisterSourceOutput(programs, static (output, program) =>
        {
            if (program is null) return;
            string source;
            try
            {
                source = Emitter.Emit(program);
            }
            catch (Exception exception)
            {
                output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailure, Location.None, program.Name, exception.Message));
                return;
            }
            output.AddSource(HintName(program), SourceText.From(source, Encoding.UTF8));
        });

        // Diagnostics are reported against the compilation's own syntax trees, so #pragma and .editorconfig severities apply.
        context.RegisterSourceOutput(differentiated.Select(static (r, _) => r.Diagnostics).Combine(context.CompilationProvider), Report);
        context.RegisterSourceOutput(rules.Select(static (r, _) => r.Diagnostics).Combine(context.CompilationProvider), Report);
    }

    private static LoweredMethod Lower(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        var method = (IMethodSymbol)context.TargetSymbol;
        try
        {
            var lowered = Lowerer.Lower(syntax, method, context.SemanticModel, cancellation);
            return lowered.Model is null ? lowered : lowered with { Model = lowered.Model with { Modes = ModesOf(context.Attributes), CheckpointSnapshots = CheckpointSnapshotsOf(context.Attributes) } };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var location = LocationInfo.From(syntax.Identifier);
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, location, method.Name, exception.Message);
            return new LoweredMethod(null, null, EquatableArray.Of(failure), EquatableArray<CallSite>.Empty, method.Name, location, new MethodCalls(Symbols.RuleKey(method), EquatableArray<DifferentiableCall>.Empty));
        }
    }

    /// <summary>The <c>Modes</c> named argument of [Differentiable], if any.</summary>
    private static DerivativeModes ModesOf(System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        foreach (var attribute in attributes)
            foreach (var argument in attribute.NamedArguments)
                if (argument.Key == "Modes" && argument.Value.Value is int modes) return (DerivativeModes)modes;
        return DerivativeModes.Reverse;
    }

    /// <summary>The <c>CheckpointSnapshots</c> named argument of [Differentiable], or 0.</summary>
    private static int CheckpointSnapshotsOf(System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        foreach (var attribute in attributes)
            foreach (var argument in attribute.NamedArguments)
                if (argument.Key == "CheckpointSnapshots" && argument.Value.Value is int snapshots) return snapshots;
        return 0;
    }

    private static DifferentiationResult Differentiate(LoweredMethod lowered, EquatableArray<RuleInfo> rules, EquatableArray<RecursiveCall> recursiveCalls)
    {
        try
        {
            if (lowered.Model is null) return new DifferentiationResult(null, lowered.Diagnostics);
            var recursion = recursiveCalls
                .Where(c => c.Caller == lowered.Calls.Method)
                .Select(c => DiagnosticInfo.Create(DiagnosticDescriptors.Recursion, c.Location, lowered.MethodName, $" through '{c.Callee}'"))
                .ToList();
            if (recursion.Count > 0)
                return new DifferentiationResult(ReverseModeTransform.Failed(lowered.Model, "it is recursive (see AG0013)"), lowered.Diagnostics.Concat(recursion).ToEquatableArray());
            if (lowered.Failure is { } failure)
                return new DifferentiationResult(ReverseModeTransform.Failed(lowered.Model, failure), lowered.Diagnostics);
            var (program, diagnostics) = ReverseModeTransform.Run(lowered, rules);
            return new DifferentiationResult(program, lowered.Diagnostics.Concat(diagnostics).ToEquatableArray());
        }
        catch (Exception exception)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, lowered.MethodLocation, lowered.MethodName, exception.Message);
            var program = lowered.Model is null ? null : ReverseModeTransform.Failed(lowered.Model, "the generator failed (see AG0099)");
            return new DifferentiationResult(program, lowered.Diagnostics.Append(failure).ToEquatableArray());
        }
    }

    private static void Report(SourceProductionContext context, (EquatableArray<DiagnosticInfo> Diagnostics, Compilation Compilation) input)
    {
        foreach (var diagnostic in input.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic(input.Compilation));
    }

    private static string HintName(GradientProgram program)
    {
        var name = new StringBuilder();
        if (program.Namespace.Length > 0) name.Append(program.Namespace).Append('.');
        foreach (var type in program.ContainingTypes) name.Append(type.Name).Append('.');
        name.Append(program.Name);
        foreach (var parameter in program.Parameters) name.Append('_').Append(parameter.TypeText);
        var safe = new StringBuilder();
        foreach (var c in name.ToString()) safe.Append(char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_');
        return safe + ".g.cs";
    }
}
