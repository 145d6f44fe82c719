using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGrad.Generators.Lowering;

internal sealed partial class Lowerer
{
    /// <summary>Lowers an expression and converts it to the type its context requires.</summary>
    private Expr? LowerValue(ExpressionSyntax syntax, ScalarType type) =>
        LowerExpression(syntax) is { } value ? Convert(value, type) : null;

    /// <summary>Lowers an expression to the type the compiler converts it to (implicit conversions become casts).</summary>
    private Expr? LowerExpression(ExpressionSyntax syntax)
    {
        _cancellation.ThrowIfCancellationRequested();
        var typeInfo = _model.GetTypeInfo(syntax, _cancellation);
        var converted = Symbols.ScalarOf(typeInfo.ConvertedType ?? typeInfo.Type);

        var constant = _model.GetConstantValue(syntax, _cancellation);
        if (constant.HasValue && converted is { } constantType && ConstantOf(constantType, constant.Value) is { } folded)
            return folded;

        var natural = LowerNatural(syntax, Symbols.ScalarOf(typeInfo.Type));
        return natural is not null && converted is { } target ? Convert(natural, target) : natural;
    }

    private Expr? LowerNatural(ExpressionSyntax syntax, ScalarType? type)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return LowerExpression(parenthesized.Expression);
            case CheckedExpressionSyntax:
                return Unsupported(syntax, "checked and unchecked expressions");
        }
        if (type is null)
        {
            var typeName = _model.GetTypeInfo(syntax, _cancellation).Type?.ToDisplayString() ?? "unknown";
            return Unsupported(syntax, $"values of type '{typeName}' (use double, float, int, long or bool)");
        }
        switch (syntax)
        {
            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                return LowerName(syntax, type.Value);
            case ElementAccessExpressionSyntax access:
                return LowerElementAccess(access, type.Value);
            case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.UnaryMinusExpression):
                return LowerExpression(prefix.Operand) is { } negated ? new Unary(type.Value, UnaryOp.Negate, negated) : null;
            case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.UnaryPlusExpression):
                return LowerExpression(prefix.Operand);
            case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.LogicalNotExpression):
                return LowerExpression(prefix.Operand) is { } operand ? new Unary(ScalarType.Bool, UnaryOp.Not, operand) : null;
            case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                return Unsupported(syntax, "++ and -- inside an expression (write them as their own statement)");
            case BinaryExpressionSyntax binary:
                return LowerBinary(binary, type.Value);
            case ConditionalExpressionSyntax conditional:
                var condition = LowerValue(conditional.Condition, ScalarType.Bool);
                var whenTrue = LowerValue(conditional.WhenTrue, type.Value);
                var whenFalse = LowerValue(conditional.WhenFalse, type.Value);
                return condition is null || whenTrue is null || whenFalse is null ? null : new Conditional(type.Value, condition, whenTrue, whenFalse);
            case CastExpressionSyntax cast:
                return LowerExpression(cast.Expression) is { } castOperand ? Convert(castOperand, type.Value) : null;
            case InvocationExpressionSyntax invocation:
                return LowerInvocation(invocation, type.Value);
            case AssignmentExpressionSyntax:
                return Unsupported(syntax, "an assignment inside an expression (assign in its own statement)");
            case LiteralExpressionSyntax:
                return Unsupported(syntax, "this literal");
            default:
                return Unsupported(syntax, $"'{syntax}' ({syntax.Kind()})");
        }
    }

    /// <summary>Whether the expression is (an element of) a local whose declaration was already reported.</summary>
    private bool IsUnlowered(ExpressionSyntax syntax) =>
        _model.GetSymbolInfo(syntax is ElementAccessExpressionSyntax element ? element.Expression : syntax, _cancellation).Symbol is ILocalSymbol local
        && _unlowered.Contains(local);

    private Expr? LowerName(ExpressionSyntax syntax, ScalarType type)
    {
        var symbol = _model.GetSymbolInfo(syntax, _cancellation).Symbol;
        if (IsUnlowered(syntax) || syntax is MemberAccessExpressionSyntax memberOf && IsUnlowered(memberOf.Expression)) return null;
        switch (symbol)
        {
            case ILocalSymbol or IParameterSymbol when _names.TryGetValue(symbol, out var name):
                return new VarRef(type, name);
            case IPropertySymbol { Name: "Length" } when syntax is MemberAccessExpressionSyntax member && LowerArray(member.Expression) is { } array:
                return new LengthOf(array);
            case IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true, Parameters.Length: 0 }:
                return new External(type, Symbols.FullyQualified(symbol.ContainingType) + "." + symbol.Name);
            default:
                return Unsupported(syntax, $"'{syntax}': only locals, parameters, static fields and properties, and .Length can be read");
        }
    }

    /// <summary>An array or span the method can read elements of: an array/span parameter or a static array field.</summary>
    private ArraySource? LowerArray(ExpressionSyntax syntax)
    {
        while (syntax is ParenthesizedExpressionSyntax or CastExpressionSyntax)
            syntax = syntax is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((CastExpressionSyntax)syntax).Expression;
        var symbol = _model.GetSymbolInfo(syntax, _cancellation).Symbol;
        if (symbol is IParameterSymbol parameter && _arrays.TryGetValue(parameter.Name, out var info)) return info;
        if (symbol is ILocalSymbol && _buffers.TryGetValue(symbol, out var buffer)) return buffer;
        if (symbol is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true }
            && Symbols.ReadableArrayOf(((symbol as IFieldSymbol)?.Type ?? ((IPropertySymbol)symbol).Type)) is { } external)
        {
            return new ArraySource(Symbols.FullyQualified(symbol.ContainingType) + "." + symbol.Name, external.Element, ArrayKind.External);
        }
        return null;
    }

    private Expr? LowerElementAccess(ElementAccessExpressionSyntax access, ScalarType type)
    {
        var array = LowerArray(access.Expression);
        if (array is null && IsUnlowered(access.Expression)) return null;
        if (array is null)
            return Unsupported(access.Expression, $"indexing '{access.Expression}': only array and span parameters and static arrays can be indexed");
        if (access.ArgumentList.Arguments.Count != 1 || access.ArgumentList.Arguments[0].Expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression } or RangeExpressionSyntax)
            return Unsupported(access.ArgumentList.Arguments.Count == 1 ? access.ArgumentList.Arguments[0] : access.ArgumentList, "only a single integer index is supported (no ranges or ^ indices)");
        var index = LowerValue(access.ArgumentList.Arguments[0].Expression, ScalarType.Int);
        return index is null ? null : new ElementRead(type, array, index);
    }

    private Expr? LowerBinary(BinaryExpressionSyntax binary, ScalarType type)
    {
        BinaryOp? op = binary.Kind() switch
        {
            SyntaxKind.AddExpression => BinaryOp.Add,
            SyntaxKind.SubtractExpression => BinaryOp.Subtract,
            SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
            SyntaxKind.DivideExpression => BinaryOp.Divide,
            SyntaxKind.ModuloExpression => BinaryOp.Remainder,
            SyntaxKind.LessThanExpression => BinaryOp.Less,
            SyntaxKind.LessThanOrEqualExpression => BinaryOp.LessOrEqual,
            SyntaxKind.GreaterThanExpression => BinaryOp.Greater,
            SyntaxKind.GreaterThanOrEqualExpression => BinaryOp.GreaterOrEqual,
            SyntaxKind.EqualsExpression => BinaryOp.Equal,
            SyntaxKind.NotEqualsExpression => BinaryOp.NotEqual,
            SyntaxKind.LogicalAndExpression => BinaryOp.And,
            SyntaxKind.LogicalOrExpression => BinaryOp.Or,
            SyntaxKind.BitwiseAndExpression => BinaryOp.BitAnd,
            SyntaxKind.BitwiseOrExpression => BinaryOp.BitOr,
            SyntaxKind.ExclusiveOrExpression => BinaryOp.BitXor,
            _ => null,
        };
        if (op is null) return Unsupported(binary, $"the '{binary.OperatorToken.ValueText}' operator");
        var left = LowerExpression(binary.Left);
        var right = LowerExpression(binary.Right);
        return left is null || right is null ? null : new Binary(type, op.Value, left, right);
    }

    private Expr? LowerInvocation(InvocationExpressionSyntax invocation, ScalarType type)
    {
        if (LowerCall(invocation) is not { } lowered) return null;
        var (target, arguments, site, math) = lowered;
        if (math is not null) return new MathCall(type, math.Value.Name, math.Value.Single, arguments.Select(a => a.Value!).ToEquatableArray());
        return new Call(type, target!, arguments, site);
    }

    /// <summary>A call statement: a void method that writes the Span outputs it is given.</summary>
    private void LowerInvocationStatement(InvocationExpressionSyntax invocation, List<Stmt> output)
    {
        if (LowerCall(invocation) is not { Target: { } target } lowered) return;
        var (_, arguments, site, _) = lowered;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (target.Parameters[i].Shape != ParameterShape.Output || arguments[i].Array is not { } written) continue;
            var location = LocationInfo.From(invocation);
            if (written.Kind is ArrayKind.Input or ArrayKind.External)
            {
                Report(DiagnosticDescriptors.WriteToInput, location, written.Code);
                return;
            }
        }
        // A scalar argument that reads what the call writes (Scale(x, y[0], y)) is taken into a local first:
        // the reverse sweep reads the argument's value, which the call's outputs no longer hold.
        var outputs = new HashSet<string>(arguments.Where((a, i) => target.Parameters[i].Shape == ParameterShape.Output && a.Array is not null).Select(a => a.Array!.Code));
        var taken = arguments.Select(argument =>
        {
            if (argument.Value is not { } value || !ReadsAny(value, outputs)) return argument;
            var local = NewVariable("argument", value.Type);
            output.Add(new Assign(local, value, IsDeclaration: true));
            return argument with { Value = new VarRef(value.Type, local) };
        }).ToEquatableArray();
        output.Add(new Invoke(target, taken, site));
    }

    private static bool ReadsAny(Expr value, HashSet<string> arrays)
    {
        var reads = false;
        Differentiation.IrRewriter.Visit(value, e => reads |= e is ElementRead read && arrays.Contains(read.Array.Code));
        return reads;
    }

    private (CallTarget? Target, EquatableArray<Argument> Arguments, int Site, (string Name, bool Single)? Math)? LowerCall(InvocationExpressionSyntax invocation)
    {
        if (_model.GetOperation(invocation, _cancellation) is not IInvocationOperation operation)
            return UnsupportedCall(invocation, $"the call '{invocation.Expression}'");
        var callee = operation.TargetMethod;
        if (operation.Instance?.Syntax is ExpressionSyntax receiver && IsUnlowered(receiver)) return null; // reported at the local's declaration
        if (callee.MethodKind == MethodKind.LocalFunction) return null; // reported at its declaration
        if (!callee.IsStatic || callee.MethodKind != MethodKind.Ordinary)
            return UnsupportedCall(invocation, $"the call to '{callee.Name}': only static methods can be called");
        if (SymbolEqualityComparer.Default.Equals(callee.OriginalDefinition, _method))
        {
            Report(DiagnosticDescriptors.Recursion, LocationInfo.From(invocation), _method.Name, "");
            return null;
        }
        if (callee.IsGenericMethod)
            return UnsupportedCall(invocation, $"the call to generic method '{callee.Name}'");

        var arguments = new Expr?[callee.Parameters.Length];
        var arrays = new ArraySource?[callee.Parameters.Length];
        foreach (var argument in operation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null || parameter.RefKind != RefKind.None || argument.ArgumentKind == ArgumentKind.ParamArray)
                return UnsupportedCall(invocation, $"the call to '{callee.Name}': arguments must be passed by value, one per parameter");
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                var defaultValue = argument.Value.ConstantValue;
                arguments[parameter.Ordinal] = defaultValue.HasValue && Symbols.ScalarOf(parameter.Type) is { } defaultType
                    ? ConstantOf(defaultType, defaultValue.Value)
                    : null;
                if (arguments[parameter.Ordinal] is null)
                    return UnsupportedCall(invocation, $"the omitted argument '{parameter.Name}' of '{callee.Name}'");
                continue;
            }
            // An argument is an ArgumentSyntax, except an extension method's receiver (v in v.Squared()), which is the expression itself.
            var argumentSyntax = argument.Syntax is ArgumentSyntax written ? written.Expression : (ExpressionSyntax)argument.Syntax;
            if (Symbols.ScalarOf(parameter.Type) is { } parameterType)
            {
                arguments[parameter.Ordinal] = LowerValue(argumentSyntax, parameterType);
                if (arguments[parameter.Ordinal] is null) return null;
            }
            else if (Symbols.ReadableArrayOf(parameter.Type) is not null && LowerArray(argumentSyntax) is { } array)
            {
                arrays[parameter.Ordinal] = array;
            }
            else
            {
                return UnsupportedCall(argumentSyntax, $"passing '{argumentSyntax}' to '{callee.Name}': arguments may be scalars or array and span parameters");
            }
        }

        // double.Sqrt and float.Tanh (generic math) are Math.Sqrt and MathF.Tanh.
        var containing = callee.ContainingType.SpecialType switch
        {
            SpecialType.System_Double => "System.Math",
            SpecialType.System_Single => "System.MathF",
            _ => callee.ContainingType.ToDisplayString(),
        };
        if (containing is "System.Math" or "System.MathF" && Differentiation.DerivativeRules.IsKnown(callee.Name, callee.Parameters.Length))
            return (null, arguments.Select(a => new Argument(a, null)).ToEquatableArray(), -1, (callee.Name, containing == "System.MathF"));

        var signatures = callee.Parameters.Select(Symbols.Signature).ToArray();
        if (signatures.Any(s => s is null))
            return UnsupportedCall(invocation, $"the call to '{callee.Name}', whose parameters are not all double, float, int, long, bool or arrays/spans of double or float");

        var isDifferentiable = Symbols.HasAttribute(callee, Symbols.DifferentiableAttribute);
        var qualifiedType = Symbols.FullyQualified(callee.ContainingType);
        var target = new CallTarget(
            Method: qualifiedType + "." + callee.Name,
            DisplayName: callee.ContainingType.Name + "." + callee.Name,
            RuleKey: Symbols.RuleKey(callee),
            Parameters: signatures.Select(s => s!).ToEquatableArray(),
            Kind: isDifferentiable ? CallKind.Differentiable : CallKind.None,
            Pullback: isDifferentiable ? GeneratedNames.Pullback(qualifiedType + "." + callee.Name) : null);

        var site = _callSites.Count;
        _callSites.Add(new CallSite(site, LocationInfo.From(invocation)));
        if (isDifferentiable) _differentiableCalls.Add(new DifferentiableCall(Symbols.RuleKey(callee.OriginalDefinition), target.DisplayName, LocationInfo.From(invocation)));
        var callArguments = arguments.Select((value, i) => new Argument(value, arrays[i])).ToEquatableArray();
        return (target, callArguments, site, null);
    }

    private (CallTarget?, EquatableArray<Argument>, int, (string, bool)?)? UnsupportedCall(SyntaxNode syntax, string what)
    {
        Unsupported(syntax, what);
        return null;
    }

    private Expr? Unsupported(SyntaxNode syntax, string what)
    {
        Report(DiagnosticDescriptors.UnsupportedExpression, LocationInfo.From(syntax), what);
        return null;
    }

    /// <summary>Converts between scalar types; constants convert at build time.</summary>
    private static Expr Convert(Expr value, ScalarType type)
    {
        if (value.Type == type) return value;
        if (value is Constant constant && ParseConstant(constant) is { } raw && ConstantOf(type, raw) is { } folded) return folded;
        return new Cast(type, value);
    }

    private static ScalarType Wider(ScalarType a, ScalarType b)
    {
        if (a == ScalarType.Double || b == ScalarType.Double) return ScalarType.Double;
        if (a == ScalarType.Float || b == ScalarType.Float) return ScalarType.Float;
        if (a == ScalarType.Long || b == ScalarType.Long) return ScalarType.Long;
        return a;
    }

    private static object? ParseConstant(Constant constant) => constant.Type switch
    {
        ScalarType.Bool => constant.Text == "true",
        ScalarType.Int => int.Parse(constant.Text, CultureInfo.InvariantCulture),
        ScalarType.Long => long.Parse(constant.Text.TrimEnd('L'), CultureInfo.InvariantCulture),
        _ => null, // real literals only convert at run time; rare, and exactness matters more than folding
    };

    internal static Constant? ConstantOf(ScalarType type, object? value)
    {
        if (value is null) return null;
        if (type == ScalarType.Bool) return value is bool b ? new Constant(type, b ? "true" : "false") : null;
        if (value is bool or string or char) return null;
        var number = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return type switch
        {
            ScalarType.Double => new Constant(type, Literals.Double(number)),
            ScalarType.Float => new Constant(type, Literals.Float((float)number)),
            ScalarType.Int => new Constant(type, System.Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
            _ => new Constant(type, System.Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L"),
        };
    }
}
