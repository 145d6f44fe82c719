using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Lowering;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// The reverse-mode transform. The forward sweep runs the method as written and saves what the
/// reverse sweep will need: the old value of a variable before it is overwritten (a local slot
/// outside loops, a stack inside them), branch decisions and trip counts. The reverse sweep walks
/// the statements backwards, restores each overwritten variable, recomputes the intermediate
/// values of the statement from the restored state, and accumulates adjoints.
/// </summary>
internal sealed partial class ReverseModeTransform
{
    private readonly ReversePlan _plan;
    private readonly MethodModel _method;
    private readonly Activity _activity;
    private readonly IReadOnlyDictionary<string, VariableInfo> _variables;
    private readonly NameScope _names;
    private readonly Dictionary<string, string> _adjoints = new();
    private readonly List<string> _localAdjoints = new();
    private readonly Dictionary<string, string> _gradientNames = new();
    private readonly Dictionary<string, string> _arrayAdjoints = new();
    private readonly Dictionary<Stmt, string> _slots = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<ScalarType, string> _stacks = new();
    private readonly List<Code> _slotDeclarations = new();
    private readonly string _seed;

    private readonly List<(ScalarType Element, string Name)> _rentedBuffers = new();
    private readonly List<Code> _outputAdjointSetup = new();
    private readonly List<(ScalarType Element, string Name)> _bufferAdjoints = new();

    private readonly bool _split;
    private readonly bool _fuses;
    private readonly bool _jacobianRows;
    private readonly string _record;
    private bool _recordPassedToCallees;

    /// <summary>
    /// What a builder writes: the combined core (which may fuse a loop's two sweeps), the split halves
    /// (which share no locals), or the Jacobian's row path (one forward sweep, then reverse sweeps that
    /// start from the state it left: no fusion, every local available).
    /// </summary>
    private enum Build { Core, Split, JacobianRows }

    /// <summary>A builder of one method body from the plan: its own state is only the code it writes and the names it gives.</summary>
    private ReverseModeTransform(ReversePlan plan, NameScope names, string seed, string record, Build build,
        IEnumerable<GradientParameter> gradients, IEnumerable<GradientParameter> outputAdjoints)
    {
        _plan = plan;
        _method = plan.Method;
        _activity = plan.Activity;
        _variables = plan.Variables;
        _names = names;
        _seed = seed;
        _record = record;
        _split = build == Build.Split;
        _fuses = build == Build.Core;
        _jacobianRows = build == Build.JacobianRows;
        foreach (var loop in plan.Checkpointed.Keys) Slot(loop, "checkpointSteps", ScalarType.Int);
        foreach (var gradient in gradients)
        {
            _gradientNames[gradient.Input.Name] = gradient.Name;
            if (gradient.Input.Shape != ParameterShape.Scalar) _arrayAdjoints[gradient.Input.Name] = gradient.Name;
            // A parameter that is never reassigned accumulates straight into its gradient argument;
            // one that is reassigned needs its own adjoint, which an assignment resets.
            else if (!plan.IsAssigned(gradient.Input.Name)) _adjoints[gradient.Input.Name] = gradient.Name;
        }
        foreach (var output in outputAdjoints)
        {
            if (plan.OutputAdjointOf(output.Input) != OutputAdjoint.Copy)
            {
                _arrayAdjoints[output.Input.Name] = output.Name;
                continue;
            }
            var local = _names.Named(output.Name + "Local");
            _arrayAdjoints[output.Input.Name] = local;
            _outputAdjointSetup.Add(new DeclareBuffer(output.Input.Element, local));
            _outputAdjointSetup.Add(new RentBuffer(output.Input.Element, local, new LengthOf(new ArraySource(output.Input.Name, output.Input.Element, ArrayKind.Output)), output.Name));
            _rentedBuffers.Add((output.Input.Element, local));
        }
        foreach (var buffer in _method.Buffers.Where(b => _activity.IsActive(b.Name)))
        {
            var adjoint = _names.Named("d" + buffer.Name);
            _arrayAdjoints[buffer.Name] = adjoint;
            _bufferAdjoints.Add((buffer.Element, adjoint));
            _rentedBuffers.Add((buffer.Element, adjoint));
        }
    }

    /// <summary>Differentiates a lowered method against the derivative rules the compilation declares.</summary>
    public static (GradientProgram? Program, List<DiagnosticInfo> Diagnostics) Run(LoweredMethod lowered, EquatableArray<RuleInfo> rules)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (lowered.Model is not { } model) return (null, diagnostics);

        model = model with { Body = CallResolver.Resolve(model.Body, rules) };
        var activity = new Activity(model);
        foreach (var site in CallResolver.UnresolvedActiveCalls(model, activity))
        {
            var location = lowered.CallSites.FirstOrDefault(c => c.Site == site.Site)?.Location;
            diagnostics.Add(DerivativeRules.Advice(site.Target) is { } advice
                ? DiagnosticInfo.Create(DiagnosticDescriptors.NoMathDerivative, location, site.Target.DisplayName, advice)
                : DiagnosticInfo.Create(DiagnosticDescriptors.NoDerivative, location, site.Target.DisplayName));
        }
        foreach (var (call, argument, parameter) in CallResolver.StoppedGradients(model, activity))
        {
            var location = lowered.CallSites.FirstOrDefault(c => c.Site == call.Site)?.Location;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GradientStopped, location, ExprPrinter.Print(argument), parameter, call.Target.DisplayName));
        }
        var dependsOnInputs = model.ReturnsVoid
            ? model.Parameters.Any(p => p.Shape == ParameterShape.Output && activity.IsVaried(p.Name))
            : activity.IsVaried(model.ResultVariable);
        if (!dependsOnInputs)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstantResult, lowered.MethodLocation, model.Name));

        var signature = Signature.Of(model);
        if (diagnostics.Any(d => d.IsError))
            return (Failed(model, "it calls a method that has no derivative (see AG0012 or AG0018)"), diagnostics);

        // The split halves never checkpoint; a method that opts in gets a second plan, with checkpoints, for its combined core.
        var plan = new ReversePlan(model, activity, checkpoints: false);
        var corePlan = model.CheckpointSnapshots > 0 ? new ReversePlan(model, activity, checkpoints: true) : plan;
        // Each build names its own temporaries; the three method bodies share only the signature's names.
        ReverseModeTransform Transform(ReversePlan planned, Build build, NameScope? names = null) =>
            new(planned, names ?? signature.Names.Copy(), signature.Seed, signature.Record, build, signature.Gradients, signature.OutputAdjoints);
        var split = Transform(plan, Build.Split);
        var (forward, reverse) = split.BuildSplit();
        var combined = Transform(corePlan, Build.Core);
        var core = combined.BuildCore();
        diagnostics.AddRange(corePlan.CheckpointDiagnostics(lowered));
        if (model.CheckpointSnapshots < 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotCheckpointed, lowered.MethodLocation, $"to '{model.Name}': CheckpointSnapshots is {model.CheckpointSnapshots}, and it must be at least 1"));
        var program = signature.Program(model, core.ToEquatableArray(), forward.ToEquatableArray(), reverse.ToEquatableArray(), null);
        // The Hessian-vector product differentiates the reverse sweep again, saving every iteration (no checkpoints).
        var modes = corePlan.Checkpointed.Count > 0 ? Transform(plan, Build.Core) : combined;
        var modesCore = ReferenceEquals(modes, combined) ? core : modes.BuildCore();
        program = Tangents.ModeBuilder.Build(program, plan, lowered.CallSites, lowered.MethodLocation, modesCore, modes._names, signature.Names, diagnostics);
        if (program is { Failure: null, Jacobian: { Failure: null } jacobian })
        {
            // The Jacobian's row path names its parameters after the Jacobians; its own names clash with none of them.
            var names = signature.Names.Copy();
            foreach (var j in jacobian.Jacobians) names.Named(j.Name);
            var seeds = new[] { signature.OutputAdjoints.Single().Name, names.Named("t" + signature.OutputAdjoints.Single().Name) };
            var strides = jacobian.Jacobians.Select(j => names.Named(j.Name + "Stride")).ToList();
            var offsets = jacobian.Jacobians.Select(j => names.Named(j.Name + "Offset")).ToList();
            var rows = Transform(plan, Build.JacobianRows, names).BuildJacobianRows(jacobian, seeds[0], seeds[1], strides, offsets);
            program = program with
            {
                Jacobian = jacobian with
                {
                    Rows = rows?.ToEquatableArray(), RowSeeds = seeds.ToEquatableArray(),
                    RowStrides = strides.ToEquatableArray(), RowOffsets = offsets.ToEquatableArray(),
                },
            };
        }
        // Last, on the final code of the reverse-mode methods: the modes above differentiate the scalar core.
        if (program.Failure is null)
        {
            program = program with
            {
                CoreBody = SweepLaneLoops.Vectorize(program.CoreBody, combined._names),
                ForwardBody = SweepLaneLoops.Vectorize(program.ForwardBody, split._names),
                ReverseBody = SweepLaneLoops.Vectorize(program.ReverseBody, split._names),
            };
            // A kernel-safe pullback stays one method for ILGPU.
            if (!Emit.KernelSafety.IsKernelSafe(program))
            {
                program = program with
                {
                    CoreBody = Outlining.Outline(program, program.CoreBody, combined._names, hasRecordParameter: false),
                    ReverseBody = Outlining.Outline(program, program.ReverseBody, split._names, hasRecordParameter: true),
                };
            }
        }
        return (program, diagnostics);
    }

    /// <summary>A program whose generated methods throw, so callers still compile while an error is reported.</summary>
    public static GradientProgram Failed(MethodModel model, string why)
    {
        var signature = Signature.Of(model);
        var program = signature.Program(model, EquatableArray<Code>.Empty, EquatableArray<Code>.Empty, EquatableArray<Code>.Empty, why);
        return Tangents.ModeBuilder.Failed(program, model, signature.Names, why);
    }

    /// <summary>The names NameGradient and NamePullback give their generated parameters.</summary>
    public static Signature SignatureNames(MethodModel model) => Signature.Of(model);

    /// <summary>The names of the generated methods' parameters, chosen to clash with none of the user's.</summary>
    internal sealed record Signature(NameScope Names, List<GradientParameter> Gradients, List<GradientParameter> OutputAdjoints, string Seed, string Record)
    {
        public static Signature Of(MethodModel model)
        {
            var names = new NameScope(model.Variables.Select(v => v.Name).Concat(model.Parameters.Select(p => p.Name)).Concat(model.Buffers.Select(b => b.Name)));
            var gradients = model.Parameters.Where(p => p.Differentiable).Select(p => new GradientParameter(names.Named("d" + p.Name), p)).ToList();
            var outputs = model.Parameters.Where(p => p.Shape == ParameterShape.Output).Select(p => new GradientParameter(names.Named("d" + p.Name), p)).ToList();
            return new Signature(names, gradients, outputs, names.Named("seed"), names.Named("record"));
        }

        public GradientProgram Program(MethodModel model, EquatableArray<Code> core, EquatableArray<Code> forward, EquatableArray<Code> reverse, string? failure) =>
            new(model.Namespace, model.ContainingTypes, model.Name, model.Accessibility, model.ReturnType, model.Parameters,
                Gradients.ToEquatableArray(), OutputAdjoints.ToEquatableArray(), model.ReturnsVoid, Seed, Record,
                GeneratedNames.Core(model.Name), core, forward, reverse, failure);
    }

    /// <summary>The body of NameValueAndPullback: forward and reverse sweep in one method, state in locals and a pooled record.</summary>
    private List<Code> BuildCore()
    {
        List<Code> forward, reverse;
        if (_plan.Fused is { } fused)
        {
            var statements = _method.Body.Statements;
            var before = new Block(statements.Take(fused.Index).ToEquatableArray());
            var after = new Block(statements.Skip(fused.Index + 1).ToEquatableArray());
            forward = Forward(before, depth: 0, Sweep.Recording);
            if (after.Statements.Count > 0)
            {
                forward.Add(new Comment("The statements after the loop, reversed first: the loop's reverse half needs their adjoints."));
                forward.AddRange(Reverse(after, depth: 0, Sweep.Recording));
            }
            forward.AddRange(FusedLoopCode(fused));
            forward.AddRange(Forward(after, depth: 0, Sweep.Recording));
            reverse = Reverse(before, depth: 0, Sweep.Recording);
        }
        else
        {
            forward = Forward(_method.Body, depth: 0, Sweep.Recording);
            reverse = Reverse(_method.Body, depth: 0, Sweep.Recording);
        }

        var body = Declarations(withAdjoints: true);
        body.AddRange(_slotDeclarations);
        body.AddRange(_replaySlotDeclarations);
        // Straight-line code and loops whose values are all recomputed save nothing: no record to rent.
        var usesRecord = _stacks.Count > 0 || _recordPassedToCallees;
        if (usesRecord) body.Add(new RentRecord(_record));
        body.AddRange(StackAliases());
        body.AddRange(ReplayRecordStart());
        body.Add(new Comment("Forward sweep: the method as written, saving what the reverse sweep needs."));
        body.AddRange(forward);
        body.AddRange(ReversePrologue());
        body.Add(new Comment("Reverse sweep: statements in reverse order, accumulating adjoints."));
        body.AddRange(reverse);
        body.AddRange(ReverseEpilogue());
        body.AddRange(ReplayRecordEnd());
        if (usesRecord) body.Add(new ReturnRecord(_record));
        foreach (var buffer in _method.Buffers) body.Add(new ReturnBuffer(buffer.Element, buffer.Name));
        if (!_method.ReturnsVoid) body.Add(new ReturnCode(new VarRef(_method.ReturnType, _method.ResultVariable)));
        return Peephole.Optimize(body, _names);
    }

    /// <summary>
    /// The bodies of NameForward and NameReverse: the same sweeps split in two, with all state
    /// (including the final values of what the reverse sweep reads, and the local buffers)
    /// passed through the caller's record.
    /// </summary>
    private (List<Code> Forward, List<Code> Reverse) BuildSplit()
    {
        // Depth 1: nothing is kept in locals, since the two halves share no locals.
        var forwardSweep = Forward(_method.Body, depth: 1, Sweep.Recording);
        // Slots made from here on belong to the reverse half: the trip counters of the loops its replays run.
        var forwardSlots = _slotDeclarations.Count;
        var reverseSweep = Reverse(_method.Body, depth: 1, Sweep.Recording);
        // Parameters arrive again in the reverse call; only those the body reassigns must be carried.
        // A counted loop's counter is set again by the reverse sweep before each replay.
        var counters = new HashSet<string>(_plan.CountedLoops.Values.Select(c => c.Counter).Where(_plan.IsNeeded));
        var carried = _method.Variables.Where(v => _plan.IsNeeded(v.Name) && !counters.Contains(v.Name) && (v.Kind != VariableKind.Parameter || _plan.IsAssigned(v.Name))).ToList();
        foreach (var variable in carried) MainStack(variable.Type); // alias every stack before the bodies use them

        var forward = Declarations(withAdjoints: false);
        forward.AddRange(_slotDeclarations.Take(forwardSlots)); // trip counters, pushed after their loops
        forward.AddRange(StackAliases());
        forward.AddRange(forwardSweep);
        foreach (var variable in carried) forward.Add(new Push(MainStack(variable.Type), new VarRef(variable.Type, variable.Name)));
        foreach (var buffer in _method.Buffers) forward.Add(new SaveBuffer(_record, buffer.Name));
        if (!_method.ReturnsVoid) forward.Add(new ReturnCode(new VarRef(_method.ReturnType, _method.ResultVariable)));

        var reverse = Declarations(withAdjoints: true, only: new HashSet<string>(carried.Select(v => v.Name).Concat(counters)));
        reverse.AddRange(_slotDeclarations.Skip(forwardSlots));
        reverse.AddRange(_replaySlotDeclarations);
        reverse.AddRange(StackAliases());
        reverse.AddRange(ReplayRecordStart());
        foreach (var buffer in Enumerable.Reverse(_method.Buffers)) reverse.Add(new RestoreBuffer(_record, buffer.Element, buffer.Name));
        for (var i = carried.Count - 1; i >= 0; i--) reverse.Add(new Set(carried[i].Name, new Pop(carried[i].Type, MainStack(carried[i].Type))));
        reverse.AddRange(ReversePrologue());
        reverse.AddRange(reverseSweep);
        reverse.AddRange(ReverseEpilogue());
        reverse.AddRange(ReplayRecordEnd());
        foreach (var buffer in _method.Buffers) reverse.Add(new ReturnBuffer(buffer.Element, buffer.Name));
        return (forward, Peephole.Optimize(reverse, _names));
    }

    private List<Code> Declarations(bool withAdjoints, HashSet<string>? only = null)
    {
        var body = new List<Code>();
        foreach (var variable in _method.Variables.Where(v => v.Kind != VariableKind.Parameter && (only is null || only.Contains(v.Name))))
            body.Add(new Declare(variable.Type, variable.Name, Default(variable.Type)));
        if (withAdjoints)
        {
            foreach (var variable in _localAdjoints)
                body.Add(new Declare(_variables[variable].Type, _adjoints[variable], Number(_variables[variable].Type, 0)));
        }
        foreach (var buffer in _method.Buffers) body.Add(new DeclareBuffer(buffer.Element, buffer.Name));
        if (withAdjoints)
        {
            foreach (var adjoint in _bufferAdjoints) body.Add(new DeclareBuffer(adjoint.Element, adjoint.Name));
            body.AddRange(_outputAdjointSetup);
        }
        return body;
    }

    private IEnumerable<Code> StackAliases() =>
        _stacks.Select(stack => (Code)new AliasStack(stack.Value, _record, stack.Key));

    /// <summary>Adjoints of local buffers, sized like the buffers the forward sweep allocated.</summary>
    private IEnumerable<Code> ReversePrologue() =>
        _method.Buffers.Where(b => _arrayAdjoints.ContainsKey(b.Name)).Select(b =>
            (Code)new RentBuffer(b.Element, _arrayAdjoints[b.Name], new LengthOf(new ArraySource(b.Name, b.Element, ArrayKind.Buffer))));

    private IEnumerable<Code> ReverseEpilogue()
    {
        foreach (var gradient in _method.Parameters.Where(p => p.Differentiable && p.Shape == ParameterShape.Scalar && _localAdjoints.Contains(p.Name)))
            yield return new Accumulate(new VarRef(gradient.Element, _gradientNames[gradient.Name]), new VarRef(gradient.Element, _adjoints[gradient.Name]));
        foreach (var (element, name) in _rentedBuffers) yield return new ReturnBuffer(element, name);
    }

    /// <summary>The adjoint variable of an active variable; locals get theirs on first use.</summary>
    private string Adjoint(string variable)
    {
        if (!_adjoints.TryGetValue(variable, out var name))
        {
            name = _names.Named("d" + variable);
            _adjoints[variable] = name;
            _localAdjoints.Add(variable);
        }
        return name;
    }

    /// <summary>The stack saves of this type go to: the record's, or the replay record's while generating a replayed loop's iteration.</summary>
    private string Stack(ScalarType type, Sweep sweep) => sweep.Replaying ? ReplayStack(type) : MainStack(type);

    private string MainStack(ScalarType type)
    {
        if (!_stacks.TryGetValue(type, out var name))
        {
            name = _names.Named(type.Keyword() + "Stack");
            _stacks[type] = name;
        }
        return name;
    }

    private string Slot(Stmt statement, string baseName, ScalarType type)
    {
        if (!_slots.TryGetValue(statement, out var name))
        {
            name = _names.Named(baseName);
            _slots[statement] = name;
            _slotDeclarations.Add(new Declare(type, name, Default(type)));
        }
        return name;
    }
}
