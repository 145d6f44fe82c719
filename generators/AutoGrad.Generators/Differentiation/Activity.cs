using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// Activity analysis: a variable is varied when its value depends differentiably on a
/// differentiable input, useful when it flows into the result, and active when both. Only active
/// variables get adjoints. The analysis is flow-insensitive (a fixed point over all assignments),
/// which is conservative and cheap.
/// </summary>
internal sealed class Activity
{
    private readonly HashSet<string> _differentiableArrays;
    private readonly HashSet<string> _varied;
    private readonly HashSet<string> _useful;

    public Activity(MethodModel method)
    {
        _differentiableArrays = new HashSet<string>(method.Parameters.Where(p => p.Shape != ParameterShape.Scalar && p.Differentiable).Select(p => p.Name));
        var assignments = new List<Assign>();
        CollectAssignments(method.Body, assignments);

        _varied = new HashSet<string>(method.Parameters.Where(p => p.Shape == ParameterShape.Scalar && p.Differentiable).Select(p => p.Name));
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var assign in assignments)
                if (!_varied.Contains(assign.Target) && Depends(assign.Value)) changed |= _varied.Add(assign.Target);
        }

        _useful = new HashSet<string> { method.ResultVariable };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var assign in assignments)
            {
                if (!_useful.Contains(assign.Target)) continue;
                var flows = new HashSet<string>();
                CollectFlow(assign.Value, flows);
                foreach (var name in flows) changed |= _useful.Add(name);
            }
        }
    }

    public bool IsActive(string variable) => _varied.Contains(variable) && _useful.Contains(variable);

    public bool IsVaried(string variable) => _varied.Contains(variable);

    public bool HasAdjoint(string array) => _differentiableArrays.Contains(array);

    /// <summary>Whether the expression's value depends differentiably on a differentiable input.</summary>
    public bool Depends(Expr e) => e switch
    {
        VarRef v => v.Type.IsReal() && _varied.Contains(v.Name),
        ElementRead read => read.Type.IsReal() && read.Array.IsParameter && _differentiableArrays.Contains(read.Array.Code),
        Unary { Op: UnaryOp.Negate } unary => unary.Type.IsReal() && Depends(unary.Operand),
        Binary binary => binary.Type.IsReal() && (Depends(binary.Left) || Depends(binary.Right)),
        Conditional conditional => conditional.Type.IsReal() && (Depends(conditional.WhenTrue) || Depends(conditional.WhenFalse)),
        Cast cast => cast.Type.IsReal() && Depends(cast.Operand),
        MathCall math => math.Type.IsReal() && !MathFunctions.IsPiecewiseConstant(math.Function) && math.Arguments.Any(Depends),
        Call call => call.Type.IsReal() && call.Arguments.Any(a =>
            (a.Value is not null && Depends(a.Value)) || (a.Array is { IsParameter: true } array && _differentiableArrays.Contains(array.Code))),
        _ => false,
    };

    /// <summary>The variables whose derivatives flow into the expression's value (real-valued paths only).</summary>
    private static void CollectFlow(Expr e, HashSet<string> names)
    {
        if (!e.Type.IsReal()) return;
        switch (e)
        {
            case VarRef v: names.Add(v.Name); break;
            case Unary unary: CollectFlow(unary.Operand, names); break;
            case Binary binary: CollectFlow(binary.Left, names); CollectFlow(binary.Right, names); break;
            case Conditional conditional: CollectFlow(conditional.WhenTrue, names); CollectFlow(conditional.WhenFalse, names); break;
            case Cast cast: CollectFlow(cast.Operand, names); break;
            case MathCall math: foreach (var argument in math.Arguments) CollectFlow(argument, names); break;
            case Call call:
                foreach (var argument in call.Arguments)
                    if (argument.Value is not null) CollectFlow(argument.Value, names);
                break;
        }
    }

    private static void CollectAssignments(Block block, List<Assign> output)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assign assign: output.Add(assign); break;
                case If branch: CollectAssignments(branch.Then, output); CollectAssignments(branch.Else, output); break;
                case While loop: CollectAssignments(loop.Body, output); break;
            }
        }
    }
}
