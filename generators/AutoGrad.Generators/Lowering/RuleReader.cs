using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generators.Lowering;

/// <summary>A [DerivativeOf] rule read from its declaration, or what is wrong with it.</summary>
public sealed record RuleResult(EquatableArray<RuleInfo> Rules, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Reads [DerivativeOf] rules and checks that each has the shape of a pullback of its target.</summary>
internal static class RuleReader
{
    public static RuleResult Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        if (context.TargetSymbol is not IMethodSymbol rule) return new RuleResult(EquatableArray<RuleInfo>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        var location = LocationInfo.From(((MethodDeclarationSyntax)context.TargetNode).Identifier);
        return Read(rule, context.Attributes, location, cancellation);
    }

    /// <summary>
    /// The rules of referenced assemblies (the runtime's primitives, a library's own rules), read from
    /// their metadata: those of every assembly that references AutoGrad, and AutoGrad's own.
    /// Rules the compilation cannot call are skipped; a referenced assembly's invalid rules were reported when it was built.
    /// </summary>
    public static EquatableArray<RuleInfo> ReadReferenced(Compilation compilation, CancellationToken cancellation)
    {
        var attributeType = compilation.GetTypeByMetadataName(Symbols.DerivativeOfAttribute);
        if (attributeType is null) return EquatableArray<RuleInfo>.Empty;
        var autoGrad = attributeType.ContainingAssembly;
        var rules = new List<RuleInfo>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!SymbolEqualityComparer.Default.Equals(assembly, autoGrad)
                && !assembly.Modules.Any(m => m.ReferencedAssemblySymbols.Any(r => SymbolEqualityComparer.Default.Equals(r, autoGrad))))
            {
                continue;
            }
            foreach (var method in Methods(assembly.GlobalNamespace, cancellation))
            {
                var attributes = method.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType)).ToImmutableArray();
                if (attributes.Length == 0 || !compilation.IsSymbolAccessibleWithin(method, compilation.Assembly)) continue;
                rules.AddRange(Read(method, attributes, null, cancellation).Rules);
            }
        }
        return rules.OrderBy(r => r.TargetKey, System.StringComparer.Ordinal).ToEquatableArray();
    }

    private static IEnumerable<IMethodSymbol> Methods(INamespaceOrTypeSymbol container, CancellationToken cancellation)
    {
        foreach (var member in container.GetMembers())
        {
            cancellation.ThrowIfCancellationRequested();
            switch (member)
            {
                case INamespaceOrTypeSymbol inner:
                    foreach (var method in Methods(inner, cancellation)) yield return method;
                    break;
                case IMethodSymbol { IsStatic: true, MethodKind: MethodKind.Ordinary } method:
                    yield return method;
                    break;
            }
        }
    }

    private static RuleResult Read(IMethodSymbol rule, ImmutableArray<AttributeData> attributes, LocationInfo? location, CancellationToken cancellation)
    {
        var rules = new List<RuleInfo>();
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var attribute in attributes)
        {
            cancellation.ThrowIfCancellationRequested();
            if (attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol targetType
                || attribute.ConstructorArguments[1].Value is not string targetName)
            {
                continue;
            }
            var candidates = targetType.GetMembers(targetName).OfType<IMethodSymbol>().Where(m => m.IsStatic).ToList();
            if (candidates.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeTargetNotFound, location, targetType.ToDisplayString(), targetName));
                continue;
            }
            // Overloads: the rule belongs to the one whose parameter types open the rule's parameter list.
            var target = candidates.FirstOrDefault(c => c.Parameters.Length < rule.Parameters.Length
                && c.Parameters.Select(p => p.Type).SequenceEqual(rule.Parameters.Take(c.Parameters.Length).Select(p => p.Type), SymbolEqualityComparer.Default))
                ?? candidates[0];
            var problem = Check(rule, target, out var signatures);
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDerivativeRule, location, rule.Name, targetType.Name + "." + targetName, problem));
                continue;
            }
            var readsOutputs = !attribute.NamedArguments.Any(a => a.Key == "ReadsOutputs" && a.Value.Value is false);
            rules.Add(new RuleInfo(Symbols.RuleKey(target), Symbols.FullyQualified(rule.ContainingType) + "." + rule.Name, signatures!.ToEquatableArray(), readsOutputs));
        }
        return new RuleResult(rules.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private static string? Check(IMethodSymbol rule, IMethodSymbol target, out List<ParameterSignature>? signatures)
    {
        signatures = null;
        if (!rule.IsStatic || !rule.ReturnsVoid) return "a rule is a static method returning void";
        var outputs = target.Parameters.Where(p => Symbols.ArrayOf(p.Type) is { Shape: ParameterShape.Output }).ToList();
        ScalarType t;
        if (target.ReturnsVoid && outputs.Count > 0) t = Symbols.ArrayOf(outputs[0].Type)!.Value.Element;
        else if (Symbols.ScalarOf(target.ReturnType) is { } returned && returned.IsReal()) t = returned;
        else return "the target must return double or float, or be a void method with Span<T> outputs";
        var seedCount = target.ReturnsVoid ? outputs.Count : 1;
        var n = target.Parameters.Length;
        if (rule.Parameters.Length < n + seedCount)
            return target.ReturnsVoid
                ? $"expected the target's {n} parameters, then one 'ReadOnlySpan<{t.Keyword()}>' adjoint per output, then the gradients"
                : $"expected the target's {n} parameters, then '{t.Keyword()} seed', then the gradients";
        var list = new List<ParameterSignature>();
        for (var i = 0; i < n; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(rule.Parameters[i].Type, target.Parameters[i].Type))
                return $"parameter {i + 1} must have the target's type '{target.Parameters[i].Type.ToDisplayString()}'";
            var signature = Symbols.Signature(rule.Parameters[i]);
            if (signature is null) return $"parameter '{rule.Parameters[i].Name}' has a type AutoGrad cannot pass";
            list.Add(signature);
        }
        if (target.ReturnsVoid)
        {
            for (var i = 0; i < seedCount; i++)
            {
                if (Symbols.ArrayOf(rule.Parameters[n + i].Type) is not { Shape: ParameterShape.Span } adjoint || adjoint.Element != t)
                    return $"parameter {n + i + 1} must be the adjoint of output '{outputs[i].Name}', 'ReadOnlySpan<{t.Keyword()}>'";
            }
        }
        else if (Symbols.ScalarOf(rule.Parameters[n].Type) != t || rule.Parameters[n].RefKind != RefKind.None)
        {
            return $"parameter {n + 1} must be the seed, '{t.Keyword()} seed'";
        }
        var gradients = rule.Parameters.Skip(n + seedCount).ToList();
        var differentiable = list.Where(s => s.Differentiable).ToList();
        if (gradients.Count != differentiable.Count)
            return $"expected {differentiable.Count} gradient parameter(s) after the seed, one per differentiable parameter, found {gradients.Count}";
        for (var i = 0; i < gradients.Count; i++)
        {
            var expected = differentiable[i];
            var gradient = gradients[i];
            var ok = expected.Shape == ParameterShape.Scalar
                ? gradient.RefKind == RefKind.Ref && Symbols.ScalarOf(gradient.Type) == expected.Element
                : gradient.RefKind == RefKind.None && Symbols.ArrayOf(gradient.Type) is { Shape: ParameterShape.Output } span && span.Element == expected.Element;
            if (!ok)
            {
                var shape = expected.Shape == ParameterShape.Scalar ? $"ref {expected.Element.Keyword()}" : $"Span<{expected.Element.Keyword()}>";
                return $"the gradient of '{expected.Name}' must be '{shape} {gradient.Name}'";
            }
        }
        signatures = list;
        return null;
    }
}
