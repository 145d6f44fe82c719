using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    private readonly Dictionary<Stmt, IReadOnlyList<(MathCall Value, string Variable)>> _forwardValues = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// The math calls whose value a variable holds for the whole reverse sweep of the statement
    /// (<c>cosTheta = Math.Cos(theta)</c> before <c>sinTheta = Math.Sin(theta)</c>, whose derivative is
    /// <c>Cos(theta)</c>): a derivative that needs one reads the variable instead of calling again.
    /// Only for a build that has the forward sweep's variables (not a split reverse half).
    /// </summary>
    public IReadOnlyList<(MathCall Value, string Variable)> ForwardValuesAt(Stmt statement) =>
        _forwardValues.TryGetValue(statement, out var values) ? values : [];

    /// <summary>
    /// Finds, for every statement, the assignments <c>v = f(operands)</c> whose value <c>v</c> holds
    /// when the reverse sweep reaches it: the one write of a local outside every loop, of operands
    /// that are never written or are such locals themselves, written before the statement. One that
    /// runs before the statement on every path stays put (nothing writes it later); one later in the
    /// same block does too, when the reverse sweep does not restore it and the statement is in no
    /// loop (the combined core reverses its last loop's iterations before what follows has run).
    /// </summary>
    private void FindForwardValues()
    {
        var writes = new Dictionary<string, int>();
        foreach (var statement in IrWalker.Statements(_method.Body).Where(s => s is not (If or While)))
            foreach (var name in IrWalker.Writes(statement))
                writes[name] = writes.TryGetValue(name, out var count) ? count + 1 : 1;
        var parameters = new HashSet<string>(_method.Parameters.Select(p => p.Name));
        bool WrittenOnce(string name) =>
            _variables.TryGetValue(name, out var info) && info.Kind != VariableKind.Parameter && !parameters.Contains(name)
            && name != _method.ResultVariable && writes.TryGetValue(name, out var count) && count == 1;
        // The math call an assignment keeps, when its operands hold the same values wherever the settled ones do.
        MathCall? Kept(Stmt statement, HashSet<string> settled) =>
            statement is Assign { Value: MathCall call } assign && WrittenOnce(assign.Target) && call.Type == _variables[assign.Target].Type
            && IrWalker.Nodes(call).All(n => n is MathCall or VarRef or Constant or Binary or Unary or Cast)
            && IrWalker.Reads(call).All(v => v != assign.Target && settled.Contains(v) || !writes.ContainsKey(v))
                ? call : null;

        void Record(Stmt statement, List<(MathCall, string)> values)
        {
            if (values.Count > 0) _forwardValues[statement] = values;
        }

        // before: values that run before the block on every path; after: later ones, for statements in no loop.
        void Walk(Block block, List<(MathCall, string)> outer, List<(MathCall, string)> outerLater, HashSet<string> settled)
        {
            var before = new List<(MathCall, string)>(outer);
            settled = new HashSet<string>(settled);
            var statements = block.Statements;
            for (var j = 0; j < statements.Count; j++)
            {
                var statement = statements[j];
                if (statement is While loop)
                {
                    // Inside a loop, statements see what came before the loop; nothing in it is settled.
                    Record(statement, before.ToList());
                    foreach (var s in IrWalker.Statements(loop.Body).Concat(IrWalker.Statements(loop.Step))) Record(s, before.ToList());
                    continue;
                }
                var later = outerLater.ToList();
                for (var i = j + 1; i < statements.Count; i++)
                    if (Kept(statements[i], settled) is { } value && !NeedsSave((Assign)statements[i], depth: 0))
                        later.Add((value, ((Assign)statements[i]).Target));
                Record(statement, before.Concat(later).ToList());
                if (statement is If) foreach (var nested in IrWalker.Blocks(statement)) Walk(nested, before, later, settled);
                if (statement is not Assign assign || !WrittenOnce(assign.Target)) continue;
                if (Kept(assign, settled) is { } kept) before.Add((kept, assign.Target));
                settled.Add(assign.Target);
            }
        }
        Walk(_method.Body, [], [], []);
    }
}
