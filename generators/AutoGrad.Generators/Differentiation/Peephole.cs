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
                var others = body.Where(s => !(s is Accumulate { Target: ElementRead same } a && same.Equals(target) && !Mentions(a.Value, target.Array.Code)));
                if (LoopEffects.Touches(others, target.Array.Code)) continue;
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
        var pure = !IrWalker.Nodes(e).Any(node => node is Pop or Call);
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

    /// <summary>What a loop body writes (scalars, arrays), and whether it holds code whose effects are not listed here (calls, returns).</summary>
    private sealed class LoopEffects
    {
        public readonly HashSet<string> Scalars = new();
        public readonly HashSet<string> Arrays = new();
        public bool Opaque;

        public void Scan(IEnumerable<Code> code)
        {
            foreach (var statement in code)
            {
                switch (statement)
                {
                    case Declare declare: Scalars.Add(declare.Name); break;
                    case Set set: Scalars.Add(set.Name); break;
                    case Step step: Scalars.Add(step.Name); break;
                    case Accumulate { Target: VarRef variable }: Scalars.Add(variable.Name); break;
                    case Accumulate { Target: ElementRead element }: Arrays.Add(element.Array.Code); break;
                    case SetElement store: Arrays.Add(store.Target.Array.Code); break;
                    case ClearContents clear: Arrays.Add(clear.Array.Code); break;
                    case RestoreContents restore: Arrays.Add(restore.Array.Code); break;
                    case DeclareBuffer buffer: Arrays.Add(buffer.Name); break;
                    case RentBuffer buffer: Arrays.Add(buffer.Name); break;
                    case ReturnBuffer buffer: Arrays.Add(buffer.Name); break;
                    case IfCode branch: Scan(branch.Then); Scan(branch.Else); break;
                    case WhileCode loop: Scan(loop.Body); break;
                    case Repeat repeat: Scalars.Add(repeat.Counter); Scan(repeat.Body); break;
                    case Push or SaveContents or CheckCode or Comment or StatementComment: break; // they only read
                    default: Opaque = true; break; // calls write through references; a return leaves before the sum is added
                }
            }
        }

        /// <summary>Whether any of the code reads or writes the array (or holds code this cannot see into).</summary>
        public static bool Touches(IEnumerable<Code> code, string array)
        {
            var names = new HashSet<string>();
            foreach (var statement in code)
            {
                switch (statement)
                {
                    case Declare declare: Collect(declare.Value, names); break;
                    case Set set: Collect(set.Value, names); break;
                    case Accumulate accumulate: Collect(accumulate.Target, names); Collect(accumulate.Value, names); break;
                    case SetElement store: Collect(store.Target, names); Collect(store.Value, names); break;
                    case Push push: Collect(push.Value, names); break;
                    case CheckCode check: foreach (var argument in check.Guard.Arguments) Collect(argument, names); break;
                    case ClearContents clear: names.Add(clear.Array.Code); break;
                    case SaveContents save: names.Add(save.Array.Code); break;
                    case RestoreContents restore: names.Add(restore.Array.Code); break;
                    case DeclareBuffer buffer: names.Add(buffer.Name); break;
                    case RentBuffer buffer: names.Add(buffer.Name); Collect(buffer.Length, names); if (buffer.CopyFrom is { } from) names.Add(from); break;
                    case ReturnBuffer buffer: names.Add(buffer.Name); break;
                    case IfCode branch:
                        Collect(branch.Condition, names);
                        if (Touches(branch.Then, array) || Touches(branch.Else, array)) return true;
                        break;
                    case WhileCode loop:
                        Collect(loop.Condition, names);
                        if (Touches(loop.Body, array)) return true;
                        break;
                    case Repeat repeat:
                        Collect(repeat.Count, names);
                        if (Touches(repeat.Body, array)) return true;
                        break;
                    case Step or Comment or StatementComment: break;
                    default: return true;
                }
            }
            return names.Contains(array);
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
