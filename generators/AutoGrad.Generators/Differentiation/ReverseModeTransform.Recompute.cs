using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>Loop-local values recomputed in the reverse sweep instead of saved, by variable.</summary>
    private readonly HashSet<string> _recomputed = new();

    /// <summary>Per loop body: where in its reverse the recomputations go (before reversing statement Position - 1), in definition order.</summary>
    private readonly Dictionary<Block, (int Position, List<Assign> Definitions)> _recomputeAt = new(ReferenceComparer<Block>.Instance);

    /// <summary>
    /// Finds values a loop body defines once, from operands that do not change before the end of
    /// the iteration (but for trailing counter steps, which the reverse sweep undoes first). The
    /// reverse sweep recomputes such a value at the start of each replayed iteration instead of
    /// saving and restoring it, which costs a push and a pop per iteration.
    /// </summary>
    private void FindRecomputableValues()
    {
        var definitions = new Dictionary<string, int>();
        VisitStatements(_method.Body, statement =>
        {
            if (statement is Assign assign) definitions[assign.Target] = definitions.TryGetValue(assign.Target, out var n) ? n + 1 : 1;
            if (statement is Increment increment) definitions[increment.Target] = 2;
        });
        VisitStatements(_method.Body, statement =>
        {
            if (statement is While loop) FindRecomputable(loop.Body, definitions);
        });
        foreach (var definitions2 in _recomputeAt.Values)
            foreach (var definition in definitions2.Definitions) CollectVariables(definition.Value, _needed);
    }

    private void FindRecomputable(Block body, Dictionary<string, int> definitions)
    {
        var statements = body.Statements;
        var candidates = new List<(int Index, Assign Definition, int Resume)>();
        for (var d = 0; d < statements.Count; d++)
        {
            if (statements[d] is not Assign { IsDeclaration: true } definition || definitions[definition.Target] != 1) continue;
            if (!_needed.Contains(definition.Target) || ContainsCall(definition.Value)) continue;
            if (Enumerable.Range(0, d).Any(i => Reads(statements[i], definition.Target))) continue;
            var operands = new HashSet<string>();
            CollectOperands(definition.Value, operands);
            var resume = statements.Count;
            for (var t = d + 1; t < statements.Count; t++)
            {
                var written = new HashSet<string>();
                CollectAssigned(new Block(EquatableArray.Of(statements[t])), written);
                if (written.Overlaps(operands)) { resume = t; break; }
            }
            if (Enumerable.Range(resume, statements.Count - resume).All(i => OnlySteps(statements[i])))
                candidates.Add((d, definition, resume));
        }
        // All recomputations happen at one point, which no reader of them may follow.
        while (candidates.Count > 0)
        {
            var position = candidates.Min(c => c.Resume);
            var kept = candidates.Where(c => !Enumerable.Range(position, statements.Count - position).Any(i => Reads(statements[i], c.Definition.Target))).ToList();
            if (kept.Count == candidates.Count)
            {
                foreach (var candidate in candidates) _recomputed.Add(candidate.Definition.Target);
                _recomputeAt[body] = (position, candidates.Select(c => c.Definition).ToList());
                return;
            }
            candidates = kept;
        }
    }

    private static bool OnlySteps(Stmt statement) => statement switch
    {
        Increment => true,
        If branch => branch.Then.Statements.All(OnlySteps) && branch.Else.Statements.All(OnlySteps),
        _ => false,
    };

    private static bool ContainsCall(Expr e)
    {
        var found = false;
        IrRewriter.Visit(e, node => found |= node is Call);
        return found;
    }

    /// <summary>Variables and written arrays an expression reads.</summary>
    private static void CollectOperands(Expr e, HashSet<string> names)
    {
        CollectVariables(e, names);
        IrRewriter.Visit(e, node =>
        {
            if (node is ElementRead { Array.Kind: ArrayKind.Buffer or ArrayKind.Output } read) names.Add(read.Array.Code);
        });
    }

    /// <summary>Whether a statement (or anything nested in it) reads the variable.</summary>
    private static bool Reads(Stmt statement, string variable)
    {
        var names = new HashSet<string>();
        switch (statement)
        {
            case Assign assign: CollectVariables(assign.Value, names); break;
            case Store store: CollectVariables(store.Index, names); CollectVariables(store.Value, names); break;
            case Invoke invoke:
                foreach (var a in invoke.Arguments)
                {
                    if (a.Value is not null) CollectVariables(a.Value, names);
                    CollectWindow(a.Array, names);
                }
                break;
            case If branch:
                CollectVariables(branch.Condition, names);
                return names.Contains(variable) || branch.Then.Statements.Any(s => Reads(s, variable)) || branch.Else.Statements.Any(s => Reads(s, variable));
            case While loop:
                CollectVariables(loop.Condition, names);
                return names.Contains(variable) || loop.Body.Statements.Any(s => Reads(s, variable));
        }
        return names.Contains(variable);
    }
}
