using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation.Tangents;

/// <summary>The method as written, as generated code: its locals declared first, its buffers rented where it allocates them and returned at the end.</summary>
internal static class PrimalCode
{
    public static List<Code> Of(MethodModel model)
    {
        var code = new List<Code>();
        foreach (var variable in model.Variables.Where(v => v.Kind != VariableKind.Parameter))
            code.Add(new Declare(variable.Type, variable.Name, Default(variable.Type)));
        foreach (var buffer in model.Buffers) code.Add(new DeclareBuffer(buffer.Element, buffer.Name));
        code.AddRange(Statements(model.Body));
        foreach (var buffer in model.Buffers) code.Add(new ReturnBuffer(buffer.Element, buffer.Name));
        if (!model.ReturnsVoid) code.Add(new ReturnCode(new VarRef(model.ReturnType, model.ResultVariable)));
        return code;
    }

    private static EquatableArray<Code> Statements(Block block) => block.Statements.Select(Statement).ToEquatableArray();

    private static Code Statement(Stmt statement) => statement switch
    {
        Assign assign => new Set(assign.Target, assign.Value),
        Increment increment => new Step(increment.Target, increment.Delta),
        Store store => new SetElement(new ElementRead(store.Array.Element, store.Array, store.Index), store.Value),
        Allocate allocate => new RentBuffer(allocate.Element, allocate.Name, allocate.Length),
        Invoke invoke => new InvokeCode(invoke.Target.Method, invoke.Arguments, null, invoke.Target),
        Check check => new CheckCode(check),
        If branch => new IfCode(branch.Condition, Statements(branch.Then), Statements(branch.Else)),
        // Normalisation has moved each loop's step into its body and turned jumps into flags.
        While loop => new WhileCode(loop.Condition, Statements(loop.Body)),
        Break or Continue or Return => throw new InvalidOperationException("Control-flow normalisation leaves no " + statement.GetType().Name),
        _ => throw new InvalidOperationException("Primal code does not know " + statement.GetType().Name),
    };
}
