using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>Points calls at the [DerivativeOf] rules the compilation declares, and finds the calls left without one.</summary>
internal static class CallResolver
{
    public static Block Resolve(Block body, EquatableArray<RuleInfo> rules)
    {
        if (rules.Count == 0) return body;
        var byKey = new Dictionary<string, RuleInfo>();
        foreach (var rule in rules) byKey[rule.TargetKey] = rule;
        return IrWalker.Rewrite(body, e => e is Call { Target.Kind: CallKind.None } call && byKey.TryGetValue(call.Target.RuleKey, out var rule)
            ? call with { Target = call.Target with { Kind = CallKind.Rule, Pullback = rule.Method, Parameters = rule.Parameters, PullbackReadsOutputs = rule.ReadsOutputs } }
            : e);
    }

    /// <summary>A call expression or statement, as far as resolution and diagnostics care.</summary>
    public sealed record CallUse(CallTarget Target, EquatableArray<Argument> Arguments, int Site);

    /// <summary>Calls with no derivative whose value depends on an input and reaches the result or an output.</summary>
    public static IEnumerable<CallUse> UnresolvedActiveCalls(MethodModel method, Activity activity) =>
        ActiveCalls(method, activity).Where(call => call.Target.Kind == CallKind.None);

    /// <summary>Arguments that carry a gradient into a callee parameter that takes none.</summary>
    public static IEnumerable<(CallUse Call, Expr Argument, string Parameter)> StoppedGradients(MethodModel method, Activity activity)
    {
        foreach (var call in ActiveCalls(method, activity).Where(c => c.Target.Kind != CallKind.None))
        {
            for (var i = 0; i < call.Arguments.Count; i++)
            {
                var argument = call.Arguments[i];
                var parameter = call.Target.Parameters[i];
                if (parameter.Differentiable || parameter.Shape == ParameterShape.Output) continue;
                if (argument.Value is { } value && value.Type.IsReal() && activity.Depends(value))
                    yield return (call, value, parameter.Name);
                else if (argument.Array is { IsNamed: true } array && activity.IsVaried(array.Code))
                    yield return (call, new ArrayValue(array with { Start = null, Count = null }), parameter.Name); // the whole array, by name
            }
        }
    }

    private static List<CallUse> ActiveCalls(MethodModel method, Activity activity)
    {
        var found = new List<CallUse>();
        void Add(CallUse use)
        {
            if (!found.Any(f => f.Site == use.Site)) found.Add(use);
        }
        void VisitValue(Expr value)
        {
            foreach (var call in IrWalker.Nodes(value).OfType<Call>())
                if (activity.Depends(call)) Add(new CallUse(call.Target, call.Arguments, call.Site));
        }
        foreach (var statement in IrWalker.Statements(method.Body))
        {
            switch (statement)
            {
                case Assign assign when activity.IsActive(assign.Target): VisitValue(assign.Value); break;
                case Store store when activity.IsActive(store.Array.Code): VisitValue(store.Value); break;
                case Invoke invoke when activity.DependsOnArguments(invoke.Arguments) && IrWalker.Outputs(invoke).Any(o => activity.IsActive(o.Code)):
                    Add(new CallUse(invoke.Target, invoke.Arguments, invoke.Site));
                    break;
            }
        }
        return found;
    }
}
