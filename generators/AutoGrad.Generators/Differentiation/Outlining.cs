using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// Moves the body of a large loop of the reverse sweep into a static local function of its generated method, which the
/// loop calls once per iteration. The JIT allocates registers and tracks locals per method: in one large method the
/// reverse sweep's hot loops compete with everything else for registers and keep values in memory, and past about a
/// thousand locals the JIT stops tracking the rest. GMM d10's gradient ran 5-9% faster with its per-point reverse body
/// in a method of its own (a hand-edited copy alternating with the generated one in one process, under load); the forward
/// sweep's loops did not gain (they ran slower outlined), so only the reverse sweep's loops (<see cref="Repeat"/>) move.
/// <para>
/// The function takes what the body reads: arrays, spans, stacks, records and scalars by value. A scalar of the method
/// that the body writes is a local of the function when the body writes it before any read and nothing after the body
/// reads it (a replay's loop counters); otherwise the function copies it in from a <c>ref</c> parameter and back out at
/// its end, so the body's loops work on a local. A <c>ref</c> gradient parameter is passed on and used as it is, since
/// a caller may pass one variable for two of them. A body with code whose values this pass cannot account for (buffers
/// it rents, element references, checkpoint schedules) stays where it is.
/// </para>
/// </summary>
internal static class Outlining
{
    /// <summary>
    /// The statements (at any depth) a loop body needs to be moved: GMM's per-point reverse body has about 80 with its
    /// lane regions; a short body's call would cost more than its registers gain.
    /// </summary>
    private const int MinimumStatements = 40;

    public static EquatableArray<Code> Outline(GradientProgram program, IReadOnlyList<Code> code, NameScope names, bool hasRecordParameter)
    {
        var types = new Dictionary<string, ValueType>();
        foreach (var parameter in program.Parameters)
        {
            types[parameter.Name] = parameter.Shape == ParameterShape.Scalar
                ? new ValueType(parameter.TypeText, parameter.Element)
                : new ValueType(parameter.TypeText, null);
        }
        if (program.ReturnsVoid)
        {
            foreach (var output in program.OutputAdjoints) types[output.Name] = new ValueType(RuntimeNames.ReadOnlySpan(program.Type), null);
        }
        else
        {
            types[program.Seed] = new ValueType(program.Type.Keyword(), program.Type);
        }
        var references = new HashSet<string>();
        foreach (var gradient in program.Gradients)
        {
            if (gradient.Input.Shape == ParameterShape.Scalar)
            {
                types[gradient.Name] = new ValueType(program.Type.Keyword(), program.Type);
                references.Add(gradient.Name);
            }
            else
            {
                types[gradient.Name] = new ValueType(RuntimeNames.Span(program.Type), null);
            }
        }
        if (hasRecordParameter) types[program.Record] = new ValueType(RuntimeNames.ForwardRecord, null);
        CollectTypes(code, types);

        var outliner = new Outliner(types, references, names);
        var rewritten = outliner.Rewrite(code, new HashSet<string>());
        if (outliner.Functions.Count == 0) return code.ToEquatableArray();
        // A declaration does not mention its variable: what is left mentions it, or nothing does.
        var mentioned = new HashSet<string>(UsageOf(rewritten).Mentioned);
        var kept = WithoutUnused(rewritten, mentioned);
        kept.AddRange(outliner.Functions);
        return kept.ToEquatableArray();
    }

    /// <summary>The code without declarations of constants that only the functions' bodies used (they declare their own).</summary>
    private static List<Code> WithoutUnused(IEnumerable<Code> code, HashSet<string> mentioned) => code
        .Where(statement => statement is not Declare { Value: Constant } declare || mentioned.Contains(declare.Name))
        .Select(statement => statement switch
        {
            Repeat repeat => repeat with { Body = WithoutUnused(repeat.Body, mentioned).ToEquatableArray() },
            WhileCode loop => loop with { Body = WithoutUnused(loop.Body, mentioned).ToEquatableArray() },
            IfCode branch => branch with { Then = WithoutUnused(branch.Then, mentioned).ToEquatableArray(), Else = WithoutUnused(branch.Else, mentioned).ToEquatableArray() },
            _ => statement,
        })
        .ToList();

    /// <summary>A name's C# type, and its scalar type where it is a scalar (which the function may copy into a local).</summary>
    private sealed record ValueType(string Text, ScalarType? Scalar);

    /// <summary>The types of the names the code declares, at any depth (generated names are unique in a method).</summary>
    private static void CollectTypes(IEnumerable<Code> code, Dictionary<string, ValueType> types)
    {
        foreach (var statement in code)
        {
            switch (statement)
            {
                case Declare declare: types[declare.Name] = new ValueType(declare.Type.Keyword(), declare.Type); break;
                case DeclareBuffer buffer: types[buffer.Name] = new ValueType(buffer.Element.Keyword() + "[]", null); break;
                case AliasStack alias: types[alias.Name] = new ValueType(RuntimeNames.AdjointStack(alias.Type), null); break;
                case RentRecord record: types[record.Name] = new ValueType(RuntimeNames.ForwardRecord, null); break;
                case DeclareDisjoint check: types[check.Name] = new ValueType(ScalarType.Bool.Keyword(), ScalarType.Bool); break;
                case DeclareWindow window: types[window.Name] = new ValueType(RuntimeNames.Span(window.Window.Element), null); break;
                case Repeat repeat:
                    types[repeat.Counter] = new ValueType(ScalarType.Int.Keyword(), ScalarType.Int);
                    CollectTypes(repeat.Body, types);
                    break;
                case IfCode branch:
                    CollectTypes(branch.Then, types);
                    CollectTypes(branch.Else, types);
                    break;
                case WhileCode loop: CollectTypes(loop.Body, types); break;
                case LaneRegion region: CollectTypes(region.Body, types); break;
                case LaneLoop lanes: CollectTypes(lanes.Body, types); break;
            }
        }
    }

    /// <summary>What a block of code does with names: the order it first mentions them, which it reads, writes and declares.</summary>
    private sealed class Usage
    {
        public List<string> Mentioned { get; } = new();
        public HashSet<string> Written { get; } = new();
        public HashSet<string> Declared { get; } = new();

        /// <summary>Whether every statement is one whose uses of names this class accounts for.</summary>
        public bool Supported { get; set; } = true;

        public int Statements { get; set; }

        public void Mention(string name)
        {
            if (!Mentioned.Contains(name)) Mentioned.Add(name);
        }

        public void Write(string name)
        {
            Mention(name);
            Written.Add(name);
        }

        public void Read(Expr e)
        {
            foreach (var node in IrWalker.Nodes(e))
            {
                switch (node)
                {
                    case RecordValue record: Mention(record.Name); break;
                    case KeepsIterations keeps: Mention(keeps.Stack); break;
                    case SettingsRead settings: Mention(settings.Parameter); break;
                }
            }
            foreach (var use in IrWalker.Uses(e))
            {
                if (use.Array is { IsNamed: false }) continue;
                Mention(use.Name);
            }
        }

        public void Read(ArraySource array)
        {
            if (array.IsNamed) Mention(array.Code);
            if (array.Start is { } start) Read(start);
            if (array.Count is { } count) Read(count);
        }
    }

    /// <summary>Every use of a name in the code, at any depth; code of a kind this does not account for marks the usage unsupported.</summary>
    private static void Collect(IEnumerable<Code> code, Usage usage)
    {
        foreach (var statement in code)
        {
            usage.Statements++;
            switch (statement)
            {
                case Declare declare:
                    usage.Read(declare.Value);
                    usage.Declared.Add(declare.Name);
                    break;
                case Set set:
                    usage.Read(set.Value);
                    usage.Write(set.Name);
                    break;
                case Accumulate accumulate:
                    usage.Read(accumulate.Target);
                    usage.Read(accumulate.Value);
                    if (accumulate.Target is VarRef target) usage.Write(target.Name);
                    break;
                case Step step:
                    usage.Write(step.Name);
                    break;
                case SetElement store:
                    usage.Read(store.Target);
                    usage.Read(store.Value);
                    break;
                case Push push:
                    usage.Mention(push.Stack);
                    usage.Read(push.Value);
                    break;
                case IfCode branch:
                    usage.Read(branch.Condition);
                    Collect(branch.Then, usage);
                    Collect(branch.Else, usage);
                    break;
                case WhileCode loop:
                    usage.Read(loop.Condition);
                    Collect(loop.Body, usage);
                    break;
                case Repeat repeat:
                    usage.Read(repeat.Count);
                    usage.Declared.Add(repeat.Counter);
                    Collect(repeat.Body, usage);
                    break;
                case PullbackCall call:
                    foreach (var argument in call.Arguments)
                    {
                        usage.Read(argument.Value);
                        if (argument.ByRef && argument.Value is VarRef variable) usage.Write(variable.Name);
                    }
                    break;
                case InvokeCode invoke:
                    foreach (var argument in invoke.Arguments)
                    {
                        if (argument.Value is { } value) usage.Read(value);
                        if (argument.Array is { } array) usage.Read(array);
                    }
                    if (invoke.Record is { } record) usage.Mention(record);
                    break;
                case CheckCode check:
                    foreach (var argument in check.Guard.Arguments) usage.Read(argument);
                    break;
                case Comment or StatementComment:
                    break;
                case LaneRegion region:
                    usage.Read(region.Enough);
                    foreach (var name in region.Checked) usage.Mention(name);
                    foreach (var pair in region.Disjoint)
                    {
                        usage.Read(pair.Stored);
                        usage.Read(pair.Other);
                    }
                    Collect(region.Body, usage);
                    break;
                case LaneLoop lanes:
                    usage.Read(lanes.Condition);
                    Collect(lanes.Body, usage);
                    break;
                case DeclareLanes lanes:
                    usage.Read(lanes.Value);
                    usage.Declared.Add(lanes.Name);
                    break;
                case StoreLanes store:
                    usage.Read(store.Array);
                    usage.Read(store.Index);
                    usage.Read(store.Value);
                    break;
                case FoldLanes fold:
                    usage.Read(fold.Lanes);
                    usage.Write(fold.Name);
                    break;
                case OutlinedCall call:
                    foreach (var argument in call.Arguments)
                    {
                        if (argument.ByRef) usage.Write(argument.Name);
                        else usage.Mention(argument.Name);
                    }
                    break;
                case DeclareDisjoint check:
                    foreach (var pair in check.Pairs)
                    {
                        usage.Read(pair.Stored);
                        usage.Read(pair.Other);
                    }
                    usage.Declared.Add(check.Name);
                    break;
                case ClearContents clear:
                    usage.Read(clear.Array);
                    break;
                case SaveContents save:
                    usage.Mention(save.Stack);
                    usage.Read(save.Array);
                    break;
                case RestoreContents restore:
                    usage.Mention(restore.Stack);
                    usage.Read(restore.Array);
                    break;
                case CopyContents copy:
                    usage.Read(copy.From);
                    usage.Read(copy.To);
                    break;
                // Code a moved body may not hold: its names are still mentioned, for what stays in the method.
                case DeclareBuffer buffer:
                    usage.Declared.Add(buffer.Name);
                    usage.Supported = false;
                    break;
                case RentBuffer rent:
                    usage.Read(rent.Length);
                    usage.Write(rent.Name);
                    if (rent.CopyFrom is { } source) usage.Mention(source);
                    usage.Supported = false;
                    break;
                case ReturnBuffer returned:
                    usage.Mention(returned.Name);
                    usage.Supported = false;
                    break;
                case RentRecord rented:
                    usage.Declared.Add(rented.Name);
                    usage.Supported = false;
                    break;
                case ReturnRecord returned:
                    usage.Mention(returned.Name);
                    usage.Supported = false;
                    break;
                case DeclareWindow window:
                    usage.Read(window.Window);
                    usage.Declared.Add(window.Name);
                    usage.Supported = false;
                    break;
                case DeclareElementRef reference:
                    usage.Read(reference.Element);
                    usage.Declared.Add(reference.Name);
                    usage.Supported = false;
                    break;
                case MarkRecord mark:
                    usage.Mention(mark.Record);
                    usage.Declared.Add(mark.Mark);
                    usage.Supported = false;
                    break;
                case RewindRecord rewind:
                    usage.Mention(rewind.Record);
                    usage.Mention(rewind.Mark);
                    usage.Supported = false;
                    break;
                case AliasStack alias:
                    usage.Mention(alias.Record);
                    usage.Declared.Add(alias.Name);
                    usage.Supported = false;
                    break;
                case SaveBuffer save:
                    usage.Mention(save.Record);
                    usage.Mention(save.Buffer);
                    usage.Supported = false;
                    break;
                case RestoreBuffer restore:
                    usage.Mention(restore.Record);
                    usage.Write(restore.Buffer);
                    usage.Supported = false;
                    break;
                case ReturnCode returned:
                    usage.Read(returned.Value);
                    usage.Supported = false;
                    break;
                case RevolveLoop revolve:
                    usage.Read(revolve.Steps);
                    usage.Declared.UnionWith([revolve.Schedule, revolve.Action, revolve.Slot, revolve.Counter]);
                    Collect(revolve.Advance, usage);
                    Collect(revolve.Take, usage);
                    Collect(revolve.Restore, usage);
                    Collect(revolve.ReverseStep, usage);
                    usage.Supported = false;
                    break;
                case TangentCall call:
                    foreach (var argument in call.Arguments)
                    {
                        usage.Read(argument.Value);
                        if (argument.ByRef && argument.Value is VarRef variable) usage.Write(variable.Name);
                    }
                    if (call.Result is { } result) usage.Write(result);
                    if (call.ResultTangent is { } tangent) usage.Write(tangent);
                    usage.Supported = false;
                    break;
                case OutlinedFunction:
                    // A function's body is its own scope: what it needs from the method, its call passes.
                    usage.Supported = false;
                    break;
                default:
                    throw new System.InvalidOperationException("Outlining does not know " + statement.GetType().Name);
            }
        }
    }

    /// <summary>
    /// The names the code may read before it writes them (conservatively: a write in a branch or a loop counts only
    /// inside it), given those <paramref name="assigned"/> already.
    /// </summary>
    private static void ReadBeforeWritten(IEnumerable<Code> code, HashSet<string> assigned, HashSet<string> readFirst)
    {
        void Reads(Usage usage)
        {
            foreach (var name in usage.Mentioned.Where(n => !assigned.Contains(n))) readFirst.Add(name);
        }
        Usage Of(System.Action<Usage> read)
        {
            var usage = new Usage();
            read(usage);
            return usage;
        }
        foreach (var statement in code)
        {
            switch (statement)
            {
                case Set set:
                    Reads(Of(u => u.Read(set.Value)));
                    assigned.Add(set.Name);
                    break;
                case IfCode branch:
                    Reads(Of(u => u.Read(branch.Condition)));
                    var then = new HashSet<string>(assigned);
                    var otherwise = new HashSet<string>(assigned);
                    ReadBeforeWritten(branch.Then, then, readFirst);
                    ReadBeforeWritten(branch.Else, otherwise, readFirst);
                    then.IntersectWith(otherwise);
                    assigned.UnionWith(then);
                    break;
                case WhileCode loop:
                    Reads(Of(u => u.Read(loop.Condition)));
                    ReadBeforeWritten(loop.Body, new HashSet<string>(assigned), readFirst);
                    break;
                case Repeat repeat:
                    Reads(Of(u => u.Read(repeat.Count)));
                    ReadBeforeWritten(repeat.Body, new HashSet<string>(assigned), readFirst);
                    break;
                case LaneRegion region:
                    Reads(Of(u =>
                    {
                        u.Read(region.Enough);
                        foreach (var name in region.Checked) u.Mention(name);
                    }));
                    ReadBeforeWritten(region.Body, new HashSet<string>(assigned), readFirst);
                    break;
                case LaneLoop lanes:
                    Reads(Of(u => u.Read(lanes.Condition)));
                    ReadBeforeWritten(lanes.Body, new HashSet<string>(assigned), readFirst);
                    break;
                default:
                    // Every other statement reads what it mentions (a step or a sum reads its variable before writing it).
                    var usage = new Usage();
                    Collect([statement], usage);
                    foreach (var name in usage.Mentioned.Where(n => !assigned.Contains(n) && !usage.Declared.Contains(n))) readFirst.Add(name);
                    break;
            }
        }
    }

    private static Usage UsageOf(IEnumerable<Code> code)
    {
        var usage = new Usage();
        Collect(code, usage);
        return usage;
    }

    private sealed class Outliner(Dictionary<string, ValueType> types, HashSet<string> references, NameScope names)
    {
        public List<Code> Functions { get; } = new();

        /// <param name="readLater">The names code may read after this block, or before it again in an enclosing loop.</param>
        public List<Code> Rewrite(IReadOnlyList<Code> code, HashSet<string> readLater)
        {
            // What the statements after each one mention, from the last statement back.
            var after = new HashSet<string>[code.Count];
            var mentioned = new HashSet<string>(readLater);
            for (int i = code.Count - 1; i >= 0; i--)
            {
                after[i] = new HashSet<string>(mentioned);
                mentioned.UnionWith(UsageOf([code[i]]).Mentioned);
            }
            var output = new List<Code>();
            for (int i = 0; i < code.Count; i++)
            {
                var later = after[i];
                HashSet<string> InLoop(Code loop)
                {
                    var inLoop = new HashSet<string>(later);
                    inLoop.UnionWith(UsageOf([loop]).Mentioned);
                    return inLoop;
                }
                switch (code[i])
                {
                    case Repeat repeat when Outlined(repeat, later) is { } outlined:
                        output.Add(outlined);
                        break;
                    case Repeat repeat:
                        output.Add(repeat with { Body = Rewrite(repeat.Body, InLoop(repeat)).ToEquatableArray() });
                        break;
                    case WhileCode loop:
                        output.Add(loop with { Body = Rewrite(loop.Body, InLoop(loop)).ToEquatableArray() });
                        break;
                    case IfCode branch:
                        output.Add(branch with { Then = Rewrite(branch.Then, later).ToEquatableArray(), Else = Rewrite(branch.Else, later).ToEquatableArray() });
                        break;
                    default:
                        output.Add(code[i]);
                        break;
                }
            }
            return output;
        }

        /// <summary>The loop with its body after the leading steps of its counters moved into a function, or null where it stays.</summary>
        private Repeat? Outlined(Repeat repeat, HashSet<string> later)
        {
            var steps = repeat.Body.TakeWhile(statement => statement is Step).ToList();
            var body = repeat.Body.Skip(steps.Count).ToList();
            var usage = UsageOf(body);
            if (!usage.Supported || usage.Statements < MinimumStatements) return null;
            var free = usage.Mentioned.Where(name => !usage.Declared.Contains(name)).ToList();
            if (free.Any(name => !types.ContainsKey(name))) return null;

            // What the body's next iteration, the loop's steps and the code after the loop read of what the body writes.
            var readAfter = new HashSet<string>(later);
            readAfter.UnionWith(UsageOf(steps).Mentioned);
            var readFirst = new HashSet<string>();
            ReadBeforeWritten(body, new HashSet<string>(), readFirst);

            var parameters = new List<OutlinedParameter>();
            var arguments = new List<OutlinedArgument>();
            var prologue = new List<Code>();
            var epilogue = new List<Code>();
            foreach (var name in free)
            {
                var type = types[name];
                if (references.Contains(name))
                {
                    parameters.Add(new OutlinedParameter(name, type.Text, ByRef: true));
                    arguments.Add(new OutlinedArgument(name, ByRef: true));
                }
                else if (!usage.Written.Contains(name))
                {
                    parameters.Add(new OutlinedParameter(name, type.Text, ByRef: false));
                    arguments.Add(new OutlinedArgument(name, ByRef: false));
                }
                else if (type.Scalar is not { } scalar)
                {
                    return null;
                }
                else if (readFirst.Contains(name) || readAfter.Contains(name))
                {
                    var outer = names.Named(name + "Outer");
                    parameters.Add(new OutlinedParameter(outer, type.Text, ByRef: true));
                    arguments.Add(new OutlinedArgument(name, ByRef: true));
                    prologue.Add(new Declare(scalar, name, new VarRef(scalar, outer)));
                    epilogue.Add(new Set(outer, new VarRef(scalar, name)));
                }
                else
                {
                    // Written before it is read and read nowhere after: the body's own.
                    prologue.Add(new Declare(scalar, name, new Constant(scalar, "default")));
                }
            }
            var function = names.Named("ReverseIteration");
            Functions.Add(new OutlinedFunction(function, parameters.ToEquatableArray(), prologue.Concat(body).Concat(epilogue).ToEquatableArray()));
            return repeat with { Body = steps.Append(new OutlinedCall(function, arguments.ToEquatableArray())).ToEquatableArray() };
        }
    }
}
