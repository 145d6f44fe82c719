using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// The body of the Jacobian's row path: the forward sweep once, then, for each output row, the
    /// reverse sweep seeded with that row's unit vector (<paramref name="seedName"/>, a zeroed span the
    /// caller passes), writing the row's gradients into the Jacobians.
    /// Each reverse sweep starts from the state the forward sweep left: the variables it assigns are
    /// set back from copies taken after the forward sweep (adjoints to zero), the record's stacks are
    /// rewound. That is all the state there is only when the reverse sweep writes no array but
    /// adjoints and takes nothing from a callee's record; otherwise this returns null.
    /// </summary>
    private List<Code>? BuildJacobianRows(JacobianProgram jacobian, string seedName)
    {
        var forward = Forward(_method.Body, depth: 0, Sweep.Recording);
        var reverse = Reverse(_method.Body, depth: 0, Sweep.Recording);
        if (_replayRecord is not null || _recordPassedToCallees) return null;
        var sweep = new List<Code>();
        sweep.AddRange(ReversePrologue());
        sweep.AddRange(reverse);
        sweep.AddRange(ReverseEpilogue());

        var gradients = _method.Parameters.Where(p => p.Differentiable).Select(p => (Input: p, Gradient: _gradientNames[p.Name])).ToList();
        var writable = new HashSet<string>(_arrayAdjoints.Values);
        if (!RerunsCleanly(sweep, writable)) return null;

        // Adjoints start every sweep at zero; the forward sweep leaves them there.
        var zeroed = _localAdjoints.Select(v => (Name: _adjoints[v], _variables[v].Type))
            .Concat(gradients.Where(g => g.Input.Shape == ParameterShape.Scalar).Select(g => (Name: g.Gradient, Type: g.Input.Element)))
            .ToDictionary(a => a.Name, a => a.Type);
        var types = _method.Variables.ToDictionary(v => v.Name, v => v.Type);
        foreach (var slot in _slotDeclarations.OfType<Declare>()) types[slot.Name] = slot.Type;
        var snapshots = new List<(string Name, ScalarType Type, string Copy)>();
        foreach (var name in AssignedOutside(sweep).Where(n => !zeroed.ContainsKey(n)))
        {
            if (!types.TryGetValue(name, out var type)) return null;
            snapshots.Add((name, type, _names.Named("final" + char.ToUpperInvariant(name[0]) + name.Substring(1))));
        }

        var output = _method.Parameters.Single(p => p.Shape == ParameterShape.Output);
        var element = output.Element;
        var counter = _names.Named("rowsLeft");
        var row = Sub(new VarRef(ScalarType.Int, counter), new Constant(ScalarType.Int, "1"));
        var seedElement = new ElementRead(element, new ArraySource(seedName, element, ArrayKind.Output), row);
        var outputAdjointRents = _outputAdjointSetup.OfType<RentBuffer>().ToList();

        // The gradients are names for the row's entries of the Jacobians, which the sweep accumulates into.
        var rowBody = new List<Code> { new SetElement(seedElement, Number(element, 1)) };
        foreach (var ((input, gradient), j) in gradients.Zip(jacobian.Jacobians, (g, j) => (g, j)))
        {
            var jacobianArray = new ArraySource(j.Name, element, ArrayKind.Output);
            if (input.Shape == ParameterShape.Scalar)
            {
                rowBody.Add(new DeclareElementRef(gradient, new ElementRead(element, jacobianArray, row)));
                continue;
            }
            var length = new LengthOf(new ArraySource(input.Name, element, ArrayKind.Input));
            var window = jacobianArray with { Start = Mul(row, length), Count = length };
            rowBody.Add(new DeclareWindow(gradient, window));
            rowBody.Add(new ClearContents(window));
        }
        foreach (var (name, type, copy) in snapshots) rowBody.Add(new Set(name, new VarRef(type, copy)));
        // Last, so that the clean-up sees them zero: each adjoint's first contribution assigns.
        foreach (var adjoint in zeroed) rowBody.Add(new Set(adjoint.Key, Number(adjoint.Value, 0)));
        rowBody.AddRange(outputAdjointRents);
        rowBody.AddRange(sweep);
        rowBody.Add(new SetElement(seedElement, Number(element, 0)));
        var mark = _names.Named("mark");
        var usesRecord = _stacks.Count > 0;
        if (usesRecord) rowBody.Add(new RewindRecord(_record, mark));

        var body = Declarations(withAdjoints: true).Where(c => !outputAdjointRents.Contains(c)).ToList();
        body.AddRange(_slotDeclarations);
        if (usesRecord) body.Add(new RentRecord(_record));
        body.AddRange(StackAliases());
        body.Add(new Comment("Forward sweep: the method as written, saving what the reverse sweeps need."));
        body.AddRange(forward);
        foreach (var (name, type, copy) in snapshots) body.Add(new Declare(type, copy, new VarRef(type, name)));
        if (usesRecord) body.Add(new MarkRecord(_record, mark));
        body.Add(new Comment("One reverse sweep per row, seeded with the row's unit vector, from the state the forward sweep left."));
        body.Add(new Repeat(counter, new LengthOf(new ArraySource(output.Name, element, ArrayKind.Output)), rowBody.ToEquatableArray()));
        if (usesRecord) body.Add(new ReturnRecord(_record));
        foreach (var buffer in _method.Buffers) body.Add(new ReturnBuffer(buffer.Element, buffer.Name));
        return Peephole.Optimize(body, _names);
    }

    /// <summary>
    /// Whether running a reverse sweep again, from the same variables and record, reads what the first
    /// one read: it writes no array but adjoints (<paramref name="adjoints"/>), pushes nothing, and calls
    /// only pullbacks that recompute their own forward sweep and write no outputs.
    /// </summary>
    private static bool RerunsCleanly(IEnumerable<Code> code, HashSet<string> adjoints) => code.All(statement => statement switch
    {
        Declare or Set or Step or DeclareWindow or DeclareElementRef or DeclareBuffer or RentBuffer or ReturnBuffer or CheckCode or Comment or StatementComment => true,
        Accumulate { Target: ElementRead target } => adjoints.Contains(target.Array.Code),
        Accumulate => true,
        SetElement set => adjoints.Contains(set.Target.Array.Code),
        ClearContents clear => adjoints.Contains(clear.Array.Code),
        CopyContents copy => adjoints.Contains(copy.To.Code),
        IfCode branch => RerunsCleanly(branch.Then, adjoints) && RerunsCleanly(branch.Else, adjoints),
        WhileCode loop => RerunsCleanly(loop.Body, adjoints),
        Repeat repeat => RerunsCleanly(repeat.Body, adjoints),
        PullbackCall call => !call.HasRecord && call.Target.Parameters.All(p => p.Shape != ParameterShape.Output),
        Push or SaveContents or RestoreContents or InvokeCode or TangentCall or RevolveLoop or RentRecord or ReturnRecord or AliasStack
            or SaveBuffer or RestoreBuffer or MarkRecord or RewindRecord or ReturnCode => false,
        _ => throw new System.InvalidOperationException("RerunsCleanly does not know " + statement.GetType().Name),
    });

    /// <summary>The variables a reverse sweep assigns (by reference too) that it does not declare itself, in order of first assignment.</summary>
    private static List<string> AssignedOutside(IEnumerable<Code> code)
    {
        var declared = new HashSet<string>();
        var assigned = new List<string>();
        void Assign(string name)
        {
            if (!declared.Contains(name) && !assigned.Contains(name)) assigned.Add(name);
        }
        void Walk(IEnumerable<Code> statements)
        {
            foreach (var statement in statements)
            {
                switch (statement)
                {
                    case Declare declare: declared.Add(declare.Name); break;
                    case DeclareBuffer buffer: declared.Add(buffer.Name); break;
                    case DeclareWindow window: declared.Add(window.Name); break;
                    case DeclareElementRef reference: declared.Add(reference.Name); break;
                    case Set set: Assign(set.Name); break;
                    case Step step: Assign(step.Name); break;
                    case Accumulate { Target: VarRef variable }: Assign(variable.Name); break;
                    case PullbackCall call:
                        foreach (var argument in call.Arguments.Where(a => a.ByRef && a.Value is VarRef)) Assign(((VarRef)argument.Value).Name);
                        break;
                    case IfCode branch: Walk(branch.Then); Walk(branch.Else); break;
                    case WhileCode loop: Walk(loop.Body); break;
                    case Repeat repeat: declared.Add(repeat.Counter); Walk(repeat.Body); break;
                }
            }
        }
        Walk(code);
        return assigned;
    }
}
