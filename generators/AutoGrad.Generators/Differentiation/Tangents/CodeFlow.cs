using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation.Tangents;

/// <summary>
/// Which names of generated code carry a tangent: those whose value depends on a seeded name
/// (varied) and flows into a sink (useful). Names are scalar variables, arrays and value stacks
/// (a pop reads its stack, a push writes it), so a saved value and its tangent always travel
/// together. Flow-insensitive fixed points over every write, like <see cref="Activity"/> over the
/// method's own IR.
/// </summary>
internal sealed class CodeFlow
{
    /// <summary>One write: <paramref name="Target"/> receives the real-valued flow of <paramref name="Value"/> (or of the array <paramref name="Source"/>).</summary>
    private sealed record Write(string Target, Expr? Value, string? Source);

    private readonly HashSet<string> _active;

    public CodeFlow(IEnumerable<Code> code, IEnumerable<string> seeds, IEnumerable<string> sinks)
    {
        var writes = new List<Write>();
        foreach (var statement in code) CollectWrites(statement, writes);

        var varied = new HashSet<string>(seeds);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var write in writes)
                if (!varied.Contains(write.Target) && Flow(write).Any(varied.Contains)) changed |= varied.Add(write.Target);
        }

        var useful = new HashSet<string>(sinks);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var write in writes.Where(w => useful.Contains(w.Target)))
                foreach (var name in Flow(write)) changed |= useful.Add(name);
        }
        _active = new HashSet<string>(varied.Where(useful.Contains));
        // A stack's pushes and pops carry tangents all or none, so they stay paired: whatever takes a
        // value off a stack with tangents takes its tangent too (a saved value that only decides a branch).
        foreach (var write in writes.Where(w => w.Value is not null && PopsFrom(w.Value).Any(_active.Contains)).ToList())
            _active.Add(write.Target);
    }

    private static IEnumerable<string> PopsFrom(Expr e) =>
        IrWalker.Uses(e).Where(u => u.Kind == UseKind.PopStack).Select(u => u.Name);

    /// <summary>Whether the name gets a tangent.</summary>
    public bool IsActive(string name) => _active.Contains(name);

    /// <summary>Whether the expression's value has a tangent.</summary>
    public bool Depends(Expr e) => Flow(e).Any(_active.Contains);

    private static IEnumerable<string> Flow(Write write)
    {
        var names = new HashSet<string>();
        if (write.Value is not null) names.UnionWith(Flow(write.Value));
        if (write.Source is not null) names.Add(write.Source);
        return names;
    }

    /// <summary>The names whose tangents flow into the expression's value: real-valued paths only.</summary>
    private static IEnumerable<string> Flow(Expr e) => IrWalker.FlowNames(e, throughPiecewiseConstant: false);

    /// <summary>The writes of one statement of generated code; every kind is listed, so a new one fails here first.</summary>
    private static void CollectWrites(Code code, List<Write> writes)
    {
        switch (code)
        {
            case Declare declare:
                writes.Add(new Write(declare.Name, declare.Value, null));
                break;
            case Set set:
                writes.Add(new Write(set.Name, set.Value, null));
                break;
            case Accumulate { Target: VarRef variable } accumulate:
                writes.Add(new Write(variable.Name, accumulate.Value, null));
                break;
            case Accumulate { Target: ElementRead element } accumulate:
                writes.Add(new Write(element.Array.Code, accumulate.Value, null));
                break;
            case SetElement set:
                writes.Add(new Write(set.Target.Array.Code, set.Value, null));
                break;
            case Push push:
                writes.Add(new Write(push.Stack, push.Value, null));
                break;
            case RentBuffer { CopyFrom: { } source } rent:
                writes.Add(new Write(rent.Name, null, source));
                break;
            case ReturnCode returned:
                writes.Add(new Write(TangentTransform.ReturnedValue, returned.Value, null));
                break;
            case IfCode branch:
                foreach (var statement in branch.Then.Concat(branch.Else)) CollectWrites(statement, writes);
                break;
            case WhileCode loop:
                foreach (var statement in loop.Body) CollectWrites(statement, writes);
                break;
            case Repeat repeat:
                foreach (var statement in repeat.Body) CollectWrites(statement, writes);
                break;
            case InvokeCode { Target: { } target } invoke:
                // Each output of a call statement may depend on every input (arrays and scalars alike).
                for (var i = 0; i < invoke.Arguments.Count; i++)
                {
                    if (target.Parameters[i].Shape != ParameterShape.Output || invoke.Arguments[i].Array is not { IsNamed: true } written) continue;
                    foreach (var input in invoke.Arguments.Where((a, j) => target.Parameters[j].Shape != ParameterShape.Output))
                    {
                        if (input.Value is { } value) writes.Add(new Write(written.Code, value, null));
                        else if (input.Array is { IsNamed: true } array) writes.Add(new Write(written.Code, null, array.Code));
                    }
                }
                break;
            case PullbackCall call:
                // Each gradient the pullback accumulates into may depend on every argument and seed.
                foreach (var gradient in call.Gradients)
                {
                    var written = gradient.Value switch { VarRef variable => variable.Name, ArrayValue { Array.IsNamed: true } array => array.Array.Code, _ => null };
                    if (written is null) continue;
                    foreach (var source in call.Inputs.Concat(call.Seeds)) writes.Add(new Write(written, source.Value, null));
                }
                break;
            case SaveContents save:
                if (save.Array.IsNamed) writes.Add(new Write(save.Stack, null, save.Array.Code));
                break;
            case RestoreContents restore:
                if (restore.Array.IsNamed) writes.Add(new Write(restore.Array.Code, null, restore.Stack));
                break;
            case Step or RentBuffer or DeclareBuffer or ReturnBuffer or RentRecord or ReturnRecord or AliasStack or Comment or StatementComment or CheckCode or ClearContents:
                break; // integers, storage and comments: no real-valued flow
            case Accumulate or InvokeCode or SaveBuffer or RestoreBuffer:
                throw new InvalidOperationException($"Forward mode does not go through {code.GetType().Name}; the generator should have reported this.");
            default:
                throw new InvalidOperationException("Tangent flow does not know " + code.GetType().Name);
        }
    }
}
