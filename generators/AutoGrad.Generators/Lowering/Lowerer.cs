using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.Generators.Lowering;

/// <summary>The result of lowering: the method in IR (null when its shape is unsupported) and what went wrong.</summary>
public sealed record LoweredMethod(
    MethodModel? Model,
    string? Failure,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<CallSite> CallSites,
    string MethodName,
    LocationInfo? MethodLocation,
    MethodCalls Calls)
{
    /// <summary>Where the <c>for</c> and <c>while</c> loops sit in the source, by the <see cref="While.Site"/> number lowering gave them.</summary>
    public EquatableArray<CallSite> LoopSites { get; init; }
}

/// <summary>
/// Lowers the C# syntax of one [Differentiable] method to the IR: checks the method's shape,
/// renames locals to unique names (they are hoisted), types every expression, and reports each
/// unsupported construct at its own syntax.
/// </summary>
internal sealed partial class Lowerer
{
    private readonly SemanticModel _model;
    private readonly IMethodSymbol _method;
    private readonly CancellationToken _cancellation;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly List<CallSite> _callSites = new();
    private readonly List<CallSite> _loopSites = new();
    private readonly List<DifferentiableCall> _differentiableCalls = new();
    private readonly List<VariableInfo> _variables = new();
    private readonly Dictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _usedNames = new();     // every name the user wrote
    private readonly HashSet<string> _assignedNames = new(); // names already given to a variable
    private readonly Dictionary<string, ArraySource> _arrays = new();
    private readonly Dictionary<ISymbol, ArraySource> _buffers = new(SymbolEqualityComparer.Default);
    private readonly List<BufferInfo> _bufferInfos = new();
    private readonly HashSet<ISymbol> _unlowered = new(SymbolEqualityComparer.Default); // locals already reported at their declaration
    private readonly Dictionary<ISymbol, ArraySource> _spans = new(SymbolEqualityComparer.Default); // span locals: windows of arrays
    private List<Stmt> _pending = new(); // what the statement being lowered needs done first (window starts, guards)
    private readonly HashSet<IParameterSymbol> _structs = new(SymbolEqualityComparer.Default); // struct parameters: constants
    private readonly List<Stmt> _hoisted = new(); // allocations of arrays declared in loops, done before the outermost loop
    private SyntaxNode? _outermostLoop;
    private int _eachIteration; // lowering a loop condition or step
    private int _loopDepth;
    private bool _compilerErrors; // code the compiler itself rejects: it reports why, so lowering fails without a diagnostic of its own

    private Lowerer(SemanticModel model, IMethodSymbol method, CancellationToken cancellation)
    {
        _model = model;
        _method = method;
        _cancellation = cancellation;
    }

    public static LoweredMethod Lower(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel model, CancellationToken cancellation)
    {
        var lowerer = new Lowerer(model, method, cancellation);
        var result = lowerer.LowerMethod(syntax);
        var bodyFailed = result is not null && (lowerer._diagnostics.Any(d => d.IsError) || lowerer._compilerErrors);
        return new LoweredMethod(
            result,
            bodyFailed ? "its body has errors (see the AG and CS diagnostics)" : null,
            lowerer._diagnostics.ToEquatableArray(),
            lowerer._callSites.ToEquatableArray(),
            method.Name,
            LocationInfo.From(syntax.Identifier),
            new MethodCalls(Symbols.RuleKey(method), lowerer._differentiableCalls.ToEquatableArray()))
        {
            LoopSites = lowerer._loopSites.ToEquatableArray(),
        };
    }

    private MethodModel? LowerMethod(MethodDeclarationSyntax syntax)
    {
        var identifier = LocationInfo.From(syntax.Identifier);
        if (!CheckShape(syntax, identifier, out var returnType, out var containingTypes)) return null;

        var parameters = new List<ParameterInfo>();
        foreach (var parameter in _method.Parameters)
        {
            var info = LowerParameter(parameter, returnType);
            if (info is null) continue;
            parameters.Add(info);
            _usedNames.Add(parameter.Name);
            _assignedNames.Add(parameter.Name);
            _names[parameter] = parameter.Name;
            if (info.Shape == ParameterShape.Scalar) _variables.Add(new VariableInfo(parameter.Name, info.Element, VariableKind.Parameter));
            else if (info.Shape == ParameterShape.Value) _structs.Add(parameter);
            else _arrays[parameter.Name] = new ArraySource(info.Name, info.Element, info.Shape == ParameterShape.Output ? ArrayKind.Output : ArrayKind.Input);
        }
        if (parameters.Count != _method.Parameters.Length) return null;

        ReserveLocalNames(syntax);
        var result = _method.ReturnsVoid ? "" : NewVariable("result", returnType);

        var body = new List<Stmt>();
        if (syntax.ExpressionBody is { } voidArrow && _method.ReturnsVoid)
        {
            LowerExpressionStatement(voidArrow.Expression, body);
            body.InsertRange(0, _pending);
        }
        else if (syntax.ExpressionBody is { } arrow)
        {
            var value = LowerValue(arrow.Expression, returnType);
            body.AddRange(_pending);
            if (value is not null) body.Add(new Assign(result, value, IsDeclaration: true));
        }
        else
        {
            foreach (var statement in syntax.Body!.Statements) LowerStatement(statement, body);
        }

        // The signature is fine but the body is not: keep the signature so callers of the gradient still compile.
        if (_diagnostics.Any(d => d.IsError) || _compilerErrors) body.Clear();
        var normalized = new ControlFlowNormalizer(result, NewVariable).Normalize(new Block(body.ToEquatableArray()));

        return new MethodModel(
            _method.ContainingNamespace.IsGlobalNamespace ? "" : _method.ContainingNamespace.ToDisplayString(),
            containingTypes.ToEquatableArray(),
            _method.Name,
            AccessibilityText(_method.DeclaredAccessibility),
            returnType,
            _method.ReturnsVoid,
            _bufferInfos.ToEquatableArray(),
            parameters.ToEquatableArray(),
            _variables.ToEquatableArray(),
            normalized,
            result);
    }

    private bool CheckShape(MethodDeclarationSyntax syntax, LocationInfo? identifier, out ScalarType returnType, out List<ContainingType> containingTypes)
    {
        var ok = true;
        returnType = ScalarType.Double;
        containingTypes = new List<ContainingType>();
        if (!_method.IsStatic)
        {
            Report(DiagnosticDescriptors.MethodNotStatic, identifier, _method.Name);
            ok = false;
        }
        for (var type = _method.ContainingType; type is not null; type = type.ContainingType)
        {
            var declaration = type.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(_cancellation))
                .OfType<TypeDeclarationSyntax>()
                .FirstOrDefault(d => d.SyntaxTree == syntax.SyntaxTree && d.Span.Contains(syntax.Span));
            if (declaration is null || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.TypeNotPartial, LocationInfo.From(declaration?.Identifier ?? syntax.Identifier), type.Name, _method.Name);
                ok = false;
                continue;
            }
            var keyword = declaration switch
            {
                RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                _ => declaration.Keyword.ValueText,
            };
            containingTypes.Insert(0, new ContainingType(keyword, declaration.Identifier.ValueText + declaration.TypeParameterList?.ToString()));
        }
        if (_method.IsGenericMethod)
        {
            Report(DiagnosticDescriptors.UnsupportedMethodShape, identifier, _method.Name, "generic methods are not supported; write one method for double or float");
            ok = false;
        }
        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            Report(DiagnosticDescriptors.UnsupportedMethodShape, identifier, _method.Name, "the method has no body");
            ok = false;
        }
        if (Symbols.ScalarOf(_method.ReturnType) is { } scalar && scalar.IsReal()) returnType = scalar;
        else if (_method.ReturnsVoid && _method.Parameters.FirstOrDefault(p => Symbols.ArrayOf(p.Type) is { Shape: ParameterShape.Output }) is { } output)
        {
            returnType = Symbols.ArrayOf(output.Type)!.Value.Element; // a void method computes its Span outputs
        }
        else if (_method.ReturnsVoid && _method.Parameters.LastOrDefault(p => Symbols.ArrayOf(p.Type) is { Shape: ParameterShape.Array }) is { } array)
        {
            // A void method meant to fill an array: the parameter is what to change.
            var element = Symbols.ArrayOf(array.Type)!.Value.Element.Keyword();
            Report(DiagnosticDescriptors.UnsupportedParameter, LocationInfo.From(array.Locations.FirstOrDefault() ?? Location.None), array.Name, array.Type.ToDisplayString(),
                $"a void [Differentiable] method writes its results into Span<{element}> outputs, and arrays are read-only inputs; declare it 'Span<{element}> {array.Name}'");
            ok = false;
        }
        else
        {
            Report(DiagnosticDescriptors.UnsupportedReturnType, LocationInfo.From(syntax.ReturnType), _method.Name, _method.ReturnType.ToDisplayString());
            ok = false;
        }
        return ok;
    }

    private ParameterInfo? LowerParameter(IParameterSymbol parameter, ScalarType returnType)
    {
        var location = LocationInfo.From(parameter.Locations.FirstOrDefault() ?? Location.None);
        var typeName = parameter.Type.ToDisplayString();
        if (parameter.RefKind != RefKind.None)
        {
            Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, typeName, "ref, out and in parameters are not supported; pass the value and return the result");
            return null;
        }
        var signature = Symbols.Signature(parameter);
        if (signature is null && IsSettings(parameter.Type))
            return new ParameterInfo(parameter.Name, Symbols.FullyQualified(parameter.Type), returnType, ParameterShape.Value, Differentiable: false);
        if (signature is null)
        {
            var why = parameter.Type is INamedTypeSymbol { Name: "Span" }
                ? "a differentiable input is read-only; use ReadOnlySpan<T>"
                : "use double or float, an array or ReadOnlySpan<T> of them, int, long or bool, an int or long array or ReadOnlySpan<T>, or a struct of settings (read as constants)";
            Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, typeName, why);
            return null;
        }
        if (signature.Shape == ParameterShape.Output && !_method.ReturnsVoid)
        {
            Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, typeName,
                "a Span<T> parameter is an output, and only a void [Differentiable] method has outputs; take the input as ReadOnlySpan<T>");
            return null;
        }
        if ((signature.Differentiable || signature.Shape == ParameterShape.Output) && signature.Element != returnType)
        {
            Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, typeName,
                $"the method returns {returnType.Keyword()}; a method differentiates one floating type, so cast inside the body or mark the parameter [NoGradient]");
            return null;
        }
        return new ParameterInfo(parameter.Name, Symbols.FullyQualified(parameter.Type), signature.Element, signature.Shape, signature.Differentiable);
    }

    /// <summary>
    /// A struct of settings (<c>readonly struct Hyper { public double Alpha; public int N; }</c>, a record struct):
    /// a constant input whose fields and properties the body reads. Spans and other ref structs are not.
    /// </summary>
    private static bool IsSettings(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Struct, IsRefLikeType: false, SpecialType: SpecialType.None } named
        && !named.IsGenericType;

    /// <summary>Local names stay as the user wrote them unless two scopes reuse one; generated names avoid them all.</summary>
    private void ReserveLocalNames(MethodDeclarationSyntax syntax)
    {
        foreach (var node in syntax.DescendantNodes())
        {
            if (node is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax
                && _model.GetDeclaredSymbol(node, _cancellation) is ILocalSymbol local)
            {
                _usedNames.Add(local.Name);
            }
        }
    }

    private string DeclareLocal(ILocalSymbol local, ScalarType type)
    {
        var name = _assignedNames.Contains(local.Name) ? Fresh(local.Name) : local.Name;
        _assignedNames.Add(name);
        _names[local] = name;
        _variables.Add(new VariableInfo(name, type, VariableKind.Local));
        return name;
    }

    private string NewVariable(string baseName, ScalarType type)
    {
        var name = _usedNames.Contains(baseName) || _assignedNames.Contains(baseName) ? Fresh(baseName) : baseName;
        _assignedNames.Add(name);
        _variables.Add(new VariableInfo(name, type, VariableKind.Synthetic));
        return name;
    }

    private string Fresh(string baseName)
    {
        for (var i = 2; ; i++)
        {
            var candidate = baseName + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (!_usedNames.Contains(candidate) && !_assignedNames.Contains(candidate)) return candidate;
        }
    }

    private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
