using System.Collections.Generic;
using System.Linq;

namespace AutoGrad.Generators.Model;

/// <summary>A statement of the generated code: the output of differentiation, the input of emission.</summary>
public abstract record Code;

/// <summary><c>T name = value;</c></summary>
public sealed record Declare(ScalarType Type, string Name, Expr Value) : Code;

/// <summary><c>name = value;</c></summary>
public sealed record Set(string Name, Expr Value) : Code;

/// <summary><c>target += value;</c> where the target is a variable or an element of a gradient span.</summary>
public sealed record Accumulate(Expr Target, Expr Value) : Code;

/// <summary><c>name += delta;</c> on an integer.</summary>
public sealed record Step(string Name, long Delta) : Code;

/// <summary><c>array[index] = value;</c></summary>
public sealed record SetElement(ElementRead Target, Expr Value) : Code;

/// <summary><c>T[] name = System.Array.Empty&lt;T&gt;();</c>: a buffer variable, rented where the method allocates it.</summary>
public sealed record DeclareBuffer(ScalarType Element, string Name) : Code;

/// <summary>
/// <c>name = BufferPool&lt;T&gt;.Rent(length);</c> (zeroed), optionally copying <paramref name="CopyFrom"/> into it;
/// <c>RentUncleared</c> when <paramref name="Cleared"/> is false, for a buffer that is written and never read.
/// </summary>
public sealed record RentBuffer(ScalarType Element, string Name, Expr Length, string? CopyFrom = null, bool Cleared = true) : Code;

/// <summary><c>BufferPool&lt;T&gt;.Return(name);</c></summary>
public sealed record ReturnBuffer(ScalarType Element, string Name) : Code;

public sealed record Push(string Stack, Expr Value) : Code;

public sealed record IfCode(Expr Condition, EquatableArray<Code> Then, EquatableArray<Code> Else) : Code;

public sealed record WhileCode(Expr Condition, EquatableArray<Code> Body) : Code;

/// <summary><c>for (int counter = count; counter &gt; 0; counter--) body</c>: a loop replayed backwards.</summary>
public sealed record Repeat(string Counter, Expr Count, EquatableArray<Code> Body) : Code;

/// <summary>
/// A call to a pullback: generated for a [Differentiable] callee or a user's [DerivativeOf] rule. Its
/// arguments are the callee's, then (after the record, for a callee's split reverse half) its seeds
/// (the result's adjoint, or its outputs'), then one gradient per differentiable parameter.
/// </summary>
public sealed record PullbackCall(string Method, EquatableArray<CallArgument> Arguments, CallTarget Target) : Code
{
    public int SeedCount => Arguments.Count - Target.Parameters.Count - GradientCount - (HasRecord ? 1 : 0);

    public int GradientCount => Target.Parameters.Count(p => p.Differentiable);

    public bool HasRecord => Arguments.Count > Target.Parameters.Count && Arguments[Target.Parameters.Count].Value is RecordValue;

    public IEnumerable<CallArgument> Inputs => Arguments.Take(Target.Parameters.Count);

    public IEnumerable<CallArgument> Seeds => Arguments.Skip(Arguments.Count - GradientCount - SeedCount).Take(SeedCount);

    public IEnumerable<CallArgument> Gradients => Arguments.Skip(Arguments.Count - GradientCount);
}

public sealed record CallArgument(Expr Value, bool ByRef);

/// <summary>
/// A call statement of the forward sweep: the user's call to a void method, as written, or its NameForward
/// saving into <paramref name="Record"/>. <paramref name="Target"/> is set where the tangent transform may read it:
/// in the primal code, and for a NameForward call in a combined reverse sweep.
/// </summary>
public sealed record InvokeCode(string Method, EquatableArray<Argument> Arguments, string? Record, CallTarget? Target = null) : Code;

/// <summary>
/// A callee's NameTangent in forward mode: <c>result = Method(arguments, out resultTangent);</c> for a
/// scalar callee, <c>Method(arguments);</c> for a void one (its arguments end with the output tangents).
/// </summary>
public sealed record TangentCall(string Method, EquatableArray<CallArgument> Arguments, string? Result, string? ResultTangent) : Code;

/// <summary>A guard of the primal code (<see cref="Check"/>), in the forward sweep.</summary>
public sealed record CheckCode(Check Guard) : Code;

public sealed record Comment(string Text) : Code;

/// <summary>A comment naming the source statement whose reverse follows: <c>// target = value</c>.</summary>
public sealed record StatementComment(Expr Target, Expr Value) : Code;

/// <summary><c>var name = ForwardRecord.Rent();</c>: the record a combined sweep saves into.</summary>
public sealed record RentRecord(string Name) : Code;

/// <summary><c>ForwardRecord.Return(name);</c></summary>
public sealed record ReturnRecord(string Name) : Code;

/// <summary><c>Span&lt;T&gt; name = window;</c>: a local name for a window of an array (a row of a Jacobian).</summary>
public sealed record DeclareWindow(string Name, ArraySource Window) : Code;

/// <summary><c>ref T name = ref element;</c>: a local name for one element (a Jacobian's entry).</summary>
public sealed record DeclareElementRef(string Name, ElementRead Element) : Code;

/// <summary><c>var mark = record.Mark();</c>: the heights of the record's stacks after a forward sweep.</summary>
public sealed record MarkRecord(string Record, string Mark) : Code;

/// <summary><c>record.Rewind(mark);</c>: puts back what a reverse sweep popped, for another reverse sweep.</summary>
public sealed record RewindRecord(string Record, string Mark) : Code;

/// <summary><c>var name = record.Doubles;</c> (or the record's stack of another type): a local alias of one of its stacks.</summary>
public sealed record AliasStack(string Name, string Record, ScalarType Type) : Code;

/// <summary><c>record.PushBuffer(buffer);</c>: a local buffer handed from a split forward sweep to its reverse sweep.</summary>
public sealed record SaveBuffer(string Record, string Buffer) : Code;

/// <summary><c>buffer = record.PopBuffer&lt;T&gt;();</c></summary>
public sealed record RestoreBuffer(string Record, ScalarType Element, string Buffer) : Code;

/// <summary>
/// <c>System.Array.Clear(array);</c>: zeroes an adjoint array or window (what a call wrote over has no
/// influence); <paramref name="EachElement"/> zeroes a short window element by element instead
/// (<c>GeneratedMath.ClearEach</c>), where its elements are read back at once.
/// </summary>
public sealed record ClearContents(ArraySource Array, bool EachElement = false) : Code;

/// <summary><c>stack.PushRange(array);</c>: the contents of an array a call is about to overwrite.</summary>
public sealed record SaveContents(string Stack, ArraySource Array) : Code;

/// <summary><c>stack.PopRange(array);</c>: puts back what <see cref="SaveContents"/> saved.</summary>
public sealed record RestoreContents(string Stack, ArraySource Array) : Code;

public sealed record ReturnCode(Expr Value) : Code;

/// <summary><c>from.CopyTo(to);</c> between whole arrays or windows: a snapshot of a checkpointed loop's state, or its restoration.</summary>
public sealed record CopyContents(ArraySource From, ArraySource To) : Code;

/// <summary>
/// The reverse sweep of a checkpointed loop: rents a Revolve schedule of <see cref="Steps"/> iterations and
/// <see cref="Snapshots"/> slots and runs its actions: <see cref="Advance"/> (one plain iteration, run the
/// number of times asked), <see cref="Take"/> and <see cref="Restore"/> (copies to and from the slot in
/// <see cref="Slot"/>), <see cref="ReverseStep"/> (one iteration with its saves, then its reverse).
/// </summary>
public sealed record RevolveLoop(
    string Schedule,
    string Action,
    string Slot,
    string Counter,
    Expr Steps,
    int Snapshots,
    EquatableArray<Code> Advance,
    EquatableArray<Code> Take,
    EquatableArray<Code> Restore,
    EquatableArray<Code> ReverseStep) : Code;

/// <summary>
/// The leading iterations of the <see cref="WhileCode"/> that follows it, a vector's width at a time while
/// <see cref="Condition"/> holds (every lane's iteration would run and every element it reads is in bounds):
/// <c>if (Vector256.IsHardwareAccelerated) while (condition) body</c>. Each lane computes what its iteration
/// computes, with the same operations, and <see cref="FoldLanes"/> adds a sum's terms in the loop's order,
/// so the results are the same to the bit; the loop after it runs the iterations left.
/// </summary>
public sealed record LaneLoop(Expr Condition, EquatableArray<Code> Body) : Code;

/// <summary><c>Vector256&lt;T&gt; name = value;</c> inside a <see cref="LaneLoop"/>: a variable of the loop, one lane per iteration.</summary>
public sealed record DeclareLanes(ScalarType Element, string Name, Expr Value) : Code;

/// <summary><c>name = Lanes.AddInOrder(name, lanes);</c> (or <c>SubtractInOrder</c>): a sum's terms of consecutive iterations, in their order.</summary>
public sealed record FoldLanes(string Name, BinaryOp Op, Expr Lanes) : Code;

/// <summary>
/// <c>if (Vector256.IsHardwareAccelerated &amp;&amp; enough &amp;&amp; checked &amp;&amp; ... &amp;&amp; Lanes.Disjoint(stored, other) &amp;&amp; ...) { body }</c>: the lane
/// form of a reverse-mode loop (see SweepLaneLoops), entered only where enough lane iterations can run to pay for it (<see cref="Enough"/>,
/// checked before the rest so short loops pay nothing more) and no array the lanes store shares
/// memory with another array the loop reads or stores (a user may pass one array twice); the scalar loop after it runs the rest.
/// <see cref="Checked"/> names the bools of <see cref="DeclareDisjoint"/> that made part of that check before an enclosing loop.
/// </summary>
public sealed record LaneRegion(Expr Enough, EquatableArray<string> Checked, EquatableArray<DisjointArrays> Disjoint, EquatableArray<Code> Body) : Code;

/// <summary>
/// <c>bool name = Lanes.Disjoint(stored, other) &amp;&amp; ...;</c>: <see cref="LaneRegion"/>s' overlap checks of arrays that no statement
/// of the loop after it assigns, made once before that loop instead of at each entry of the regions in it.
/// </summary>
public sealed record DeclareDisjoint(string Name, EquatableArray<DisjointArrays> Pairs) : Code;

/// <summary>Two arrays of a <see cref="LaneRegion"/> that must not overlap: one the lanes store, one the loop reads or stores.</summary>
public sealed record DisjointArrays(ArraySource Stored, ArraySource Other);

/// <summary>
/// Inside a <see cref="LaneRegion"/>: stores <see cref="Value"/>'s lanes at <see cref="Index"/>, <see cref="Index"/> + 1, ...
/// of <see cref="Array"/> (the loop's condition has checked they are in bounds).
/// </summary>
public sealed record StoreLanes(ArraySource Array, Expr Index, Expr Value) : Code;

/// <summary><c>Method(argument, ref argument, ...);</c>: an iteration of a loop whose body is the <see cref="OutlinedFunction"/> of that name.</summary>
public sealed record OutlinedCall(string Method, EquatableArray<OutlinedArgument> Arguments) : Code;

/// <summary>A variable of the generated method passed to an <see cref="OutlinedFunction"/>, by value or by <c>ref</c>.</summary>
public sealed record OutlinedArgument(string Name, bool ByRef);

/// <summary>
/// <c>static void Name(parameters) { body }</c>: a loop body moved into a static local function of the generated method
/// (see Outlining), written after the method's statements.
/// </summary>
public sealed record OutlinedFunction(string Name, EquatableArray<OutlinedParameter> Parameters, EquatableArray<Code> Body) : Code;

/// <summary>A parameter of an <see cref="OutlinedFunction"/>: its name, its C# type and whether it is a <c>ref</c>.</summary>
public sealed record OutlinedParameter(string Name, string Type, bool ByRef);

/// <summary>A gradient parameter of the generated methods and the input (or, for output adjoints, the output) it belongs to.</summary>
public sealed record GradientParameter(string Name, ParameterInfo Input);

/// <summary>Everything the emitter needs to write the generated methods of one [Differentiable] method.</summary>
public sealed record GradientProgram(
    string Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Name,
    string Accessibility,
    ScalarType Type,
    EquatableArray<ParameterInfo> Parameters,
    EquatableArray<GradientParameter> Gradients,
    EquatableArray<GradientParameter> OutputAdjoints,
    bool ReturnsVoid,
    string Seed,
    string Record,
    string CoreName,
    EquatableArray<Code> CoreBody,
    EquatableArray<Code> ForwardBody,
    EquatableArray<Code> ReverseBody,
    string? Failure)
{
    /// <summary>NameTangent, when the method opts into forward mode (or a Jacobian, whose forward path calls it).</summary>
    public TangentProgram? Tangent { get; init; }

    /// <summary>NameHessianVectorProduct, when the method opts into it (and has a scalar result).</summary>
    public HessianVectorProgram? HessianVector { get; init; }

    /// <summary>NamePullbackTangent, when the method opts into Hessian-vector products: what a caller's NameHessianVectorProduct calls.</summary>
    public PullbackTangentProgram? PullbackTangent { get; init; }

    /// <summary>NameJacobian, when the method opts into it.</summary>
    public JacobianProgram? Jacobian { get; init; }
}

/// <summary>A user's [DerivativeOf] rule as plain data.</summary>
public sealed record RuleInfo(string TargetKey, string Method, EquatableArray<ParameterSignature> Parameters, bool ReadsOutputs);
