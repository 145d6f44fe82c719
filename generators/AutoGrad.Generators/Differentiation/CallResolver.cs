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
    public static IEnumerable<Call> UnresolvedActiveCalls(MethodModel method, Activity activity)
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
                            if (e is Call { Target.Kind: CallKind.None } call && activity.Depends(call) && !found.Any(f => f.Site == call.Site)) found.Add(call);
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
