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
    /// caller passes), writing the row's gradients into the Jacobians: entry (r, c) of the i-th at
    /// <c>j_i[r * strides[i] + offsets[i] + c]</c>, which serves both of NameJacobian's layouts.
    /// Each reverse sweep starts from the state the forward sweep left: the variables it assigns are
    /// set back from copies taken after the forward sweep (adjoints to zero), the record's stacks are
    /// rewound. That is all the state there is only when the reverse sweep writes no array but
    /// adjoints and takes nothing from a callee's record; otherwise this returns null.
    /// </summary>
    private List<Code>? BuildJacobianRows(JacobianProgram jacobian, string seedName, string tangentSeedName,
        IReadOnlyList<string> strides, IReadOnlyList<string> offsets)
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
        foreach (var slot in _slotDeclarations.Concat(_replaySlotDeclarations).OfType<Declare>()) types[slot.Name] = slot.Type;
        var snapshots = new List<(string Name, ScalarType Type, string Copy)>();
        foreach (var name in AssignedOutside(sweep).Where(n => !zeroed.ContainsKey(n)))
        {
            if (!types.TryGetValue(name, out var type)) return null;
            snapshots.Add((name, type, _names.Named("final" + char.ToUpperInvariant(name[0]) + name.Substring(1))));
        }

        var output = _method.Parameters.Single(p => p.Shape == ParameterShape.Output);
        var element = output.Element;
        var rows = new LengthOf(new ArraySource(output.Name, element, ArrayKind.Output));
        var mark = _names.Named("mark");
        var usesRecord = _stacks.Count > 0;
        // The adjoints' part of a sweep, from zero: each adjoint's first contribution assigns. The adjoint
        // arrays (of the output, of local buffers) are declared in it, where the paired sweep's twins are.
        var adjointArrays = _bufferAdjoints.Select(a => (Code)new DeclareBuffer(a.Element, a.Name)).Concat(_outputAdjointSetup).ToList();
        var adjointSweep = zeroed.Select(a => (Code)new Set(a.Key, Number(a.Value, 0))).Concat(adjointArrays).Concat(sweep).ToList();

        // A row's start: the seed's unit vector and the gradients named after the row's entries of the
        // Jacobians, which the sweep accumulates into.
        IEnumerable<Code> RowStart(Expr row, string seed, IEnumerable<(ParameterInfo Input, string Gradient)> rowGradients)
        {
            yield return new SetElement(new ElementRead(element, new ArraySource(seed, element, ArrayKind.Output), row), Number(element, 1));
            var i = 0;
            foreach (var ((input, gradient), j) in rowGradients.Zip(jacobian.Jacobians, (g, j) => (g, j)))
            {
                var jacobianArray = new ArraySource(j.Name, element, ArrayKind.Output);
                var start = Add(Mul(row, new VarRef(ScalarType.Int, strides[i])), new VarRef(ScalarType.Int, offsets[i]));
                i++;
                if (input.Shape == ParameterShape.Scalar)
                {
                    yield return new DeclareElementRef(gradient, new ElementRead(element, jacobianArray, start));
                    continue;
                }
                var length = new LengthOf(new ArraySource(input.Name, element, ArrayKind.Input));
                var window = jacobianArray with { Start = start, Count = length };
                yield return new DeclareWindow(gradient, window);
                yield return new ClearContents(window, EachElement: true);
            }
        }
        // Rows' starts, then the state the forward sweep left, the sweep, the seeds back to zero, the stacks rewound.
        EquatableArray<Code> Rows(IEnumerable<Code> starts, IEnumerable<Code> sweepCode, params (Expr Row, string Seed)[] seeds)
        {
            var code = starts.Concat(snapshots.Select(v => (Code)new Set(v.Name, new VarRef(v.Type, v.Copy)))).Concat(sweepCode).ToList();
            foreach (var (row, seed) in seeds) code.Add(new SetElement(new ElementRead(element, new ArraySource(seed, element, ArrayKind.Output), row), Number(element, 0)));
            if (usesRecord) code.Add(new RewindRecord(_record, mark));
            return code.ToEquatableArray();
        }

        var rowLoops = new List<Code>();
        Expr Int(int value) => new Constant(ScalarType.Int, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!ContainsCall(sweep))
        {
            // Two rows per sweep: the second row's seed is the tangent of the first's (the sweep is
            // linear in its seed), so what does not depend on the seed is computed once for both.
            var tangentGradients = gradients.Select(g => (g.Input, Gradient: _names.Named("t" + g.Gradient))).ToList();
            var parameters = gradients.Zip(tangentGradients, (g, t) => (g.Gradient, t.Gradient)).ToDictionary(p => p.Item1, p => p.Item2);
            parameters[seedName] = tangentSeedName;
            var pairedSweep = Tangents.TangentTransform.Run(adjointSweep, _names, parameters, [seedName], gradients.Select(g => g.Gradient), resultTangent: null);
            var pairs = _names.Named("pairsLeft");
            var second = Sub(Mul(new VarRef(ScalarType.Int, pairs), Int(2)), Int(1));
            var first = Sub(second, Int(1));
            var starts = RowStart(first, seedName, gradients).Concat(RowStart(second, tangentSeedName, tangentGradients));
            rowLoops.Add(new Repeat(pairs, new Binary(ScalarType.Int, BinaryOp.Divide, rows, Int(2)), Rows(starts, pairedSweep, (first, seedName), (second, tangentSeedName))));
            // An odd last row on its own.
            var last = Sub(rows, Int(1));
            rowLoops.Add(new Repeat(_names.Named("oddRow"), new Binary(ScalarType.Int, BinaryOp.Remainder, rows, Int(2)),
                Rows(RowStart(last, seedName, gradients), adjointSweep, (last, seedName))));
        }
        else
        {
            var counter = _names.Named("rowsLeft");
            var row = Sub(new VarRef(ScalarType.Int, counter), Int(1));
            rowLoops.Add(new Repeat(counter, rows, Rows(RowStart(row, seedName, gradients), adjointSweep, (row, seedName))));
        }

        var body = Declarations(withAdjoints: true).Where(c => !adjointArrays.Contains(c)).ToList();
        body.AddRange(_slotDeclarations);
        body.AddRange(_replaySlotDeclarations);
        if (usesRecord) body.Add(new RentRecord(_record));
        body.AddRange(StackAliases());
        body.Add(new Comment("Forward sweep: the method as written, saving what the reverse sweeps need."));
        body.AddRange(forward);
        foreach (var (name, type, copy) in snapshots) body.Add(new Declare(type, copy, new VarRef(type, name)));
        if (usesRecord) body.Add(new MarkRecord(_record, mark));
        body.Add(new Comment("The reverse sweeps, seeded with the rows' unit vectors (two at once where they can), from the state the forward sweep left."));
        body.AddRange(rowLoops);
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

    private static bool ContainsCall(IEnumerable<Code> code) => code.Any(statement => statement switch
    {
        PullbackCall or TangentCall or InvokeCode => true,
        IfCode branch => ContainsCall(branch.Then) || ContainsCall(branch.Else),
        WhileCode loop => ContainsCall(loop.Body),
        Repeat repeat => ContainsCall(repeat.Body),
        _ => false,
    });
}
