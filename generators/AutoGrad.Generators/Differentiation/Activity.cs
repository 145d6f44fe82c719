using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// Activity analysis: a variable (or array) is varied when its value depends differentiably on a
/// differentiable input, useful when it flows into the result or an output, and active when
/// both. Only active values get adjoints. The analysis is flow-insensitive (a fixed point over
/// all writes), which is conservative and cheap.
/// </summary>
internal sealed class Activity
{
    /// <summary>One write: <paramref name="Target"/> receives the values and the contents of the arrays.</summary>
    private sealed record Write(string Target, IReadOnlyList<Expr> Values, IReadOnlyList<string> Arrays);

    private readonly HashSet<string> _varied;
    private readonly HashSet<string> _useful = new();

    public Activity(MethodModel method)
    {
        var writes = new List<Write>();
        CollectWrites(method.Body, writes);

        _varied = new HashSet<string>(method.Parameters.Where(p => p.Differentiable).Select(p => p.Name));
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var write in writes)
            {
                if (!_varied.Contains(write.Target) && (write.Values.Any(Depends) || write.Arrays.Any(_varied.Contains)))
                    changed |= _varied.Add(write.Target);
            }
        }

        if (!method.ReturnsVoid) _useful.Add(method.ResultVariable);
        foreach (var output in method.Parameters.Where(p => p.Shape == ParameterShape.Output)) _useful.Add(output.Name);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var write in writes)
            {
                if (!_useful.Contains(write.Target)) continue;
                var flows = new HashSet<string>(write.Arrays);
                foreach (var value in write.Values) CollectFlow(value, flows);
                foreach (var name in flows) changed |= _useful.Add(name);
            }
        }
    }

    /// <summary>Whether a variable or array gets an adjoint.</summary>
    public bool IsActive(string name) => _varied.Contains(name) && _useful.Contains(name);

    public bool IsVaried(string name) => _varied.Contains(name);

    /// <summary>Whether the expression's value depends differentiably on a differentiable input.</summary>
    public bool Depends(Expr e) => e switch
    {
        VarRef v => v.Type.IsReal() && _varied.Contains(v.Name),
        ElementRead read => read.Type.IsReal() && read.Array.IsNamed && _varied.Contains(read.Array.Code),
        Unary { Op: UnaryOp.Negate } unary => unary.Type.IsReal() && Depends(unary.Operand),
        Binary binary => binary.Type.IsReal() && (Depends(binary.Left) || Depends(binary.Right)),
        Conditional conditional => conditional.Type.IsReal() && (Depends(conditional.WhenTrue) || Depends(conditional.WhenFalse)),
        Cast cast => cast.Type.IsReal() && Depends(cast.Operand),
        MathCall math => math.Type.IsReal() && !DerivativeRules.IsPiecewiseConstant(math) && math.Arguments.Any(Depends),
        Call call => call.Type.IsReal() && DependsOnArguments(call.Arguments),
        _ => false,
    };

    public bool DependsOnArguments(EquatableArray<Argument> arguments) =>
        arguments.Any(a => (a.Value is not null && Depends(a.Value)) || (a.Array is { IsNamed: true } array && _varied.Contains(array.Code)));

    /// <summary>The variables and arrays whose derivatives flow into the expression's value (real-valued paths only).</summary>
    private static void CollectFlow(Expr e, HashSet<string> names)
    {
        if (!e.Type.IsReal()) return;
        switch (e)
        {
            case VarRef v: names.Add(v.Name); break;
            case ElementRead read: names.Add(read.Array.Code); break;
            case Unary unary: CollectFlow(unary.Operand, names); break;
            case Binary binary: CollectFlow(binary.Left, names); CollectFlow(binary.Right, names); break;
            case Conditional conditional: CollectFlow(conditional.WhenTrue, names); CollectFlow(conditional.WhenFalse, names); break;
            case Cast cast: CollectFlow(cast.Operand, names); break;
            case MathCall math: foreach (var argument in math.Arguments) CollectFlow(argument, names); break;
            case Call call: CollectArguments(call.Arguments, names); break;
        }
    }

    private static void CollectArguments(EquatableArray<Argument> arguments, HashSet<string> names)
    {
        foreach (var argument in arguments)
        {
            if (argument.Value is not null) CollectFlow(argument.Value, names);
            else if (argument.Array is { IsNamed: true } array) names.Add(array.Code);
        }
    }

    private static void CollectWrites(Block block, List<Write> output)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assign assign:
                    output.Add(new Write(assign.Target, new[] { assign.Value }, new string[0]));
                    break;
                case Store store:
                    output.Add(new Write(store.Array.Code, new[] { store.Value }, new string[0]));
                    break;
                case Invoke invoke:
                    var values = invoke.Arguments.Where(a => a.Value is not null).Select(a => a.Value!).ToList();
                    var inputs = invoke.Arguments
                        .Where((a, i) => a.Array is { IsNamed: true } && invoke.Target.Parameters[i].Shape != ParameterShape.Output)
                        .Select(a => a.Array!.Code).ToList();
                    for (var i = 0; i < invoke.Arguments.Count; i++)
                    {
                        if (invoke.Target.Parameters[i].Shape == ParameterShape.Output && invoke.Arguments[i].Array is { } written)
                            output.Add(new Write(written.Code, values, inputs));
                    }
                    break;
                case If branch:
                    CollectWrites(branch.Then, output);
                    CollectWrites(branch.Else, output);
                    break;
                case While loop:
                    CollectWrites(loop.Body, output);
                    break;
            }
        }
    }
}
