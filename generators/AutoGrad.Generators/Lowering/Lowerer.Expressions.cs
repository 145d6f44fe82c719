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
            case ConditionalExpressionSyntax guarded when guarded.WhenTrue is ThrowExpressionSyntax || guarded.WhenFalse is ThrowExpressionSyntax:
                return LowerGuardedValue(guarded, type.Value);
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

    /// <summary>
    /// <c>x &gt; 0 ? Math.Log(x) : throw new ArgumentException(...)</c>: a guard checked before the statement,
    /// then the value. The expression is pure, so checking first fails at the same point; a guard that
    /// runs only on some paths of the statement (in a branch of another ?:, after &amp;&amp; or ||) is reported.
    /// </summary>
    private Expr? LowerGuardedValue(ConditionalExpressionSyntax conditional, ScalarType type)
    {
        for (SyntaxNode node = conditional; node.Parent is ExpressionSyntax or ArgumentSyntax or ArgumentListSyntax or EqualsValueClauseSyntax or VariableDeclaratorSyntax or ArrowExpressionClauseSyntax; node = node.Parent)
        {
            var parent = node.Parent;
            if (parent is ConditionalExpressionSyntax outer && node != outer.Condition
                || parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression or (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.CoalesceExpression } binary && node == binary.Right
                || parent is LambdaExpressionSyntax)
            {
                return Unsupported(conditional, "a guard throw that runs only on some paths of its statement; check with an if statement before it");
            }
        }
        var throwsWhenTrue = conditional.WhenTrue is ThrowExpressionSyntax;
        var thrown = (ThrowExpressionSyntax)(throwsWhenTrue ? conditional.WhenTrue : conditional.WhenFalse);
        var condition = LowerValue(conditional.Condition, ScalarType.Bool);
        var check = LowerThrow(thrown.Expression);
        if (condition is null || check is null) return null;
        var fails = new Block(EquatableArray.Of<Stmt>(check));
        _pending.Add(throwsWhenTrue ? new If(condition, fails, Block.Empty) : new If(condition, Block.Empty, fails));
        return LowerValue(throwsWhenTrue ? conditional.WhenFalse : conditional.WhenTrue, type);
    }

    /// <summary><c>throw new E(arguments)</c> for an exception type E, its arguments constants or scalars.</summary>
    private Check? LowerThrow(ExpressionSyntax thrown)
    {
        if (thrown is not ObjectCreationExpressionSyntax { Initializer: null } creation
            || _model.GetSymbolInfo(creation, _cancellation).Symbol is not IMethodSymbol { ContainingType: var exception } constructor
            || !IsException(exception))
        {
            Unsupported(thrown, "throwing anything but a new exception (throw new ArgumentException(\"...\"))");
            return null;
        }
        var arguments = LowerCheckArguments(creation.ArgumentList?.Arguments ?? default, constructor);
        return arguments is null ? null : new Check(Symbols.FullyQualified(exception), null, arguments.Value);
    }

    /// <summary><c>ArgumentOutOfRangeException.ThrowIfNegative(n)</c> and the like: a static Throw... method of an exception type.</summary>
    private Check? LowerThrowHelper(InvocationExpressionSyntax invocation, IMethodSymbol helper)
    {
        var arguments = LowerCheckArguments(invocation.ArgumentList.Arguments, helper);
        return arguments is null ? null : new Check(Symbols.FullyQualified(helper.ContainingType), helper.Name, arguments.Value);
    }

    /// <summary>
    /// The arguments of a guard: compile-time constants as literals (a message, nameof), scalars as expressions,
    /// arrays by name. Omitted ones stay omitted, so [CallerArgumentExpression] names the same argument.
    /// </summary>
    private EquatableArray<Expr>? LowerCheckArguments(SeparatedSyntaxList<ArgumentSyntax> syntax, IMethodSymbol method)
    {
        var arguments = new List<Expr>();
        foreach (var argument in syntax)
        {
            if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                Unsupported(argument, $"a named or ref argument of '{method.Name}'; pass its arguments in order");
                return null;
            }
            var value = argument.Expression;
            var constant = _model.GetConstantValue(value, _cancellation);
            var typeInfo = _model.GetTypeInfo(value, _cancellation);
            if (constant.HasValue && (constant.Value is string or null || Symbols.ScalarOf(typeInfo.Type) is null))
            {
                arguments.Add(new OpaqueConstant(constant.Value));
            }
            else if (Symbols.ScalarOf(typeInfo.Type) is { } scalar && LowerValue(value, scalar) is { } lowered)
            {
                arguments.Add(lowered);
            }
            else if (LowerArray(value) is { IsWindow: false } array)
            {
                arguments.Add(new ArrayValue(array));
            }
            else
            {
                if (Symbols.ScalarOf(typeInfo.Type) is null) Unsupported(value, $"the argument '{value}' of '{method.Name}': a guard may pass constants (a message, nameof), scalars and arrays");
                return null;
            }
        }
        return arguments.ToEquatableArray();
    }

    private static bool IsException(ITypeSymbol? type)
    {
        for (; type is not null; type = type.BaseType)
            if (type.ToDisplayString() == "System.Exception") return true;
        return false;
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
                return LengthOf(array);
            case IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true, Parameters.Length: 0 }:
                return new StaticRead(type, MemberOf(symbol));
            case IFieldSymbol or IPropertySymbol { Parameters.Length: 0 } when SettingsMember(syntax, type) is { } member:
                return member;
            default:
                return Unsupported(syntax, $"'{syntax}': only locals, parameters, static fields and properties, and .Length can be read");
        }
    }

    private static StaticMember MemberOf(ISymbol symbol) => new(Symbols.FullyQualified(symbol.ContainingType), symbol.Name);

    /// <summary><c>h.Alpha</c> or <c>h.Inner.Beta</c> on a struct parameter of settings (a constant: it has no gradient); null for anything else.</summary>
    private SettingsRead? SettingsMember(ExpressionSyntax syntax, ScalarType type)
    {
        var path = new List<string>();
        while (syntax is MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } member
            && _model.GetSymbolInfo(member, _cancellation).Symbol is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false, Parameters.Length: 0 })
        {
            path.Insert(0, member.Name.Identifier.ValueText);
            syntax = member.Expression;
        }
        if (path.Count == 0 || _model.GetSymbolInfo(syntax, _cancellation).Symbol is not IParameterSymbol parameter || !_structs.Contains(parameter)) return null;
        return new SettingsRead(type, parameter.Name, path.ToEquatableArray());
    }

    /// <summary>An array or span the method can read elements of: an array/span parameter or a static array field.</summary>
    private ArraySource? LowerArray(ExpressionSyntax syntax)
    {
        while (syntax is ParenthesizedExpressionSyntax or CastExpressionSyntax)
            syntax = syntax is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((CastExpressionSyntax)syntax).Expression;
        var symbol = _model.GetSymbolInfo(syntax, _cancellation).Symbol;
        if (symbol is IParameterSymbol parameter && _arrays.TryGetValue(parameter.Name, out var info)) return info;
        if (symbol is ILocalSymbol && _buffers.TryGetValue(symbol, out var buffer)) return buffer;
        if (symbol is ILocalSymbol && _spans.TryGetValue(symbol, out var span)) return span;
        if (symbol is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true }
            && Symbols.ReadableArrayOf(((symbol as IFieldSymbol)?.Type ?? ((IPropertySymbol)symbol).Type)) is { } external)
        {
            return ArraySource.Static(MemberOf(symbol), external.Element);
        }
        return LowerWindow(syntax);
    }

    /// <summary>
    /// A window of an array or span, as C code passes <c>&amp;q[k*d]</c>: <c>q.AsSpan(start, length)</c>,
    /// <c>q.AsSpan(start)</c>, <c>q.AsSpan(a..b)</c>, <c>s.Slice(start, length)</c>, <c>s.Slice(start)</c>,
    /// <c>q[a..b]</c>, and windows of windows. Its start and length are computed once, here, into
    /// variables when they are not constants, so the reverse sweep reads the values the call saw.
    /// </summary>
    private ArraySource? LowerWindow(ExpressionSyntax syntax)
    {
        ExpressionSyntax receiver;
        SeparatedSyntaxList<ArgumentSyntax> arguments;
        switch (syntax)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsSpan" or "Slice" } member } invocation
                when _model.GetSymbolInfo(invocation, _cancellation).Symbol is IMethodSymbol { ContainingType: var type }
                    && (type.ToDisplayString() is "System.MemoryExtensions" || type.OriginalDefinition.ToDisplayString() is "System.Span<T>" or "System.ReadOnlySpan<T>"):
                receiver = member.Expression;
                arguments = invocation.ArgumentList.Arguments;
                break;
            case ElementAccessExpressionSyntax access when IsRange(access):
                receiver = access.Expression;
                arguments = access.ArgumentList.Arguments;
                break;
            default:
                return null;
        }
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)) || arguments.Count > 2) return null;
        if (LowerArray(receiver) is not { } whole) return null;
        var baseStart = whole.Start;
        var baseCount = whole.Count ?? new LengthOf(whole);
        Expr? start, count;
        if (arguments.Count == 0)
        {
            start = ConstantOf(ScalarType.Int, 0);
            count = baseCount;
        }
        else if (arguments.Count == 1 && arguments[0].Expression is RangeExpressionSyntax range)
        {
            start = range.LeftOperand is { } from ? LowerIndex(from, baseCount) : ConstantOf(ScalarType.Int, 0);
            var end = range.RightOperand is { } to ? LowerIndex(to, baseCount) : baseCount;
            count = start is null || end is null ? null : Minus(end, start);
        }
        else
        {
            start = LowerIndex(arguments[0].Expression, baseCount);
            count = arguments.Count == 2 ? LowerValue(arguments[1].Expression, ScalarType.Int) : start is null ? null : Minus(baseCount, start);
        }
        if (start is null || count is null) return null;
        if (baseStart is not null) start = Plus(baseStart, start);
        return whole with { Start = Fix(start, "start"), Count = Fix(count, "length") };
    }

    /// <summary><c>q[a..b]</c> on an array: a new array holding a copy of the range.</summary>
    private bool IsArrayCopy(ExpressionSyntax syntax) =>
        syntax is ElementAccessExpressionSyntax access && IsRange(access)
        && _model.GetTypeInfo(access.Expression, _cancellation).Type is IArrayTypeSymbol;

    private static bool IsRange(ElementAccessExpressionSyntax access) =>
        access.ArgumentList.Arguments.Count == 1 && access.ArgumentList.Arguments[0].Expression is RangeExpressionSyntax;

    /// <summary>An index of a window: <c>i</c>, or <c>^i</c> counted from the end.</summary>
    private Expr? LowerIndex(ExpressionSyntax syntax, Expr length)
    {
        if (syntax is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression } fromEnd)
            return LowerIndex(fromEnd.Operand, ConstantOf(ScalarType.Int, 0)!) is { } back ? Minus(length, back) : null;
        // An operand of a range converts to System.Index: lower it as the int it is.
        var constant = _model.GetConstantValue(syntax, _cancellation);
        if (constant.HasValue && ConstantOf(ScalarType.Int, constant.Value) is { } folded) return folded;
        return LowerNatural(syntax, Symbols.ScalarOf(_model.GetTypeInfo(syntax, _cancellation).Type)) is { } index ? Convert(index, ScalarType.Int) : null;
    }

    private static Expr Plus(Expr a, Expr b) =>
        a is Constant { Text: "0" } ? b
        : b is Constant { Text: "0" } ? a
        : a is Constant { Type: ScalarType.Int } x && b is Constant { Type: ScalarType.Int } y ? ConstantOf(ScalarType.Int, int.Parse(x.Text, CultureInfo.InvariantCulture) + int.Parse(y.Text, CultureInfo.InvariantCulture))!
        : new Binary(ScalarType.Int, BinaryOp.Add, a, b);

    private static Expr Minus(Expr a, Expr b) =>
        b is Constant { Text: "0" } ? a
        : a is Constant { Type: ScalarType.Int } x && b is Constant { Type: ScalarType.Int } y ? ConstantOf(ScalarType.Int, int.Parse(x.Text, CultureInfo.InvariantCulture) - int.Parse(y.Text, CultureInfo.InvariantCulture))!
        : new Binary(ScalarType.Int, BinaryOp.Subtract, a, b);

    /// <summary>
    /// A constant or variable as it is; anything else computed into a new variable before the statement.
    /// In a loop condition or step, which runs at every iteration, it stays an expression: the reverse
    /// sweep evaluates it again from the variables it reads, which it restores, as it does an index.
    /// </summary>
    private Expr Fix(Expr value, string name)
    {
        if (value is Constant or VarRef || _eachIteration > 0) return value;
        var variable = NewVariable(name, ScalarType.Int);
        _pending.Add(new Assign(variable, value, IsDeclaration: true));
        return new VarRef(ScalarType.Int, variable);
    }

    /// <summary>An element of a window as the element of its whole array.</summary>
    private static (ArraySource Array, Expr Index) InWhole(ArraySource array, Expr index) =>
        array.Start is { } start ? (array with { Start = null, Count = null }, Plus(start, index)) : (array, index);

    /// <summary>The length of an array, or of a window (its length variable).</summary>
    private static Expr LengthOf(ArraySource array) => array.Count ?? new LengthOf(array);

    private Expr? LowerElementAccess(ElementAccessExpressionSyntax access, ScalarType type)
    {
        var array = LowerArray(access.Expression);
        if (array is null && IsUnlowered(access.Expression)) return null;
        if (array is null)
            return Unsupported(access.Expression, $"indexing '{access.Expression}': only array and span parameters and static arrays can be indexed");
        if (access.ArgumentList.Arguments.Count != 1 || access.ArgumentList.Arguments[0].Expression is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression } or RangeExpressionSyntax)
            return Unsupported(access.ArgumentList.Arguments.Count == 1 ? access.ArgumentList.Arguments[0] : access.ArgumentList, "only a single integer index is supported (no ranges or ^ indices)");
        var index = LowerValue(access.ArgumentList.Arguments[0].Expression, ScalarType.Int);
        if (index is null) return null;
        var (whole, at) = InWhole(array, index);
        return new ElementRead(type, whole, at);
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

    private static bool ReadsAny(Expr value, HashSet<string> arrays) =>
        Differentiation.IrWalker.Uses(value).Any(u => u.Kind == Differentiation.UseKind.ReadElement && arrays.Contains(u.Name));

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
            else if (Symbols.ReadableArrayOf(parameter.Type) is { Shape: ParameterShape.Output } && IsArrayCopy(argumentSyntax))
            {
                return UnsupportedCall(argumentSyntax, $"passing '{argumentSyntax}' to the output '{parameter.Name}' of '{callee.Name}': a range of an array is a copy, so the call's writes would be lost; pass a window, '{((ElementAccessExpressionSyntax)argumentSyntax).Expression}.AsSpan({((ElementAccessExpressionSyntax)argumentSyntax).ArgumentList.Arguments[0]})'");
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
            Pullback: isDifferentiable ? GeneratedNames.Pullback(qualifiedType + "." + callee.Name) : null,
            Tangent: isDifferentiable && Symbols.HasTangent(callee.OriginalDefinition) ? GeneratedNames.Tangent(qualifiedType + "." + callee.Name) : null,
            PullbackTangent: isDifferentiable && Symbols.HasPullbackTangent(callee.OriginalDefinition) ? GeneratedNames.PullbackTangent(qualifiedType + "." + callee.Name) : null,
            Checkpoints: isDifferentiable && Symbols.Checkpoints(callee.OriginalDefinition));

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
