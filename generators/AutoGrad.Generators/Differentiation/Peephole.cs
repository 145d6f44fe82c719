using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// Three clean-ups of generated code that the JIT cannot do itself, because floating-point
/// addition is not exact: <c>v += e</c> on a variable known to hold zero becomes <c>v = e</c>
/// (an adjoint's first contribution); two additions to the same gradient element with
/// nothing reading the gradient in between become one (<c>dx[i] += a; ...; dx[i] += b</c>);
/// and a loop's additions to one element at an index the loop does not change go to a local,
/// added to the element once after the loop.
/// </summary>
internal static class Peephole
{
    public static List<Code> Optimize(List<Code> code, NameScope names)
    {
        var zeros = new HashSet<string>();
        return MergeAccumulations(AssignFirstContributions(PromoteInvariantAccumulations(code, names), zeros, rewrite: true));
    }

    /// <summary>
    /// A loop <c>for (...) { ...; dx[i] += e; }</c> with i unchanged by the loop and dx touched by nothing
    /// else in it becomes <c>T s = 0; for (...) { ...; s += e; } if (ran) dx[i] += s;</c>: the sum stays in a
    /// register instead of a load and a store per iteration, whose store-to-load latency chains the
    /// iterations. The guard keeps a loop that runs no times from touching dx[i] (i need not be a valid
    /// index then); it reads the trip count or a flag, never the sum, so forward mode over this code
    /// (Hessian-vector products) adds the sum's tangent even where the sum is exactly zero. Inner loops first.
    /// </summary>
    private static List<Code> PromoteInvariantAccumulations(IEnumerable<Code> code, NameScope names)
    {
        var output = new List<Code>();
        foreach (var statement in code)
        {
            switch (statement)
            {
                case IfCode branch:
                    output.Add(branch with
                    {
                        Then = PromoteInvariantAccumulations(branch.Then, names).ToEquatableArray(),
                        Else = PromoteInvariantAccumulations(branch.Else, names).ToEquatableArray(),
                    });
                    break;
                case WhileCode loop:
                    Promote(PromoteInvariantAccumulations(loop.Body, names), counter: null, tripCount: null, body => loop with { Body = body }, names, output);
                    break;
                case Repeat repeat:
                    Promote(PromoteInvariantAccumulations(repeat.Body, names), repeat.Counter, repeat.Count, body => repeat with { Body = body }, names, output);
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return output;
    }

    private static void Promote(List<Code> body, string? counter, Expr? tripCount, System.Func<EquatableArray<Code>, Code> loop, NameScope names, List<Code> output)
    {
        var effects = new LoopEffects();
        effects.Scan(body);
        if (counter is not null) effects.Scalars.Add(counter);
        var sums = new Dictionary<ElementRead, string>();
        var before = new List<Code>();
        var after = new List<Code>();
        if (!effects.Opaque)
        {
            foreach (var statement in body)
            {
                if (statement is not Accumulate { Target: ElementRead target } || sums.ContainsKey(target) || !IsInvariant(target.Index, effects)) continue;
                // Promotable when every statement that names the array is one of these additions (whose values do not read it).
                var additions = body.Count(s => s is Accumulate { Target: ElementRead same } a && same.Equals(target) && !Mentions(a.Value, target.Array.Code));
                if (effects.Mentions[target.Array.Code] != additions) continue;
                var sum = names.Numbered("sum");
                sums[target] = sum;
                before.Add(new Declare(target.Type, sum, Number(target.Type, 0)));
                after.Add(new Accumulate(target, new VarRef(target.Type, sum)));
            }
        }
        var promoted = body.Select(s => s is Accumulate { Target: ElementRead target } a && sums.TryGetValue(target, out var sum)
            ? new Accumulate(new VarRef(target.Type, sum), a.Value)
            : s).ToList();
        if (after.Count == 0)
        {
            output.Add(loop(promoted.ToEquatableArray()));
            return;
        }
        // Whether the loop ran: its trip count where it has one the body leaves alone, else a flag the body sets.
        Expr ran;
        if (tripCount is not null && IsInvariant(tripCount, effects))
        {
            ran = Compare(BinaryOp.Greater, tripCount, new Constant(tripCount.Type, "0"));
        }
        else
        {
            var flag = names.Numbered("ran");
            before.Add(new Declare(ScalarType.Bool, flag, new Constant(ScalarType.Bool, "false")));
            promoted.Insert(0, new Set(flag, new Constant(ScalarType.Bool, "true")));
            ran = new VarRef(ScalarType.Bool, flag);
        }
        output.AddRange(before);
        output.Add(loop(promoted.ToEquatableArray()));
        output.Add(new IfCode(ran, after.ToEquatableArray(), EquatableArray<Code>.Empty));
    }

    /// <summary>Whether an expression reads only variables and arrays the loop leaves unchanged (and no stack or call).</summary>
    private static bool IsInvariant(Expr e, LoopEffects effects)
    {
        var pure = !IrWalker.Nodes(e).Any(node => node is Pop or Call or KeepsIterations);
        var reads = new HashSet<string>();
        Collect(e, reads);
        return pure && !reads.Overlaps(effects.Scalars) && !reads.Overlaps(effects.Arrays);
    }

    private static bool Mentions(Expr e, string array)
    {
        var reads = new HashSet<string>();
        Collect(e, reads);
        return reads.Contains(array);
    }

    /// <summary>
    /// What a loop body writes (scalars, arrays), how many of its statements name each variable or array
    /// (reading or writing it), and whether it holds code whose effects are not listed here (calls, returns).
    /// </summary>
    private sealed class LoopEffects
    {
        public readonly HashSet<string> Scalars = new();
        public readonly HashSet<string> Arrays = new();
        public readonly Dictionary<string, int> Mentions = new();
        public bool Opaque;

        public void Scan(IEnumerable<Code> code)
        {
            foreach (var statement in code)
            {
                var named = new HashSet<string>();
                switch (statement)
                {
                    case Declare declare: Write(Scalars, declare.Name, named); Collect(declare.Value, named); break;
                    case Set set: Write(Scalars, set.Name, named); Collect(set.Value, named); break;
                    case Step step: Write(Scalars, step.Name, named); break;
                    case Accumulate { Target: VarRef variable } accumulate: Write(Scalars, variable.Name, named); Collect(accumulate.Value, named); break;
                    case Accumulate { Target: ElementRead element } accumulate:
                        Write(Arrays, element.Array.Code, named); Collect(element, named); Collect(accumulate.Value, named); break;
                    case SetElement store: Write(Arrays, store.Target.Array.Code, named); Collect(store.Target, named); Collect(store.Value, named); break;
                    case ClearContents clear: Write(Arrays, clear.Array.Code, named); break;
                    case RestoreContents restore: Write(Arrays, restore.Array.Code, named); break;
                    case DeclareBuffer buffer: Write(Arrays, buffer.Name, named); break;
                    case RentBuffer buffer:
                        Write(Arrays, buffer.Name, named); Collect(buffer.Length, named);
                        if (buffer.CopyFrom is { } from) named.Add(from);
                        break;
                    case ReturnBuffer buffer: Write(Arrays, buffer.Name, named); break;
                    case IfCode branch: Collect(branch.Condition, named); Scan(branch.Then); Scan(branch.Else); break;
                    case WhileCode loop: Collect(loop.Condition, named); Scan(loop.Body); break;
                    case Repeat repeat: Write(Scalars, repeat.Counter, named); Collect(repeat.Count, named); Scan(repeat.Body); break;
                    case Push push: Collect(push.Value, named); break; // the rest only read
                    case SaveContents save: named.Add(save.Array.Code); break;
                    case CheckCode check: foreach (var argument in check.Guard.Arguments) Collect(argument, named); break;
                    case Comment or StatementComment: break;
                    default: Opaque = true; break; // calls write through references; a return leaves before the sum is added
                }
                foreach (var name in named) Mentions[name] = Mentions.TryGetValue(name, out var count) ? count + 1 : 1;
            }
        }

        private static void Write(HashSet<string> written, string name, HashSet<string> named)
        {
            written.Add(name);
            named.Add(name);
        }
    }

    /// <summary>Rewrites <c>v += e</c> to <c>v = e</c> where v is zero on every path; <paramref name="zeros"/> is updated to the state after the code.</summary>
    private static List<Code> AssignFirstContributions(IEnumerable<Code> code, HashSet<string> zeros, bool rewrite)
    {
        var output = new List<Code>();
        foreach (var statement in code)
        {
            var result = statement;
            switch (statement)
            {
                case Declare declare:
                    Track(zeros, declare.Name, declare.Value);
                    break;
                case Set set:
                    Track(zeros, set.Name, set.Value);
                    break;
                case Accumulate { Target: VarRef variable } accumulate:
                    if (zeros.Remove(variable.Name) && rewrite) result = new Set(variable.Name, accumulate.Value);
                    break;
                case Step step:
                    zeros.Remove(step.Name);
                    break;
                case IfCode branch:
                    var thenZeros = new HashSet<string>(zeros);
                    var elseZeros = new HashSet<string>(zeros);
                    var then = AssignFirstContributions(branch.Then, thenZeros, rewrite);
                    var otherwise = AssignFirstContributions(branch.Else, elseZeros, rewrite);
                    zeros.Clear();
                    zeros.UnionWith(thenZeros.Intersect(elseZeros));
                    result = branch with { Then = then.ToEquatableArray(), Else = otherwise.ToEquatableArray() };
                    break;
                case WhileCode loop:
                    result = loop with { Body = LoopBody(loop.Body, zeros, rewrite).ToEquatableArray() };
                    break;
                case Repeat repeat:
                    zeros.Remove(repeat.Counter);
                    result = repeat with { Body = LoopBody(repeat.Body, zeros, rewrite).ToEquatableArray() };
                    break;
                case Accumulate or SetElement or Comment or StatementComment or Push or DeclareBuffer or RentBuffer or ReturnBuffer:
                    break; // writes no scalar variable
                default:
                    zeros.Clear(); // calls may write any adjoint passed by reference
                    break;
            }
            output.Add(result);
        }
        return output;
    }

    /// <summary>A loop body, rewritten with what is zero at the start of every iteration (the state before the loop, less what the body leaves non-zero).</summary>
    private static List<Code> LoopBody(EquatableArray<Code> body, HashSet<string> zeros, bool rewrite)
    {
        var entry = new HashSet<string>(zeros);
        while (true)
        {
            var exit = new HashSet<string>(entry);
            AssignFirstContributions(body, exit, rewrite: false);
            var next = new HashSet<string>(entry.Where(exit.Contains));
            if (next.Count == entry.Count) break;
            entry = next;
        }
        // The loop may run no times, so afterwards only what holds at every iteration's start is known.
        zeros.IntersectWith(entry);
        return AssignFirstContributions(body, new HashSet<string>(entry), rewrite);
    }

    private static void Track(HashSet<string> zeros, string name, Expr value)
    {
        if (IsNumber(value, 0)) zeros.Add(name);
        else zeros.Remove(name);
    }

    /// <summary>Folds <c>t += a</c> into a later <c>t += b</c> on the same element when nothing between reads t's array or changes what a or the index reads.</summary>
    private static List<Code> MergeAccumulations(List<Code> code)
    {
        var output = code.Select(Nested).ToList();
        for (var i = 0; i < output.Count; i++)
        {
            if (output[i] is not Accumulate { Target: ElementRead target } first) continue;
            var reads = new HashSet<string>();
            Collect(first.Value, reads);
            Collect(target.Index, reads);
            for (var j = i + 1; j < output.Count; j++)
            {
                if (output[j] is Accumulate { Target: ElementRead same } second && same.Equals(target))
                {
                    output[j] = new Accumulate(target, Add(first.Value, second.Value));
                    output.RemoveAt(i);
                    i--;
                    break;
                }
                if (!Transparent(output[j], target.Array.Code, reads)) break;
            }
        }
        return output;
    }

    private static Code Nested(Code code) => code switch
    {
        IfCode branch => branch with { Then = MergeAccumulations(branch.Then.ToList()).ToEquatableArray(), Else = MergeAccumulations(branch.Else.ToList()).ToEquatableArray() },
        WhileCode loop => loop with { Body = MergeAccumulations(loop.Body.ToList()).ToEquatableArray() },
        Repeat repeat => repeat with { Body = MergeAccumulations(repeat.Body.ToList()).ToEquatableArray() },
        _ => code,
    };

    /// <summary>Whether an addition to <paramref name="array"/> reading <paramref name="reads"/> may move past this statement.</summary>
    private static bool Transparent(Code code, string array, HashSet<string> reads)
    {
        var used = new HashSet<string>();
        switch (code)
        {
            case Comment or StatementComment:
                return true;
            case Declare declare:
                Collect(declare.Value, used);
                return !reads.Contains(declare.Name) && !used.Contains(array);
            case Set set:
                Collect(set.Value, used);
                return !reads.Contains(set.Name) && !used.Contains(array);
            case Step step:
                return !reads.Contains(step.Name);
            case Accumulate { Target: VarRef variable } accumulate:
                Collect(accumulate.Value, used);
                return !reads.Contains(variable.Name) && !used.Contains(array);
            case Accumulate { Target: ElementRead element } accumulate:
                // Additions commute, even to the same element; one to an array the first reads does not.
                Collect(accumulate.Value, used);
                Collect(element.Index, used);
                return !reads.Contains(element.Array.Code) && !used.Contains(array);
            default:
                return false;
        }
    }

    /// <summary>The variables and arrays (elements, lengths, arrays passed to calls) an expression reads.</summary>
    private static void Collect(Expr e, HashSet<string> names) => names.UnionWith(IrWalker.Uses(e).Select(u => u.Name));
}
