using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Lowering;

/// <summary>A call from one [Differentiable] method to another, by the callee's key.</summary>
public sealed record DifferentiableCall(string Callee, string CalleeName, LocationInfo? Location);

/// <summary>A [Differentiable] method's key and the [Differentiable] methods it calls.</summary>
public sealed record MethodCalls(string Method, EquatableArray<DifferentiableCall> Calls);

/// <summary>A call that leads back to its caller through other [Differentiable] methods.</summary>
public sealed record RecursiveCall(string Caller, string Callee, LocationInfo? Location);

/// <summary>
/// Finds mutual recursion among the compilation's [Differentiable] methods: their generated pullbacks would
/// call each other without end, so it is reported like a method that calls itself.
/// </summary>
internal static class CallGraph
{
    public static EquatableArray<RecursiveCall> RecursiveCalls(IEnumerable<MethodCalls> methods)
    {
        var callees = new Dictionary<string, List<string>>();
        foreach (var method in methods)
        {
            if (!callees.TryGetValue(method.Method, out var list)) callees[method.Method] = list = new List<string>();
            list.AddRange(method.Calls.Select(c => c.Callee));
        }
        bool Reaches(string from, string target)
        {
            var seen = new HashSet<string>();
            var pending = new Stack<string>();
            pending.Push(from);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (current == target) return true;
                if (!seen.Add(current) || !callees.TryGetValue(current, out var next)) continue;
                foreach (var callee in next) pending.Push(callee);
            }
            return false;
        }
        var found = new List<RecursiveCall>();
        foreach (var method in methods)
        {
            foreach (var call in method.Calls)
            {
                // A direct self-call is reported by lowering; here only cycles through other methods.
                if (call.Callee != method.Method && Reaches(call.Callee, method.Method))
                    found.Add(new RecursiveCall(method.Method, call.CalleeName, call.Location));
            }
        }
        return found.ToEquatableArray();
    }
}
