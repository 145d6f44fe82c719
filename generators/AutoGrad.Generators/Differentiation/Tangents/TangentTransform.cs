using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation.Tangents;

/// <summary>
/// Forward mode over generated code: every statement that writes a name with a tangent is
/// preceded by the statement that writes its tangent, computed from the values the statement
/// reads (so <c>x = x * y</c> becomes <c>tx = tx * y + x * ty; x = x * y</c>). Intermediate
/// values both need are computed once, in temporaries. Applied to the method as written it gives
/// NameTangent (a Jacobian-vector product); applied to the combined reverse sweep it gives
/// NameHessianVectorProduct and NamePullbackTangent (forward over reverse), pushing each saved
/// value's tangent beside it; a pullback call there becomes a call of the callee's NamePullbackTangent.
/// Each Math function's derivative comes from <see cref="DerivativeRules"/>, as in reverse mode.
/// </summary>
internal sealed class TangentTransform
{
    /// <summary>The name under which <see cref="CodeFlow"/> sees the returned value, a sink when the result's tangent is wanted.</summary>
    public const string ReturnedValue = "<returned>";

    private readonly NameScope _names;
    private readonly CodeFlow _flow;
    private readonly Dictionary<string, string> _tangents;
    private readonly string? _resultTangent;
    private readonly HashSet<string> _recordsWithTangents = new();

    private TangentTransform(NameScope names, CodeFlow flow, Dictionary<string, string> tangents, string? resultTangent)
    {
        _names = names;
        _flow = flow;
        _tangents = tangents;
        _resultTangent = resultTangent;
    }

    /// <summary>
    /// The tangent code of <paramref name="code"/>. <paramref name="parameters"/> names the tangents
    /// the caller declares (of inputs and of outputs); <paramref name="seeds"/> are the names whose
    /// tangents the caller supplies, <paramref name="sinks"/> those whose tangents it reads
    /// afterwards. When <paramref name="resultTangent"/> is set, each return first writes the
    /// returned value's tangent to it.
    /// </summary>
    public static List<Code> Run(IReadOnlyList<Code> code, NameScope names, IReadOnlyDictionary<string, string> parameters,
        IEnumerable<string> seeds, IEnumerable<string> sinks, string? resultTangent)
    {
        var allSinks = resultTangent is null ? sinks : sinks.Append(ReturnedValue);
        var flow = new CodeFlow(code, seeds, allSinks);
        var transform = new TangentTransform(names, flow, parameters.ToDictionary(p => p.Key, p => p.Value), resultTangent);
        transform.FindRecordsWithTangents(code);
        var output = transform.Statements(code);
        output.InsertRange(0, transform.UndeclaredTangents(code, parameters));
        return Peephole.Optimize(output, names);
    }

    private string TangentOf(string name)
    {
        if (!_tangents.TryGetValue(name, out var tangent))
        {
            tangent = _names.Named("t" + char.ToUpperInvariant(name[0]) + name.Substring(1));
            _tangents[name] = tangent;
        }
        return tangent;
    }

    /// <summary>Records whose stacks carry tangents get a twin record for those tangents.</summary>
    private void FindRecordsWithTangents(IEnumerable<Code> code)
    {
        foreach (var statement in code)
        {
            switch (statement)
            {
                case AliasStack alias when _flow.IsActive(alias.Name): _recordsWithTangents.Add(alias.Record); break;
                case IfCode branch: FindRecordsWithTangents(branch.Then.Concat(branch.Else)); break;
                case WhileCode loop: FindRecordsWithTangents(loop.Body); break;
                case Repeat repeat: FindRecordsWithTangents(repeat.Body); break;
            }
        }
    }

    /// <summary>Active scalars the code writes but never declares (a [NoGradient] parameter it reassigns from an input): their tangents start at zero.</summary>
    private IEnumerable<Code> UndeclaredTangents(IReadOnlyList<Code> code, IReadOnlyDictionary<string, string> parameters)
    {
        var declared = new HashSet<string>(parameters.Keys);
        var written = new Dictionary<string, ScalarType>();
        void Visit(IEnumerable<Code> statements)
        {
            foreach (var statement in statements)
            {
                switch (statement)
                {
                    case Declare declare: declared.Add(declare.Name); break;
                    case Set set when set.Value.Type.IsReal() && !written.ContainsKey(set.Name): written[set.Name] = set.Value.Type; break;
                    case IfCode branch: Visit(branch.Then); Visit(branch.Else); break;
                    case WhileCode loop: Visit(loop.Body); break;
                    case Repeat repeat: Visit(repeat.Body); break;
                }
            }
        }
        Visit(code);
        return written.Where(w => !declared.Contains(w.Key) && _flow.IsActive(w.Key))
            .Select(w => (Code)new Declare(w.Value, TangentOf(w.Key), Number(w.Value, 0)));
    }

    private List<Code> Statements(IEnumerable<Code> code)
    {
        var output = new List<Code>();
        foreach (var statement in code) Statement(statement, output);
        return output;
    }

    private void Statement(Code code, List<Code> output)
    {
        var scope = new Scope(null);
        switch (code)
        {
            case Declare declare when _flow.IsActive(declare.Name):
            {
                var (primal, tangent) = Linearize(declare.Value, output, scope);
                output.Add(new Declare(declare.Type, TangentOf(declare.Name), tangent ?? Number(declare.Type, 0)));
                output.Add(declare with { Value = primal });
                break;
            }
            case Set set when _flow.IsActive(set.Name):
            {
                var (primal, tangent) = Linearize(set.Value, output, scope);
                output.Add(new Set(TangentOf(set.Name), tangent ?? Number(set.Value.Type, 0)));
                output.Add(set with { Value = primal });
                break;
            }
            case Accumulate { Target: VarRef variable } accumulate when _flow.IsActive(variable.Name) && _flow.Depends(accumulate.Value):
            {
                var (primal, tangent) = Linearize(accumulate.Value, output, scope);
                output.Add(new Accumulate(new VarRef(variable.Type, TangentOf(variable.Name)), tangent!));
                output.Add(accumulate with { Value = primal });
                break;
            }
            case Accumulate { Target: ElementRead element } accumulate when _flow.IsActive(element.Array.Code) && _flow.Depends(accumulate.Value):
            {
                var target = element with { Index = Materialize(element.Index, output, scope) };
                var (primal, tangent) = Linearize(accumulate.Value, output, scope);
                output.Add(new Accumulate(TangentElement(target), tangent!));
                output.Add(new Accumulate(target, primal));
                break;
            }
            case SetElement set when _flow.IsActive(set.Target.Array.Code):
            {
                var target = set.Target with { Index = Materialize(set.Target.Index, output, scope) };
                var (primal, tangent) = Linearize(set.Value, output, scope);
                output.Add(new SetElement(TangentElement(target), tangent ?? Number(set.Value.Type, 0)));
                output.Add(new SetElement(target, primal));
                break;
            }
            case Push push when _flow.IsActive(push.Stack):
            {
                var (primal, tangent) = Linearize(push.Value, output, scope);
                output.Add(new Push(TangentOf(push.Stack), tangent ?? Number(push.Value.Type, 0)));
                output.Add(push with { Value = primal });
                break;
            }
            case ReturnCode returned when _resultTangent is not null:
            {
                var (primal, tangent) = Linearize(returned.Value, output, scope);
                output.Add(new Set(_resultTangent, tangent ?? Number(returned.Value.Type, 0)));
                output.Add(new ReturnCode(primal));
                break;
            }
            case DeclareBuffer declare:
                output.Add(declare);
                if (_flow.IsActive(declare.Name)) output.Add(new DeclareBuffer(declare.Element, TangentOf(declare.Name)));
                break;
            case RentBuffer rent:
                output.Add(rent);
                if (_flow.IsActive(rent.Name))
                {
                    var source = rent.CopyFrom is { } copied && _flow.IsActive(copied) ? TangentOf(copied) : null;
                    output.Add(new RentBuffer(rent.Element, TangentOf(rent.Name), rent.Length, source));
                }
                break;
            case ReturnBuffer returned:
                output.Add(returned);
                if (_flow.IsActive(returned.Name)) output.Add(new ReturnBuffer(returned.Element, TangentOf(returned.Name)));
                break;
            case RentRecord rent:
                output.Add(rent);
                if (_recordsWithTangents.Contains(rent.Name)) output.Add(new RentRecord(TangentOf(rent.Name)));
                break;
            case ReturnRecord returned:
                output.Add(returned);
                if (_recordsWithTangents.Contains(returned.Name)) output.Add(new ReturnRecord(TangentOf(returned.Name)));
                break;
            case AliasStack alias:
                output.Add(alias);
                if (_flow.IsActive(alias.Name)) output.Add(new AliasStack(TangentOf(alias.Name), TangentOf(alias.Record), alias.Type));
                break;
            case IfCode branch:
                output.Add(branch with { Then = Statements(branch.Then).ToEquatableArray(), Else = Statements(branch.Else).ToEquatableArray() });
                break;
            case WhileCode loop:
                output.Add(loop with { Body = Statements(loop.Body).ToEquatableArray() });
                break;
            case Repeat repeat:
                output.Add(repeat with { Body = Statements(repeat.Body).ToEquatableArray() });
                break;
            case InvokeCode { Target: { } target } invoke when WritesActiveOutput(target, invoke.Arguments):
                InvokeTangent(target, invoke.Arguments, output, scope);
                // A callee's forward half still runs after its tangent: its reverse half pops what it saves in the record.
                if (invoke.Record is not null) output.Add(invoke);
                break;
            case PullbackCall call when call.Gradients.Any(g => g.Value is VarRef or ArrayValue && _flow.Depends(g.Value)):
                PullbackTangent(call, output, scope);
                break;
            case Declare or Set or Accumulate or SetElement or Push or ReturnCode or Step or Comment or StatementComment or CheckCode or InvokeCode { Target: not null } or PullbackCall:
                output.Add(code); // writes nothing with a tangent
                break;
            case ClearContents clear:
                output.Add(clear);
                if (TangentArray(clear.Array) is { } clearedTangent) output.Add(new ClearContents(clearedTangent));
                break;
            case SaveContents save:
                // A stack with tangents takes a tangent for every value pushed on it: zeros for an array without one.
                if (_flow.IsActive(save.Stack))
                {
                    var afterwards = new List<Code>();
                    output.Add(new SaveContents(TangentOf(save.Stack), TangentArray(save.Array) ?? Scratch("zeros", save.Array, cleared: true, output, afterwards)));
                    output.AddRange(afterwards);
                }
                output.Add(save);
                break;
            case RestoreContents restore:
                output.Add(restore);
                if (_flow.IsActive(restore.Stack))
                {
                    var afterwards = new List<Code>();
                    output.Add(new RestoreContents(TangentOf(restore.Stack), TangentArray(restore.Array) ?? Scratch("scratch", restore.Array, cleared: false, output, afterwards)));
                    output.AddRange(afterwards);
                }
                break;
            case InvokeCode or SaveBuffer or RestoreBuffer:
                throw new InvalidOperationException($"Forward mode does not go through {code.GetType().Name}; the generator should have reported this.");
            default:
                throw new InvalidOperationException("The tangent transform does not know " + code.GetType().Name);
        }
    }

    private ElementRead TangentElement(ElementRead element) =>
        element with { Array = element.Array with { Code = TangentOf(element.Array.Code) } };

    /// <summary>Values computed once in a statement (or a branch of a conditional), by expression.</summary>
    private sealed class Scope(Scope? parent)
    {
        private readonly Dictionary<Expr, Expr> _values = new();

        public Expr? Find(Expr e) => _values.TryGetValue(e, out var value) ? value : parent?.Find(e);

        public void Add(Expr e, Expr value) => _values[e] = value;
    }

    /// <summary>A value read more than once: simple reads in place, anything else once, in a temporary.</summary>
    private Expr Materialize(Expr e, List<Code> output, Scope scope)
    {
        if (IsSimple(e)) return e;
        if (scope.Find(e) is { } known) return known;
        var name = _names.Numbered("u");
        output.Add(new Declare(e.Type, name, e));
        var value = new VarRef(e.Type, name);
        scope.Add(e, value);
        return value;
    }

    private static bool IsSimple(Expr e) => e is Constant or VarRef or LengthOf or StaticRead or SettingsRead or OpaqueConstant or ElementRead { Index: Constant or VarRef };

    /// <summary>
    /// The expression's primal value (reading temporaries written to <paramref name="output"/>)
    /// and its tangent (null when zero). Both read the state before the statement writes anything.
    /// </summary>
    private (Expr Primal, Expr? Tangent) Linearize(Expr e, List<Code> output, Scope scope)
    {
        if (!_flow.Depends(e)) return (e, null);
        switch (e)
        {
            case VarRef variable:
                return (e, new VarRef(variable.Type, TangentOf(variable.Name)));
            case ElementRead read:
                var element = read with { Index = Materialize(read.Index, output, scope) };
                return (element, TangentElement(element));
            case Pop pop:
                return (e, new Pop(pop.Type, TangentOf(pop.Stack)));
            case Unary { Op: UnaryOp.Negate } negate:
            {
                var (primal, tangent) = Linearize(negate.Operand, output, scope);
                return (negate with { Operand = primal }, tangent is null ? null : Neg(tangent));
            }
            case Cast cast:
            {
                var (primal, tangent) = Linearize(cast.Operand, output, scope);
                return (cast with { Operand = primal }, tangent is null ? null : CastTo(cast.Type, tangent));
            }
            case Binary binary:
                return LinearizeBinary(binary, output, scope);
            case Conditional conditional:
                return LinearizeConditional(conditional, output, scope);
            case MathCall math:
                return LinearizeMath(math, output, scope);
            case Call call:
                return LinearizeCall(call, output, scope);
            default:
                throw new InvalidOperationException($"Forward mode does not go through {e.GetType().Name}; the generator should have reported this.");
        }
    }

    private (Expr, Expr?) LinearizeBinary(Binary binary, List<Code> output, Scope scope)
    {
        var (left, leftTangent) = Linearize(binary.Left, output, scope);
        var (right, rightTangent) = Linearize(binary.Right, output, scope);
        switch (binary.Op)
        {
            case BinaryOp.Add:
                return (binary with { Left = left, Right = right }, Sum(leftTangent, rightTangent));
            case BinaryOp.Subtract:
                return (binary with { Left = left, Right = right }, rightTangent is null ? leftTangent : leftTangent is null ? Neg(rightTangent) : Sub(leftTangent, rightTangent));
            case BinaryOp.Multiply when binary.Left.Equals(binary.Right):
            {
                // d(u u) = 2 u du
                var u = Materialize(left, output, scope);
                return (binary with { Left = u, Right = u }, Mul(Mul(Number(binary.Type, 2), u), leftTangent!));
            }
            case BinaryOp.Multiply:
            {
                if (rightTangent is not null) left = Materialize(left, output, scope);
                if (leftTangent is not null) right = Materialize(right, output, scope);
                var tangent = Sum(leftTangent is null ? null : Mul(leftTangent, right), rightTangent is null ? null : Mul(left, rightTangent));
                return (binary with { Left = left, Right = right }, tangent);
            }
            case BinaryOp.Divide:
            {
                var divisor = Materialize(right, output, scope);
                if (rightTangent is null) return (binary with { Left = left, Right = divisor }, Div(leftTangent!, divisor));
                // d(l/r) = (dl - (l/r) dr) / r
                var quotient = Materialize(binary with { Left = left, Right = divisor }, output, scope);
                var numerator = leftTangent is null ? Neg(Mul(quotient, rightTangent)) : Sub(leftTangent, Mul(quotient, rightTangent));
                return (quotient, Div(numerator, divisor));
            }
            case BinaryOp.Remainder:
            {
                if (rightTangent is null) return (binary with { Left = left, Right = right }, leftTangent);
                // l % r = l - r * trunc(l / r)
                left = Materialize(left, output, scope);
                right = Materialize(right, output, scope);
                var quotient = new MathCall(binary.Type, "Truncate", binary.Type == ScalarType.Float, EquatableArray.Of(Div(left, right)));
                var tangent = Sub(leftTangent ?? Number(binary.Type, 0), Mul(rightTangent, quotient));
                return (binary with { Left = left, Right = right }, tangent);
            }
            default:
                return (binary, null); // comparisons and logic: not real-valued
        }
    }

    private static Expr? Sum(Expr? a, Expr? b) => a is null ? b : b is null ? a : Add(a, b);

    /// <summary>
    /// <c>c ? a : b</c> evaluates one branch: its temporaries go inside an if, which writes the
    /// primal and the tangent of the chosen branch.
    /// </summary>
    private (Expr, Expr?) LinearizeConditional(Conditional conditional, List<Code> output, Scope scope)
    {
        var whenTrue = new List<Code>();
        var whenFalse = new List<Code>();
        var (truePrimal, trueTangent) = Linearize(conditional.WhenTrue, whenTrue, new Scope(scope));
        var (falsePrimal, falseTangent) = Linearize(conditional.WhenFalse, whenFalse, new Scope(scope));
        var type = conditional.Type;
        var primal = _names.Numbered("u");
        var tangent = TangentOf(primal);
        output.Add(new Declare(type, primal, Number(type, 0)));
        output.Add(new Declare(type, tangent, Number(type, 0)));
        whenTrue.Add(new Set(primal, truePrimal));
        whenTrue.Add(new Set(tangent, trueTangent ?? Number(type, 0)));
        whenFalse.Add(new Set(primal, falsePrimal));
        whenFalse.Add(new Set(tangent, falseTangent ?? Number(type, 0)));
        output.Add(new IfCode(conditional.Condition, whenTrue.ToEquatableArray(), whenFalse.ToEquatableArray()));
        return (new VarRef(type, primal), new VarRef(type, tangent));
    }

    /// <summary>d f(u, v, ...) = sum of f's partials (from the rule table) times du, dv, ...</summary>
    private (Expr, Expr?) LinearizeMath(MathCall math, List<Code> output, Scope scope)
    {
        var arguments = new Expr[math.Arguments.Count];
        var tangents = new Expr?[math.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var (primal, tangent) = Linearize(math.Arguments[i], output, scope);
            arguments[i] = Materialize(primal, output, scope);
            tangents[i] = tangent;
        }
        var call = math with { Arguments = arguments.ToEquatableArray() };
        Expr? result = null;
        Expr Result() => result ??= Materialize(call, output, scope);
        Expr? sum = null;
        for (var i = 0; i < arguments.Length; i++)
        {
            if (tangents[i] is not { } tangent) continue;
            var partial = DerivativeRules.Partial(math, a => arguments[a], Result, i);
            sum = Sum(sum, Mul(partial, tangent));
        }
        return (result ?? call, sum);
    }

    /// <summary>A call argument as the primal call reads it, with its tangent: a scalar's (null when zero) or an array's (null when it has none).</summary>
    private sealed record CallInput(ParameterSignature Parameter, Argument Primal, Expr? Tangent, ArraySource? TangentArray)
    {
        public CallArgument Value => new(Primal.Array is { } array ? new ArrayValue(array) : Primal.Value!, ByRef: false);
    }

    private List<CallInput> CallInputs(CallTarget target, EquatableArray<Argument> arguments, List<Code> output, Scope scope)
    {
        var inputs = new List<CallInput>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var parameter = target.Parameters[i];
            if (arguments[i].Array is { } array)
            {
                inputs.Add(new CallInput(parameter, arguments[i], null, TangentArray(array)));
                continue;
            }
            var (primal, tangent) = Linearize(arguments[i].Value!, output, scope);
            inputs.Add(new CallInput(parameter, new Argument(Materialize(primal, output, scope), null), parameter.Differentiable ? tangent : null, null));
        }
        return inputs;
    }

    /// <summary>An array's tangent, null when it has none. A window's tangent is the same window of the array's tangent (of the same kind, so a read-only one stays read-only).</summary>
    private ArraySource? TangentArray(ArraySource array) => array.IsNamed && _flow.IsActive(array.Code) ? array with { Code = TangentOf(array.Code) } : null;

    private static bool WritesActiveOutput(CallTarget target, EquatableArray<Argument> arguments, CodeFlow flow) =>
        arguments.Where((a, i) => target.Parameters[i].Shape == ParameterShape.Output).Any(a => a.Array is { IsNamed: true } o && flow.IsActive(o.Code));

    private bool WritesActiveOutput(CallTarget target, EquatableArray<Argument> arguments) => WritesActiveOutput(target, arguments, _flow);

    /// <summary>A pooled buffer as long as <paramref name="array"/>, handed back after the call (zeroed when <paramref name="cleared"/>).</summary>
    private ArraySource Scratch(string prefix, ArraySource array, bool cleared, List<Code> output, List<Code> afterwards)
    {
        var name = _names.Numbered(prefix);
        output.Add(new DeclareBuffer(array.Element, name));
        output.Add(new RentBuffer(array.Element, name, new LengthOf(array), Cleared: cleared));
        afterwards.Add(new ReturnBuffer(array.Element, name));
        return ArraySource.Buffer(name, array.Element);
    }

    /// <summary>The direction arguments of a callee's NameTangent: one per differentiable parameter, zero where the argument has no tangent.</summary>
    private IEnumerable<CallArgument> Directions(List<CallInput> inputs, List<Code> output, List<Code> afterwards)
    {
        foreach (var input in inputs.Where(i => i.Parameter.Differentiable))
        {
            var direction = input.Primal.Array is { } array
                ? new ArrayValue(input.TangentArray ?? Scratch("zeros", array, cleared: true, output, afterwards))
                : input.Tangent ?? Number(input.Parameter.Element, 0);
            yield return new CallArgument(direction, ByRef: false);
        }
    }

    /// <summary>
    /// The tangent of a call with a scalar result. A callee with a NameTangent of its own gives it
    /// directly. Otherwise the tangent is the callee's gradient along the arguments' tangents,
    /// sum of dF/dx_i t_i, the gradient from one call of its pullback (generated, or the user's
    /// [DerivativeOf] rule) at seed 1: right for any scalar callee, in this assembly or another.
    /// </summary>
    private (Expr, Expr?) LinearizeCall(Call call, List<Code> output, Scope scope)
    {
        var target = call.Target;
        var inputs = CallInputs(target, call.Arguments, output, scope);
        var afterwards = new List<Code>();
        var arguments = inputs.Select(i => i.Value).ToList();
        if (target.Tangent is { } tangentMethod)
        {
            arguments.AddRange(Directions(inputs, output, afterwards));
            var result = _names.Numbered("u");
            var resultTangent = TangentOf(result);
            output.Add(new Declare(call.Type, result, Number(call.Type, 0)));
            output.Add(new Declare(call.Type, resultTangent, Number(call.Type, 0)));
            output.Add(new TangentCall(tangentMethod, arguments.ToEquatableArray(), result, resultTangent));
            output.AddRange(afterwards);
            return (new VarRef(call.Type, result), new VarRef(call.Type, resultTangent));
        }
        if (target.Pullback is null)
            throw new InvalidOperationException($"Forward mode reached the call to {target.DisplayName}, which has no derivative; the generator should have reported this.");

        var value = Materialize(call with { Arguments = inputs.Select(i => i.Primal).ToEquatableArray() }, output, scope);
        arguments.Add(new CallArgument(Number(call.Type, 1), ByRef: false));
        Expr? sum = null;
        foreach (var input in inputs.Where(i => i.Parameter.Differentiable))
        {
            if (input.Primal.Array is { } array)
            {
                if (input.TangentArray is { } tangent)
                {
                    var gradient = Scratch("gradient", array, cleared: true, output, afterwards); // the pullback accumulates into it
                    arguments.Add(new CallArgument(new ArrayValue(gradient), ByRef: false));
                    sum = Sum(sum, new Dot(call.Type, gradient, tangent));
                }
                else
                {
                    // Nobody needs this gradient: a rule skips an empty span; a generated pullback wants somewhere to accumulate.
                    arguments.Add(new CallArgument(target.Kind == CallKind.Rule ? new NoArray(array.Element) : new ArrayValue(Scratch("scratch", array, cleared: false, output, afterwards)), ByRef: false));
                }
                continue;
            }
            var adjoint = new VarRef(input.Parameter.Element, _names.Numbered("d" + input.Parameter.Name + "_"));
            output.Add(new Declare(adjoint.Type, adjoint.Name, Number(adjoint.Type, 0)));
            arguments.Add(new CallArgument(adjoint, ByRef: true));
            if (input.Tangent is { } scalarTangent) sum = Sum(sum, Mul(adjoint, scalarTangent));
        }
        output.Add(new PullbackCall(target.Pullback, arguments.ToEquatableArray(), target));
        if (sum is null)
        {
            output.AddRange(afterwards);
            return (value, null);
        }
        var tangentName = _names.Numbered("tCall");
        output.Add(new Declare(call.Type, tangentName, sum));
        output.AddRange(afterwards);
        return (value, new VarRef(call.Type, tangentName));
    }

    /// <summary>
    /// A call statement whose outputs carry tangents: the callee's NameTangent runs it and writes the
    /// outputs' tangents (the same windows of the caller's tangents; a scratch buffer for an output without one).
    /// </summary>
    private void InvokeTangent(CallTarget target, EquatableArray<Argument> callArguments, List<Code> output, Scope scope)
    {
        if (target.Tangent is not { } tangentMethod)
            throw new InvalidOperationException($"Forward mode reached the call to {target.DisplayName}, which has no NameTangent; the generator should have reported this.");
        var inputs = CallInputs(target, callArguments, output, scope);
        var afterwards = new List<Code>();
        var arguments = inputs.Select(i => i.Value).ToList();
        arguments.AddRange(Directions(inputs, output, afterwards));
        foreach (var input in inputs.Where(i => i.Parameter.Shape == ParameterShape.Output))
        {
            var written = input.TangentArray ?? Scratch("scratch", input.Primal.Array!, cleared: false, output, afterwards); // the callee clears its output tangents
            arguments.Add(new CallArgument(new ArrayValue(written), ByRef: false));
        }
        output.Add(new TangentCall(tangentMethod, arguments.ToEquatableArray(), null, null));
        output.AddRange(afterwards);
    }

    /// <summary>
    /// The tangent of a pullback call, where forward mode runs over a reverse sweep (a Hessian-vector
    /// product through a call): the callee's NamePullbackTangent accumulates into the gradients, as the
    /// pullback does, and into their tangents, from the tangents of the arguments and the seeds. An
    /// argument or seed without a tangent passes zero (pooled zeros for an array); a gradient whose
    /// tangent nobody reads passes somewhere to accumulate it (a local, or a pooled scratch array).
    /// </summary>
    private void PullbackTangent(PullbackCall call, List<Code> output, Scope scope)
    {
        var target = call.Target;
        if (target.PullbackTangent is not { } method)
            throw new InvalidOperationException($"A Hessian-vector product reached the pullback of {target.DisplayName}, which has no NamePullbackTangent; the generator should have reported this.");
        var inputs = CallInputs(target, call.Inputs.Select(a => a.Value is ArrayValue array ? new Argument(null, array.Array) : new Argument(a.Value, null)).ToEquatableArray(), output, scope);
        var afterwards = new List<Code>();
        var arguments = inputs.Select(i => i.Value).ToList();
        arguments.AddRange(Directions(inputs, output, afterwards));
        var seedTangents = new List<CallArgument>();
        foreach (var seed in call.Seeds.Select(s => s.Value))
        {
            if (seed is ArrayValue array)
            {
                arguments.Add(new CallArgument(seed, ByRef: false));
                seedTangents.Add(new CallArgument(new ArrayValue(TangentArray(array.Array) ?? Scratch("zeros", array.Array, cleared: true, output, afterwards)), ByRef: false));
                continue;
            }
            var (primal, tangent) = Linearize(seed, output, scope);
            arguments.Add(new CallArgument(Materialize(primal, output, scope), ByRef: false));
            seedTangents.Add(new CallArgument(tangent ?? Number(seed.Type, 0), ByRef: false));
        }
        arguments.AddRange(seedTangents);
        // A callee's split reverse half still runs, to pop what its forward half saved in the record, and
        // accumulates the gradients itself; the pullback tangent, which recomputes, accumulates them into scratch.
        var keepsPrimal = call.HasRecord;
        var gradients = call.Gradients.ToList();
        arguments.AddRange(keepsPrimal ? gradients.Select(g => Discarded(g.Value, output, afterwards)) : gradients);
        foreach (var gradient in gradients)
        {
            switch (gradient.Value)
            {
                case VarRef variable when _flow.IsActive(variable.Name):
                    arguments.Add(new CallArgument(new VarRef(variable.Type, TangentOf(variable.Name)), ByRef: true));
                    break;
                case ArrayValue array when TangentArray(array.Array) is { } tangent:
                    arguments.Add(new CallArgument(new ArrayValue(tangent), ByRef: false));
                    break;
                default:
                    arguments.Add(Discarded(gradient.Value, output, afterwards));
                    break;
            }
        }
        output.Add(new TangentCall(method, arguments.ToEquatableArray(), null, null));
        if (keepsPrimal) output.Add(call);
        output.AddRange(afterwards);
    }

    /// <summary>Somewhere for a callee to accumulate a gradient (or a tangent) nobody reads: a local, or a pooled scratch array as long as the gradient.</summary>
    private CallArgument Discarded(Expr gradient, List<Code> output, List<Code> afterwards)
    {
        switch (gradient)
        {
            case VarRef variable:
                var unused = new VarRef(variable.Type, _names.Numbered("unused"));
                output.Add(new Declare(unused.Type, unused.Name, Number(unused.Type, 0)));
                return new CallArgument(unused, ByRef: true);
            case ArrayValue array:
                return new CallArgument(new ArrayValue(Scratch("scratch", array.Array, cleared: false, output, afterwards)), ByRef: false);
            default:
                throw new InvalidOperationException($"The gradient argument {gradient.GetType().Name} of a pullback has no tangent.");
        }
    }
}
