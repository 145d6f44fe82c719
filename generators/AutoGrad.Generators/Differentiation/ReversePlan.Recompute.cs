using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>Loop-local values recomputed in the reverse sweep instead of saved, by variable.</summary>
    private readonly HashSet<string> _recomputed = new();

    /// <summary>Per loop body: where in its reverse the recomputations go (before reversing statement Position - 1), in definition order.</summary>
    private readonly Dictionary<Block, (int Position, IReadOnlyList<Assign> Definitions)> _recomputeAt = new(ReferenceComparer<Block>.Instance);

    /// <summary>
    /// Finds values a loop body defines once, from operands that do not change before the end of
    /// the iteration (but for trailing counter steps, which the reverse sweep undoes first). The
    /// reverse sweep recomputes such a value at the start of each replayed iteration instead of
    /// saving and restoring it, which costs a push and a pop per iteration.
    /// </summary>
    private void FindRecomputableValues()
    {
        var definitions = new Dictionary<string, int>();
        foreach (var statement in IrWalker.Statements(_method.Body))
        {
            if (statement is Assign assign) definitions[assign.Target] = definitions.TryGetValue(assign.Target, out var n) ? n + 1 : 1;
            if (statement is Increment increment) definitions[increment.Target] = 2;
        }
        foreach (var loop in IrWalker.Statements(_method.Body).OfType<While>()) FindRecomputable(loop.Body, definitions);
        foreach (var recomputed in _recomputeAt.Values)
            foreach (var definition in recomputed.Definitions) _needed.UnionWith(IrWalker.Reads(definition.Value));
    }

    private void FindRecomputable(Block body, Dictionary<string, int> definitions)
    {
        var statements = body.Statements;
        var candidates = new List<(int Index, Assign Definition, int Resume)>();
        for (var d = 0; d < statements.Count; d++)
        {
            if (statements[d] is not Assign { IsDeclaration: true } definition || definitions[definition.Target] != 1) continue;
            if (!_needed.Contains(definition.Target) || IrWalker.Nodes(definition.Value).Any(node => node is Call)) continue;
            if (Enumerable.Range(0, d).Any(i => IrWalker.Reads(statements[i], definition.Target))) continue;
            var operands = new HashSet<string>(IrWalker.Reads(definition.Value));
            var resume = statements.Count;
            for (var t = d + 1; t < statements.Count; t++)
            {
                if (IrWalker.Writes(statements[t]).Any(operands.Contains)) { resume = t; break; }
            }
            if (Enumerable.Range(resume, statements.Count - resume).All(i => OnlySteps(statements[i])))
                candidates.Add((d, definition, resume));
        }
        // All recomputations happen at one point, which no reader of them may follow.
        while (candidates.Count > 0)
        {
            var position = candidates.Min(c => c.Resume);
            var kept = candidates.Where(c => !Enumerable.Range(position, statements.Count - position).Any(i => IrWalker.Reads(statements[i], c.Definition.Target))).ToList();
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
}
