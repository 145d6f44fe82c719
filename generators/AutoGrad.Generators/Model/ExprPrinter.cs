using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.Generators.Model;

/// <summary>
/// Prints IR expressions as C#, with only the parentheses precedence requires: the one printer, for the
/// emitter and for diagnostics that show an expression. The IR itself holds no C# text.
/// </summary>
internal static class ExprPrinter
{
    private enum Precedence { Conditional, Or, And, BitOr, BitXor, BitAnd, Equality, Relational, Additive, Multiplicative, Unary, Primary }

    public static string Print(Expr e) => Print(e, Precedence.Conditional);

    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string Print(Expr e, Precedence context)
    {
        var (text, precedence) = Format(e);
        return precedence < context ? "(" + text + ")" : text;
    }

    private static (string Text, Precedence Precedence) Format(Expr e)
    {
        switch (e)
        {
            case Constant constant:
                return (constant.Text, constant.Text.StartsWith("-") ? Precedence.Unary : Precedence.Primary);
            case VarRef variable:
                return (Identifier(variable.Name), Precedence.Primary);
            case StaticRead read:
                return (Static(read.Member), Precedence.Primary);
            case SettingsRead settings:
                return (string.Join(".", settings.Path.Prepend(settings.Parameter).Select(Identifier)), Precedence.Primary);
            case OpaqueConstant constant:
                return (constant.Value is null ? "null" : SymbolDisplay.FormatPrimitive(constant.Value, quoteStrings: true, useHexadecimalNumbers: false), Precedence.Primary);
            case ArrayValue array:
                return (Array(array.Array), Precedence.Primary);
            case NoArray:
                return ("default", Precedence.Primary);
            case RecordValue record:
                return (Identifier(record.Name), Precedence.Primary);
            case Dot dot:
                return ($"{RuntimeNames.GeneratedMath}.Dot({Array(dot.Left)}, {Array(dot.Right)})", Precedence.Primary);
            case Pop pop:
                return (pop.Stack + ".Pop()", Precedence.Primary);
            case KeepsIterations keeps:
                return ($"{RuntimeNames.ReplayBudget}.Keeps({keeps.Stack}, {Print(keeps.Values)})", Precedence.Primary);
            case ElementRead read:
                return ($"{Array(read.Array)}[{Print(read.Index)}]", Precedence.Primary);
            case LengthOf { Array.Count: { } count }:
                return Format(count);
            case LengthOf length:
                return (Array(length.Array) + ".Length", Precedence.Primary);
            case Broadcast broadcast:
                return ($"{RuntimeNames.Vector256}.Create({Print(broadcast.Value)})", Precedence.Primary);
            case LaneLoad load:
                return ($"{RuntimeNames.Lanes}.LoadUnchecked({Array(load.Array)}, {Print(load.Index)})", Precedence.Primary);
            case LaneMath math:
                return ($"{RuntimeNames.Vector256}.{math.Function}({string.Join(", ", math.Arguments.Select(Print))})", Precedence.Primary);
            case LaneIndices indices:
                return ($"{RuntimeNames.Lanes}.{(indices.Type == ScalarType.Float ? "SingleIndices" : "DoubleIndices")}({Print(indices.First)})", Precedence.Primary);
            case LaneSelect select:
                return ($"{RuntimeNames.Vector256}.ConditionalSelect({Mask(select.Condition)}, {Print(select.WhenTrue)}, {Print(select.WhenFalse)})", Precedence.Primary);
            case Unary unary:
                var operand = Print(unary.Operand, Precedence.Unary);
                var symbol = unary.Op == UnaryOp.Not ? "!" : "-";
                // "- -x" must not print as "--x"
                return (symbol + (operand.StartsWith("-") ? " " : "") + operand, Precedence.Unary);
            case Cast cast:
                return ($"({cast.Type.Keyword()}){Print(cast.Operand, Precedence.Unary)}", Precedence.Unary);
            case Binary binary:
                var (op, precedence) = Operator(binary.Op);
                // Left-associative: a right operand of equal precedence needs parentheses.
                return ($"{Print(binary.Left, precedence)} {op} {Print(binary.Right, precedence + 1)}", precedence);
            case Conditional conditional:
                return ($"{Print(conditional.Condition, Precedence.Or)} ? {Print(conditional.WhenTrue)} : {Print(conditional.WhenFalse)}", Precedence.Conditional);
            case MathCall { Function: "Pow" } square when Literals.TryValue(square.Arguments[1], out var exponent) && exponent == 2:
                // x * x is the correctly rounded square; the JIT would otherwise call libm's pow.
                return ($"{RuntimeNames.GeneratedMath}.Square({Print(square.Arguments[0])})", Precedence.Primary);
            case MathCall math:
                return ($"{RuntimeNames.Math(math.Single)}.{math.Function}({string.Join(", ", math.Arguments.Select(Print))})", Precedence.Primary);
            case Call call:
                var arguments = call.Arguments.Select(a => a.Array is { } array ? Array(array) : Print(a.Value!));
                return ($"{call.Target.Method}({string.Join(", ", arguments)})", Precedence.Primary);
            default:
                throw new System.InvalidOperationException("Cannot print " + e.GetType().Name);
        }
    }

    /// <summary>A condition over lanes as a mask: all bits set in the lanes where it holds.</summary>
    private static string Mask(Expr condition) => condition switch
    {
        Binary { Op: BinaryOp.And } both => $"({Mask(both.Left)} & {Mask(both.Right)})",
        Binary { Op: BinaryOp.Or } either => $"({Mask(either.Left)} | {Mask(either.Right)})",
        Unary { Op: UnaryOp.Not } not => $"~{Mask(not.Operand)}",
        Binary { Op: BinaryOp.NotEqual } compare => $"~{RuntimeNames.Vector256}.Equals({Print(compare.Left)}, {Print(compare.Right)})",
        Binary compare => $"{RuntimeNames.Vector256}.{Comparison(compare.Op)}({Print(compare.Left)}, {Print(compare.Right)})",
        _ => throw new System.InvalidOperationException("Cannot print a lane mask of " + condition.GetType().Name),
    };

    private static string Comparison(BinaryOp op) => op switch
    {
        BinaryOp.Less => "LessThan",
        BinaryOp.LessOrEqual => "LessThanOrEqual",
        BinaryOp.Greater => "GreaterThan",
        BinaryOp.GreaterOrEqual => "GreaterThanOrEqual",
        BinaryOp.Equal => "Equals",
        _ => throw new System.InvalidOperationException("Not a comparison: " + op),
    };

    /// <summary>
    /// An array, or a window of it as a span: writable for what the method writes (and adjoints), read-only
    /// otherwise. The cast serves arrays and spans alike, and is free.
    /// </summary>
    public static string Array(ArraySource array)
    {
        var name = array.Member is { } member ? Static(member) : Identifier(array.Code);
        if (array is not { Start: { } start, Count: { } count }) return name;
        var span = array.Kind is ArrayKind.Input or ArrayKind.External ? RuntimeNames.ReadOnlySpan(array.Element) : RuntimeNames.Span(array.Element);
        return $"(({span}){name}).Slice({Print(start)}, {Print(count)})";
    }

    private static string Static(StaticMember member) => member.Type + "." + member.Name;

    private static (string, Precedence) Operator(BinaryOp op) => op switch
    {
        BinaryOp.Add => ("+", Precedence.Additive),
        BinaryOp.Subtract => ("-", Precedence.Additive),
        BinaryOp.Multiply => ("*", Precedence.Multiplicative),
        BinaryOp.Divide => ("/", Precedence.Multiplicative),
        BinaryOp.Remainder => ("%", Precedence.Multiplicative),
        BinaryOp.Less => ("<", Precedence.Relational),
        BinaryOp.LessOrEqual => ("<=", Precedence.Relational),
        BinaryOp.Greater => (">", Precedence.Relational),
        BinaryOp.GreaterOrEqual => (">=", Precedence.Relational),
        BinaryOp.Equal => ("==", Precedence.Equality),
        BinaryOp.NotEqual => ("!=", Precedence.Equality),
        BinaryOp.And => ("&&", Precedence.And),
        BinaryOp.Or => ("||", Precedence.Or),
        BinaryOp.BitAnd => ("&", Precedence.BitAnd),
        BinaryOp.BitOr => ("|", Precedence.BitOr),
        _ => ("^", Precedence.BitXor),
    };
}
