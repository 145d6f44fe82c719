using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>How an IR node uses a name.</summary>
internal enum UseKind
{
    /// <summary>Reads a scalar variable.</summary>
    ReadVariable,
    /// <summary>Reads one element of an array (<see cref="Use.Index"/>).</summary>
    ReadElement,
    /// <summary>Passes an array, or a window of it, to a callee that reads it.</summary>
    ReadArray,
    /// <summary>Reads the length of an array (not its contents).</summary>
    ReadLength,
    /// <summary>Takes a value off a stack of the forward sweep (generated code only).</summary>
    PopStack,
    /// <summary>Assigns a scalar variable.</summary>
    WriteVariable,
    /// <summary>Steps an integer variable by a constant: reads and writes it.</summary>
    StepVariable,
    /// <summary>Stores one element of an array (<see cref="Use.Index"/>).</summary>
    WriteElement,
    /// <summary>Passes an array, or a window of it, to a callee that writes it (a Span output).</summary>
    WriteArray,
    /// <summary>Allocates a local array.</summary>
    Allocate,
}

/// <summary>One use of a name by one node; <see cref="Array"/> is set where an array is used, <see cref="Index"/> for one element.</summary>
internal readonly record struct Use(UseKind Kind, string Name, ArraySource? Array = null, Expr? Index = null)
{
    public bool IsWrite => Kind is UseKind.WriteVariable or UseKind.StepVariable or UseKind.WriteElement or UseKind.WriteArray or UseKind.Allocate;

    /// <summary>Whether the use reads a value that the method's own statements can change: a variable, or the contents of a buffer or output.</summary>
    public bool ReadsMutable => Kind == UseKind.ReadVariable
        || (Kind is UseKind.ReadElement or UseKind.ReadArray && Array!.Kind is ArrayKind.Buffer or ArrayKind.Output);
}

/// <summary>One definition: <see cref="Target"/> receives the values of <see cref="Values"/> and the contents of the named <see cref="Arrays"/>.</summary>
internal sealed record Definition(string Target, IReadOnlyList<Expr> Values, IReadOnlyList<string> Arrays);

/// <summary>
/// The one def-use walker of the IR: every expression and statement kind is taken apart here, and
/// only here, into its children, the names it reads and writes, the arrays and windows it passes
/// to callees and the blocks nested in it. A kind this class does not know throws, so a new kind
/// fails the walker's tests instead of being skipped by an analysis. Analyses are queries on it.
/// </summary>
internal static class IrWalker
{
    // ---- Expressions ----

    /// <summary>The same node with each child expression (operands, indices, arguments, window bounds) replaced.</summary>
    public static Expr MapChildren(Expr e, Func<Expr, Expr> map) => e switch
    {
        Constant or VarRef or Pop or StaticRead or SettingsRead or OpaqueConstant or NoArray or RecordValue => e,
        LengthOf length => length with { Array = MapWindow(length.Array, map) },
        ArrayValue array => array with { Array = MapWindow(array.Array, map) },
        Dot dot => dot with { Left = MapWindow(dot.Left, map), Right = MapWindow(dot.Right, map) },
        ElementRead read => read with { Array = MapWindow(read.Array, map), Index = map(read.Index) },
        LaneLoad load => load with { Array = MapWindow(load.Array, map), Index = map(load.Index) },
        Broadcast broadcast => broadcast with { Value = map(broadcast.Value) },
        KeepsIterations keeps => keeps with { Values = map(keeps.Values) },
        LaneMath math => math with { Arguments = math.Arguments.Select(map).ToEquatableArray() },
        LaneIndices indices => indices with { First = map(indices.First) },
        LaneSelect select => select with { Condition = map(select.Condition), WhenTrue = map(select.WhenTrue), WhenFalse = map(select.WhenFalse) },
        Unary unary => unary with { Operand = map(unary.Operand) },
        Binary binary => binary with { Left = map(binary.Left), Right = map(binary.Right) },
        Conditional c => c with { Condition = map(c.Condition), WhenTrue = map(c.WhenTrue), WhenFalse = map(c.WhenFalse) },
        Cast cast => cast with { Operand = map(cast.Operand) },
        MathCall math => math with { Arguments = math.Arguments.Select(map).ToEquatableArray() },
        Call call => call with { Arguments = MapArguments(call.Arguments, map) },
        _ => throw Unknown(e),
    };

    /// <summary>What the node itself reads, besides what its children read.</summary>
    private static IEnumerable<Use> OwnUses(Expr e) => e switch
    {
        VarRef variable => [new Use(UseKind.ReadVariable, variable.Name)],
        ElementRead read => [new Use(UseKind.ReadElement, read.Array.Code, read.Array, read.Index)],
        LaneLoad load => [new Use(UseKind.ReadElement, load.Array.Code, load.Array, load.Index)],
        Pop pop => [new Use(UseKind.PopStack, pop.Stack)],
        LengthOf length => [new Use(UseKind.ReadLength, length.Array.Code, length.Array)],
        Call call => call.Arguments.Where(a => a.Array is not null).Select(a => new Use(UseKind.ReadArray, a.Array!.Code, a.Array)),
        ArrayValue array => [new Use(UseKind.ReadArray, array.Array.Code, array.Array)],
        Dot dot => [new Use(UseKind.ReadArray, dot.Left.Code, dot.Left), new Use(UseKind.ReadArray, dot.Right.Code, dot.Right)],
        Constant or StaticRead or SettingsRead or OpaqueConstant or NoArray or RecordValue or Unary or Binary or Conditional or Cast or MathCall or Broadcast or LaneMath or LaneSelect or LaneIndices or KeepsIterations => [],
        _ => throw Unknown(e),
    };

    /// <summary>
    /// The children a value flows through into the node's value: operands and arguments, not
    /// conditions, indices or window bounds, which only choose what is read.
    /// </summary>
    private static IEnumerable<Expr> FlowOperands(Expr e) => e switch
    {
        Constant or VarRef or Pop or LengthOf or ElementRead or LaneLoad or LaneIndices or StaticRead or SettingsRead or OpaqueConstant or ArrayValue or NoArray or RecordValue or Dot or KeepsIterations => [],
        Broadcast broadcast => [broadcast.Value],
        LaneMath math => math.Arguments,
        LaneSelect select => [select.WhenTrue, select.WhenFalse],
        Unary unary => [unary.Operand],
        Binary binary => [binary.Left, binary.Right],
        Conditional c => [c.WhenTrue, c.WhenFalse],
        Cast cast => [cast.Operand],
        MathCall math => math.Arguments,
        Call call => call.Arguments.Where(a => a.Value is not null).Select(a => a.Value!),
        _ => throw Unknown(e),
    };

    public static IReadOnlyList<Expr> Children(Expr e)
    {
        var children = new List<Expr>();
        MapChildren(e, child =>
        {
            children.Add(child);
            return child;
        });
        return children;
    }

    /// <summary>The expression and every node below it, children first.</summary>
    public static IEnumerable<Expr> Nodes(Expr e)
    {
        var nodes = new List<Expr>();
        void Walk(Expr node)
        {
            foreach (var child in Children(node)) Walk(child);
            nodes.Add(node);
        }
        Walk(e);
        return nodes;
    }

    /// <summary>Bottom-up rewriting: each node is rebuilt from its rewritten children, then rewritten.</summary>
    public static Expr Rewrite(Expr e, Func<Expr, Expr> rewrite) => rewrite(MapChildren(e, child => Rewrite(child, rewrite)));

    /// <summary>Every use of a name in the expression.</summary>
    public static IEnumerable<Use> Uses(Expr e) => Nodes(e).SelectMany(OwnUses);

    /// <summary>The variables, and the buffers and outputs whose contents, the expression reads (what a write before it may change).</summary>
    public static IEnumerable<string> Reads(Expr e) => Uses(e).Where(u => u.ReadsMutable).Select(u => u.Name);

    public static bool Reads(Expr e, string name) => Reads(e).Contains(name);

    /// <summary>Whether the expression reads elements of the array (of any kind) or passes it to a callee.</summary>
    public static bool ReadsArray(Expr e, string array) =>
        Uses(e).Any(u => u.Kind is UseKind.ReadElement or UseKind.ReadArray && u.Name == array);

    /// <summary>
    /// The names whose values (and derivatives) flow into the expression's value along real-valued
    /// paths: variables, named arrays and stacks; not conditions or indices. Through a piecewise-constant
    /// function (floor, sign) only when <paramref name="throughPiecewiseConstant"/>.
    /// </summary>
    public static IEnumerable<string> FlowNames(Expr e, bool throughPiecewiseConstant)
    {
        var names = new List<string>();
        void Walk(Expr node)
        {
            if (!node.Type.IsReal()) return;
            if (node is MathCall math && !throughPiecewiseConstant && DerivativeRules.IsPiecewiseConstant(math)) return;
            foreach (var use in OwnUses(node))
                if (use.Kind is UseKind.ReadVariable or UseKind.ReadElement or UseKind.ReadArray or UseKind.PopStack && use.Array is null or { IsNamed: true })
                    names.Add(use.Name);
            foreach (var operand in FlowOperands(node)) Walk(operand);
        }
        Walk(e);
        return names;
    }

    // ---- Statements ----

    /// <summary>A statement's own parts: the expressions it evaluates, its uses beyond them, and its nested blocks.</summary>
    private sealed record Parts(IReadOnlyList<Expr> Expressions, IReadOnlyList<Use> Uses, IReadOnlyList<Block> Blocks);

    private static Parts PartsOf(Stmt statement) => statement switch
    {
        Assign assign => new([assign.Value], [new Use(UseKind.WriteVariable, assign.Target)], []),
        Increment increment => new([], [new Use(UseKind.StepVariable, increment.Target)], []),
        Store store => new([.. Bounds(store.Array), store.Index, store.Value], [new Use(UseKind.WriteElement, store.Array.Code, store.Array, store.Index)], []),
        Allocate allocate => new([allocate.Length], [new Use(UseKind.Allocate, allocate.Name)], []),
        Invoke invoke => new(ArgumentExpressions(invoke.Arguments).ToList(), InvokeUses(invoke).ToList(), []),
        Check check => new(check.Arguments, [], []),
        If branch => new([branch.Condition], [], [branch.Then, branch.Else]),
        While loop => new([loop.Condition], [], [loop.Body, loop.Step]),
        Return returned => new(returned.Value is null ? [] : [returned.Value], [], []),
        Break or Continue => new([], [], []),
        _ => throw Unknown(statement),
    };

    private static IEnumerable<Use> InvokeUses(Invoke invoke) =>
        invoke.Arguments.Select((a, i) => (Argument: a, Writes: invoke.Target.Parameters[i].Shape == ParameterShape.Output))
            .Where(p => p.Argument.Array is not null)
            .Select(p => new Use(p.Writes ? UseKind.WriteArray : UseKind.ReadArray, p.Argument.Array!.Code, p.Argument.Array));

    /// <summary>The same statement with each expression rewritten bottom-up (<see cref="Rewrite(Expr, Func{Expr, Expr})"/>), nested blocks too.</summary>
    public static Stmt Rewrite(Stmt statement, Func<Expr, Expr> rewrite) => statement switch
    {
        Assign assign => assign with { Value = Rewrite(assign.Value, rewrite) },
        Store store => new Store(MapWindow(store.Array, e => Rewrite(e, rewrite)), Rewrite(store.Index, rewrite), Rewrite(store.Value, rewrite)),
        Allocate allocate => allocate with { Length = Rewrite(allocate.Length, rewrite) },
        Check check => check with { Arguments = check.Arguments.Select(a => Rewrite(a, rewrite)).ToEquatableArray() },
        // A call statement is rewritten as the call it makes, so a rewrite that resolves calls resolves both.
        Invoke invoke => Rewrite(new Call(ScalarType.Double, invoke.Target, invoke.Arguments, invoke.Site), rewrite) is Call call
            ? new Invoke(call.Target, call.Arguments, invoke.Site)
            : invoke,
        If branch => new If(Rewrite(branch.Condition, rewrite), Rewrite(branch.Then, rewrite), Rewrite(branch.Else, rewrite)),
        While loop => loop with { Condition = Rewrite(loop.Condition, rewrite), Body = Rewrite(loop.Body, rewrite), Step = Rewrite(loop.Step, rewrite) },
        Return returned => new Return(returned.Value is null ? null : Rewrite(returned.Value, rewrite)),
        Increment or Break or Continue => statement,
        _ => throw Unknown(statement),
    };

    public static Block Rewrite(Block block, Func<Expr, Expr> rewrite) =>
        new(block.Statements.Select(s => Rewrite(s, rewrite)).ToEquatableArray());

    /// <summary>The expressions the statement evaluates itself (those of nested blocks are their statements').</summary>
    public static IReadOnlyList<Expr> Expressions(Stmt statement) => PartsOf(statement).Expressions;

    /// <summary>The blocks nested in the statement: a branch's two, a loop's body and step.</summary>
    public static IReadOnlyList<Block> Blocks(Stmt statement) => PartsOf(statement).Blocks;

    /// <summary>The variables that place an array window (its start and length).</summary>
    public static IEnumerable<string> WindowReads(ArraySource? array) => array is null ? [] : Bounds(array).SelectMany(Reads);

    /// <summary>Every statement of the block at any depth, each before those nested in it.</summary>
    public static IEnumerable<Stmt> Statements(Block block)
    {
        foreach (var statement in block.Statements)
        {
            yield return statement;
            foreach (var nested in Blocks(statement))
                foreach (var inner in Statements(nested)) yield return inner;
        }
    }

    /// <summary>Every use of a name by the statement, at any depth.</summary>
    public static IEnumerable<Use> Uses(Stmt statement)
    {
        var parts = PartsOf(statement);
        return parts.Uses.Concat(parts.Expressions.SelectMany(Uses)).Concat(parts.Blocks.SelectMany(Uses));
    }

    public static IEnumerable<Use> Uses(Block block) => block.Statements.SelectMany(Uses);

    /// <summary>
    /// What the statement (at any depth) reads that a write may change: the variables and buffer and
    /// output contents its expressions read, the counters it steps, and every buffer or output it passes to a callee.
    /// </summary>
    public static IEnumerable<string> Reads(Stmt statement) => Uses(statement)
        .Where(u => u.ReadsMutable || u.Kind == UseKind.StepVariable
            || (u.Kind == UseKind.WriteArray && u.Array!.Kind is ArrayKind.Buffer or ArrayKind.Output))
        .Select(u => u.Name);

    public static bool Reads(Stmt statement, string name) => Reads(statement).Contains(name);

    /// <summary>The variables and arrays the statement (at any depth) writes: assignments, steps, element stores, allocations, call outputs.</summary>
    public static IEnumerable<string> Writes(Stmt statement) => Uses(statement).Where(u => u.IsWrite).Select(u => u.Name);

    public static IEnumerable<string> Writes(Block block) => block.Statements.SelectMany(Writes);

    public static bool Writes(Stmt statement, string name) => Writes(statement).Contains(name);

    /// <summary>The arrays whose elements the block writes: element stores and call outputs (a new array holds constants).</summary>
    public static IEnumerable<string> ArrayWrites(Block block) =>
        Uses(block).Where(u => u.Kind is UseKind.WriteElement or UseKind.WriteArray).Select(u => u.Name);

    /// <summary>Whether the statement reads or writes the name (its value or contents; reading an array's length does not count).</summary>
    public static bool Touches(Stmt statement, string name) => Uses(statement).Any(u => u.Name == name && u.Kind != UseKind.ReadLength);

    /// <summary>The outputs a call statement writes.</summary>
    public static IEnumerable<ArraySource> Outputs(Invoke invoke) =>
        InvokeUses(invoke).Where(u => u.Kind == UseKind.WriteArray).Select(u => u.Array!);

    /// <summary>
    /// The statement's own definitions (not those of nested blocks): what each written name receives.
    /// A call's outputs may each depend on every input; steps and allocations define no real values.
    /// </summary>
    public static IEnumerable<Definition> Definitions(Stmt statement)
    {
        switch (statement)
        {
            case Assign assign:
                return [new Definition(assign.Target, [assign.Value], [])];
            case Store store:
                return [new Definition(store.Array.Code, [store.Value], [])];
            case Invoke invoke:
                var values = invoke.Arguments.Where(a => a.Value is not null).Select(a => a.Value!).ToList();
                var inputs = InvokeUses(invoke).Where(u => u.Kind == UseKind.ReadArray && u.Array!.IsNamed).Select(u => u.Name).ToList();
                return Outputs(invoke).Select(o => new Definition(o.Code, values, inputs)).ToList();
            case Increment or Allocate or Check or If or While or Return or Break or Continue:
                return [];
            default:
                throw Unknown(statement);
        }
    }

    // ---- Arrays and arguments ----

    /// <summary>The start and length of a window (none for a whole array).</summary>
    private static IEnumerable<Expr> Bounds(ArraySource array) =>
        array is { Start: { } start, Count: { } count } ? [start, count] : [];

    private static ArraySource MapWindow(ArraySource array, Func<Expr, Expr> map) =>
        array is { Start: { } start, Count: { } count } ? array with { Start = map(start), Count = map(count) } : array;

    /// <summary>Each argument's value, or the start and length of an array window.</summary>
    private static IEnumerable<Expr> ArgumentExpressions(EquatableArray<Argument> arguments) =>
        arguments.SelectMany(a => a.Value is { } value ? [value] : a.Array is { } array ? Bounds(array) : []);

    private static EquatableArray<Argument> MapArguments(EquatableArray<Argument> arguments, Func<Expr, Expr> map) =>
        arguments.Select(a => a switch
        {
            { Value: { } value } => a with { Value = map(value) },
            { Array: { } array } => a with { Array = MapWindow(array, map) },
            _ => a,
        }).ToEquatableArray();

    private static InvalidOperationException Unknown(object node) =>
        new("The IR walker does not know " + node.GetType().Name + "; add it to IrWalker.");
}
