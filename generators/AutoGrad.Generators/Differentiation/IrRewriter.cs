using System;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>Bottom-up rewriting and visiting of IR expressions.</summary>
internal static class IrRewriter
{
    public static Block Rewrite(Block block, Func<Expr, Expr> rewrite) =>
        new(block.Statements.Select(s => Rewrite(s, rewrite)).ToEquatableArray());

    private static Stmt Rewrite(Stmt statement, Func<Expr, Expr> rewrite) => statement switch
    {
        Assign assign => assign with { Value = Rewrite(assign.Value, rewrite) },
        If branch => new If(Rewrite(branch.Condition, rewrite), Rewrite(branch.Then, rewrite), Rewrite(branch.Else, rewrite)),
        While loop => loop with { Condition = Rewrite(loop.Condition, rewrite), Body = Rewrite(loop.Body, rewrite), Step = Rewrite(loop.Step, rewrite) },
        Return ret => new Return(ret.Value is null ? null : Rewrite(ret.Value, rewrite)),
        Store store => new Store(store.Array, Rewrite(store.Index, rewrite), Rewrite(store.Value, rewrite)),
        Allocate allocate => allocate with { Length = Rewrite(allocate.Length, rewrite) },
        Check check => check with { Arguments = check.Arguments.Select(a => Rewrite(a, rewrite)).ToEquatableArray() },
        Invoke invoke => rewrite(new Call(ScalarType.Double, invoke.Target, invoke.Arguments, invoke.Site)) is Call call
            ? new Invoke(call.Target, RewriteArguments(call.Arguments, rewrite), invoke.Site)
            : invoke,
        _ => statement,
    };

    private static EquatableArray<Argument> RewriteArguments(EquatableArray<Argument> arguments, Func<Expr, Expr> rewrite) =>
        MapArguments(arguments, e => Rewrite(e, rewrite));

    /// <summary>Each argument's value, or the start and length of an array window.</summary>
    private static EquatableArray<Argument> MapArguments(EquatableArray<Argument> arguments, Func<Expr, Expr> map) =>
        arguments.Select(a => a switch
        {
            { Value: { } value } => a with { Value = map(value) },
            { Array: { } array } => a with { Array = MapWindow(array, map) },
            _ => a,
        }).ToEquatableArray();

    public static Expr Rewrite(Expr e, Func<Expr, Expr> rewrite) => rewrite(MapChildren(e, child => Rewrite(child, rewrite)));

    /// <summary>The same node with each child expression replaced.</summary>
    public static Expr MapChildren(Expr e, Func<Expr, Expr> map) => e switch
    {
        ElementRead read => read with { Index = map(read.Index) },
        Unary unary => unary with { Operand = map(unary.Operand) },
        Binary binary => binary with { Left = map(binary.Left), Right = map(binary.Right) },
        Conditional c => c with { Condition = map(c.Condition), WhenTrue = map(c.WhenTrue), WhenFalse = map(c.WhenFalse) },
        Cast cast => cast with { Operand = map(cast.Operand) },
        MathCall math => math with { Arguments = math.Arguments.Select(map).ToEquatableArray() },
        Call call => call with { Arguments = MapArguments(call.Arguments, map) },
        ArrayValue array => array with { Array = MapWindow(array.Array, map) },
        Dot dot => dot with { Left = MapWindow(dot.Left, map), Right = MapWindow(dot.Right, map) },
        _ => e,
    };

    private static ArraySource MapWindow(ArraySource array, Func<Expr, Expr> map) =>
        array is { Start: { } start, Count: { } count } ? array with { Start = map(start), Count = map(count) } : array;

    public static void Visit(Expr e, Action<Expr> visit)
    {
        MapChildren(e, child =>
        {
            Visit(child, visit);
            return child;
        });
        visit(e);
    }
}
