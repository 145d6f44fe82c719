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
    private readonly HashSet<string> _varied;
    private readonly HashSet<string> _useful = new();

    public Activity(MethodModel method)
    {
        var writes = IrWalker.Statements(method.Body).SelectMany(IrWalker.Definitions).ToList();

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
                foreach (var name in write.Arrays.Concat(write.Values.SelectMany(v => IrWalker.FlowNames(v, throughPiecewiseConstant: true))))
                    changed |= _useful.Add(name);
            }
        }
    }

    /// <summary>Whether a variable or array gets an adjoint.</summary>
    public bool IsActive(string name) => _varied.Contains(name) && _useful.Contains(name);

    public bool IsVaried(string name) => _varied.Contains(name);

    /// <summary>Whether the expression's value depends differentiably on a differentiable input.</summary>
    public bool Depends(Expr e) => IrWalker.FlowNames(e, throughPiecewiseConstant: false).Any(_varied.Contains);

    public bool DependsOnArguments(EquatableArray<Argument> arguments) =>
        arguments.Any(a => (a.Value is not null && Depends(a.Value)) || (a.Array is { IsNamed: true } array && _varied.Contains(array.Code)));
}
