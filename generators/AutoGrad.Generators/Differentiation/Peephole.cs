using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// Two clean-ups of generated code that the JIT cannot do itself, because floating-point
/// addition is not exact: <c>v += e</c> on a variable known to hold zero becomes <c>v = e</c>
/// (an adjoint's first contribution), and two additions to the same gradient element with
/// nothing reading the gradient in between become one (<c>dx[i] += a; ...; dx[i] += b</c>).
/// </summary>
internal static class Peephole
{
    public static List<Code> Optimize(List<Code> code)
    {
        var zeros = new HashSet<string>();
        return MergeAccumulations(AssignFirstContributions(code, zeros, rewrite: true));
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
