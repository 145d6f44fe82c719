using System.Collections;
using System.Reflection;
using AutoGrad.Generators.Differentiation;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// The def-use walker knows every kind of the IR: each concrete Expr and Stmt of the generator,
/// found by reflection and built with sample fields, goes through every query of the walker. A kind
/// added to the IR without a case in <see cref="IrWalker"/> throws there, and fails here.
/// </summary>
public class IrWalkerTests
{
    public static TheoryData<Type> ExpressionKinds() => Kinds(typeof(Expr));

    public static TheoryData<Type> StatementKinds() => Kinds(typeof(Stmt));

    [Theory]
    [MemberData(nameof(ExpressionKinds))]
    public void Every_expression_kind_is_walked(Type kind)
    {
        var e = (Expr)Sample(kind);
        var children = IrWalker.Children(e);
        Assert.Equal(e, IrWalker.MapChildren(e, child => child));
        // Children and MapChildren see the same children: replacing each by a marker replaces them all.
        var marked = IrWalker.MapChildren(e, _ => Marker);
        Assert.All(IrWalker.Children(marked), child => Assert.Same(Marker, child));
        Assert.Equal(children.Count, IrWalker.Children(marked).Count);
        Assert.Equal(IrWalker.Nodes(e).Count(), 1 + children.Sum(c => IrWalker.Nodes(c).Count()));
        _ = IrWalker.Uses(e).ToList();
        _ = IrWalker.Reads(e).ToList();
        _ = IrWalker.FlowNames(e, throughPiecewiseConstant: true).ToList();
        _ = IrWalker.FlowNames(e, throughPiecewiseConstant: false).ToList();
        Assert.Equal(e, IrWalker.Rewrite(e, node => node));
    }

    [Theory]
    [MemberData(nameof(StatementKinds))]
    public void Every_statement_kind_is_walked(Type kind)
    {
        var statement = (Stmt)Sample(kind);
        var block = new Block(EquatableArray.Of(statement));
        Assert.Contains(statement, IrWalker.Statements(block));
        _ = IrWalker.Expressions(statement);
        _ = IrWalker.Blocks(statement);
        _ = IrWalker.Uses(statement).ToList();
        _ = IrWalker.Reads(statement).ToList();
        _ = IrWalker.Writes(statement).ToList();
        _ = IrWalker.Definitions(statement).ToList();
        Assert.Equal(statement, IrWalker.Rewrite(statement, node => node));
    }

    [Fact]
    public void An_unknown_kind_throws()
    {
        Assert.Throws<InvalidOperationException>(() => IrWalker.Uses(new Unknown()).ToList());
        Assert.Throws<InvalidOperationException>(() => IrWalker.Uses(new UnknownStatement()).ToList());
        Assert.Throws<InvalidOperationException>(() => EmptyPlan().HasWork(new UnknownStatement(), depth: 0));
    }

    /// <summary>The reverse plan's statement query names every kind too, so a new kind fails here rather than doing no reverse work.</summary>
    [Theory]
    [MemberData(nameof(StatementKinds))]
    public void The_reverse_plan_knows_every_statement_kind(Type kind) =>
        _ = EmptyPlan().HasWork((Stmt)Sample(kind), depth: 0);

    private static ReversePlan EmptyPlan()
    {
        var model = new MethodModel("N", EquatableArray<ContainingType>.Empty, "M", "public", ScalarType.Double, ReturnsVoid: false,
            EquatableArray<BufferInfo>.Empty, EquatableArray<Model.ParameterInfo>.Empty,
            EquatableArray.Of(new VariableInfo("result", ScalarType.Double, VariableKind.Local)), Block.Empty, "result");
        return new ReversePlan(model, new Activity(model), checkpoints: false);
    }

    [Fact]
    public void Uses_say_what_is_read_and_written()
    {
        var x = new VarRef(ScalarType.Double, "x");
        var i = new VarRef(ScalarType.Int, "i");
        var buffer = new ArraySource("b", ScalarType.Double, ArrayKind.Buffer);
        var input = new ArraySource("a", ScalarType.Double, ArrayKind.Input);
        var store = new Store(buffer, i, new Binary(ScalarType.Double, BinaryOp.Multiply, x, new ElementRead(ScalarType.Double, input, i)));
        var loop = new While(new Binary(ScalarType.Bool, BinaryOp.Less, i, new LengthOf(input)), new Block(EquatableArray.Of<Stmt>(store, new Increment("i", 1))), Block.Empty);

        // Reads are what a write may change: variables and the contents of buffers and outputs, not inputs.
        Assert.Equal(["i", "x"], IrWalker.Reads(loop).Distinct().Order());
        Assert.Equal(["b", "i"], IrWalker.Writes(loop).Distinct().Order());
        Assert.Equal(["b"], IrWalker.ArrayWrites(loop.Body));
        Assert.True(IrWalker.ReadsArray(store.Value, "a"));
        Assert.True(IrWalker.Touches(loop, "a"));
        // A derivative flows through the product into the store, not through the index.
        Assert.Equal(["x", "a"], IrWalker.FlowNames(store.Value, throughPiecewiseConstant: false));
    }

    private sealed record Unknown() : Expr(ScalarType.Double);

    private sealed record UnknownStatement : Stmt;

    private static readonly Expr Marker = new VarRef(ScalarType.Double, "marker");

    private static TheoryData<Type> Kinds(Type root)
    {
        var kinds = root.Assembly.GetTypes().Where(t => root.IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.NotEmpty(kinds);
        return new TheoryData<Type>(kinds);
    }

    /// <summary>An instance of an IR type with every field filled: a record is built from samples of its constructor's parameters.</summary>
    private static object Sample(Type type, string? name = null)
    {
        if (type == typeof(string)) return name == nameof(MathCall.Function) ? "Exp" : "v";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 1;
        if (type == typeof(long)) return 1L;
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0)!;
        if (type == typeof(Expr)) return new VarRef(ScalarType.Double, "x");
        if (type == typeof(Stmt)) return new Assign("y", new VarRef(ScalarType.Double, "x"), IsDeclaration: false);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            var element = type.GetGenericArguments()[0];
            var items = Array.CreateInstance(element, 1);
            items.SetValue(Sample(element), 0);
            return Activator.CreateInstance(type, items)!;
        }
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Sample(underlying);
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"No sample for {type.Name}: add one to IrWalkerTests.Sample.");
        return constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType, p.Name)).ToArray());
    }
}
