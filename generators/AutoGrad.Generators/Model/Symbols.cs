using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Model;

/// <summary>Maps Roslyn types onto the IR's scalar types and the parameter shapes AutoGrad knows.</summary>
internal static class Symbols
{
    public const string DifferentiableAttribute = "AutoGrad.DifferentiableAttribute";
    public const string NoGradientAttribute = "AutoGrad.NoGradientAttribute";
    public const string DerivativeOfAttribute = "AutoGrad.DerivativeOfAttribute";

    public static ScalarType? ScalarOf(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Double => ScalarType.Double,
        SpecialType.System_Single => ScalarType.Float,
        SpecialType.System_Int32 => ScalarType.Int,
        SpecialType.System_Int64 => ScalarType.Long,
        SpecialType.System_Boolean => ScalarType.Bool,
        _ => null,
    };

    public static bool IsReal(this ScalarType type) => type is ScalarType.Double or ScalarType.Float;

    public static string Keyword(this ScalarType type) => type switch
    {
        ScalarType.Double => "double",
        ScalarType.Float => "float",
        ScalarType.Int => "int",
        ScalarType.Long => "long",
        _ => "bool",
    };

    /// <summary>Recognises double/float arrays, ReadOnlySpan of them (inputs) and Span of them (outputs).</summary>
    public static (ScalarType Element, ParameterShape Shape)? ArrayOf(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array && ScalarOf(array.ElementType) is { } element && element.IsReal())
            return (element, ParameterShape.Array);
        if (type is INamedTypeSymbol { IsGenericType: true } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && named.Name is "ReadOnlySpan" or "Span"
            && ScalarOf(named.TypeArguments[0]) is { } spanElement && spanElement.IsReal())
            return (spanElement, named.Name == "Span" ? ParameterShape.Output : ParameterShape.Span);
        return null;
    }

    /// <summary>
    /// Integer arrays and ReadOnlySpan of them (class labels, indices): inputs the method reads but never
    /// differentiates, in any method, and elements any call may read.
    /// </summary>
    public static (ScalarType Element, ParameterShape Shape)? ConstantArrayOf(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array && ScalarOf(array.ElementType) is ScalarType.Int or ScalarType.Long)
            return (ScalarOf(array.ElementType)!.Value, ParameterShape.Array);
        if (type is INamedTypeSymbol { IsGenericType: true, Name: "ReadOnlySpan" } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && ScalarOf(named.TypeArguments[0]) is ScalarType.Int or ScalarType.Long)
            return (ScalarOf(named.TypeArguments[0])!.Value, ParameterShape.Span);
        return null;
    }

    /// <summary>An array or span whose elements the method may read: real (differentiable) or integer (constant).</summary>
    public static (ScalarType Element, ParameterShape Shape)? ReadableArrayOf(ITypeSymbol type) => ArrayOf(type) ?? ConstantArrayOf(type);

    /// <summary>The element type of a local array the method may allocate: <c>T[]</c> or <c>Span&lt;T&gt;</c> of double or float.</summary>
    public static ScalarType? LocalArrayOf(ITypeSymbol type) =>
        ArrayOf(type) is { Shape: ParameterShape.Array or ParameterShape.Output } array ? array.Element : null;

    public static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
            if (attribute.AttributeClass?.ToDisplayString() == metadataName) return true;
        return false;
    }

    /// <summary>
    /// Whether a [Differentiable] method has a NameTangent: in this compilation its attribute's Modes say so
    /// (Jacobian implies Forward, and so does HessianVector on a void method, whose callers' Hessian-vector
    /// products need its tangent); from a referenced assembly the method is there in metadata.
    /// </summary>
    public static bool HasTangent(IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.Length == 0)
            return method.ContainingType.GetMembers(GeneratedNames.Tangent(method.Name)).Any(m => m is IMethodSymbol { IsStatic: true });
        var modes = ModesOf(method);
        return (modes & (DerivativeModes.Forward | DerivativeModes.Jacobian)) != 0 || (method.ReturnsVoid && (modes & DerivativeModes.HessianVector) != 0);
    }

    /// <summary>
    /// Whether a [Differentiable] method has a NamePullbackTangent: in this compilation its attribute's Modes
    /// include HessianVector; from a referenced assembly the method is there in metadata.
    /// </summary>
    public static bool HasPullbackTangent(IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.Length == 0)
            return method.ContainingType.GetMembers(GeneratedNames.PullbackTangent(method.Name)).Any(m => m is IMethodSymbol { IsStatic: true });
        return (ModesOf(method) & DerivativeModes.HessianVector) != 0;
    }

    /// <summary>Whether a [Differentiable] method checkpoints its loops (a positive <c>CheckpointSnapshots</c>), in this compilation or a referenced one.</summary>
    public static bool Checkpoints(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != DifferentiableAttribute) continue;
            foreach (var argument in attribute.NamedArguments)
                if (argument.Key == "CheckpointSnapshots" && argument.Value.Value is int snapshots) return snapshots > 0;
        }
        return false;
    }

    private static DerivativeModes ModesOf(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != DifferentiableAttribute) continue;
            foreach (var argument in attribute.NamedArguments)
                if (argument.Key == "Modes" && argument.Value.Value is int modes) return (DerivativeModes)modes;
        }
        return DerivativeModes.Reverse;
    }

    public static string FullyQualified(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>How a parameter of a differentiable method or a callee takes part in differentiation; null when unsupported.</summary>
    public static ParameterSignature? Signature(IParameterSymbol parameter)
    {
        if (parameter.RefKind != RefKind.None) return null;
        var noGradient = HasAttribute(parameter, NoGradientAttribute);
        if (ScalarOf(parameter.Type) is { } scalar)
            return new ParameterSignature(parameter.Name, scalar, ParameterShape.Scalar, scalar.IsReal() && !noGradient);
        if (ArrayOf(parameter.Type) is { } array)
            return new ParameterSignature(parameter.Name, array.Element, array.Shape, array.Shape != ParameterShape.Output && !noGradient);
        if (ConstantArrayOf(parameter.Type) is { } constants)
            return new ParameterSignature(parameter.Name, constants.Element, constants.Shape, Differentiable: false);
        return null;
    }

    /// <summary>The key a call and a [DerivativeOf] rule agree on: the target's type, name and parameter types.</summary>
    public static string RuleKey(IMethodSymbol method)
    {
        var parameters = new System.Text.StringBuilder();
        foreach (var parameter in method.Parameters)
        {
            if (parameters.Length > 0) parameters.Append(',');
            parameters.Append(FullyQualified(parameter.Type));
        }
        return $"{FullyQualified(method.ContainingType)}.{method.Name}({parameters})";
    }
}
