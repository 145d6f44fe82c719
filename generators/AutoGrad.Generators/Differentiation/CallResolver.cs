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
        return IrRewriter.Rewrite(body, e => e is Call { Target.Kind: CallKind.None } call && byKey.TryGetValue(call.Target.RuleKey, out var rule)
            ? call with { Target = call.Target with { Kind = CallKind.Rule, Pullback = rule.Method, Parameters = rule.Parameters } }
            : e);
    }

    /// <summary>Calls with no derivative whose value depends on an input and flows into an active variable.</summary>
    public static IEnumerable<Call> UnresolvedActiveCalls(MethodModel method, Activity activity) =>
        ActiveCalls(method, activity).Where(call => call.Target.Kind == CallKind.None);

    /// <summary>Arguments that carry a gradient into a callee parameter that takes none, by call.</summary>
    public static IEnumerable<(Call Call, Expr Argument, string Parameter)> StoppedGradients(MethodModel method, Activity activity)
    {
        foreach (var call in ActiveCalls(method, activity).Where(c => c.Target.Kind != CallKind.None))
        {
            for (var i = 0; i < call.Arguments.Count; i++)
            {
                var argument = call.Arguments[i];
                var parameter = call.Target.Parameters[i];
                if (parameter.Differentiable) continue;
                if (argument.Value is { } value && value.Type.IsReal() && activity.Depends(value))
                    yield return (call, value, parameter.Name);
                else if (argument.Array is { IsParameter: true } array && activity.HasAdjoint(array.Code))
                    yield return (call, new External(array.Element, array.Code), parameter.Name);
            }
        }
    }

    private static IEnumerable<Call> ActiveCalls(MethodModel method, Activity activity)
    {
        var found = new List<Call>();
        void Visit(Block block)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case Assign assign when activity.IsActive(assign.Target):
                        IrRewriter.Visit(assign.Value, e =>
                        {
                            if (e is Call call && activity.Depends(call) && !found.Any(f => f.Site == call.Site)) found.Add(call);
                        });
                        break;
                    case If branch: Visit(branch.Then); Visit(branch.Else); break;
                    case While loop: Visit(loop.Body); break;
                }
            }
        }
        Visit(method.Body);
        return found;
    }
}
