using System.Linq;

namespace AutoGrad.Generators.Model;

/// <summary>The value types differentiable code computes with.</summary>
public enum ScalarType { Double, Float, Int, Long, Bool }

public enum UnaryOp { Negate, Not }

public enum BinaryOp
{
    Add, Subtract, Multiply, Divide, Remainder,
    Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual,
    And, Or, BitAnd, BitOr, BitXor,
}

/// <summary>An expression of the intermediate representation: a pure tree, every node typed.</summary>
public abstract record Expr(ScalarType Type);

/// <summary>A literal, already in C# source form.</summary>
public sealed record Constant(ScalarType Type, string Text) : Expr(Type);

/// <summary>A scalar variable: a parameter, a (renamed, hoisted) local or a synthetic variable.</summary>
public sealed record VarRef(ScalarType Type, string Name) : Expr(Type);

/// <summary>An element of an input array or span, or of an array the method only reads (e.g. a static field).</summary>
public sealed record ElementRead(ScalarType Type, ArraySource Array, Expr Index) : Expr(Type);

public sealed record LengthOf(ArraySource Array) : Expr(ScalarType.Int);

public sealed record Unary(ScalarType Type, UnaryOp Op, Expr Operand) : Expr(Type);

public sealed record Binary(ScalarType Type, BinaryOp Op, Expr Left, Expr Right) : Expr(Type);

public sealed record Conditional(ScalarType Type, Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr(Type);

/// <summary>A numeric conversion to <see cref="Expr.Type"/>.</summary>
public sealed record Cast(ScalarType Type, Expr Operand) : Expr(Type);

/// <summary>A System.Math (or System.MathF when <paramref name="Single"/>) function.</summary>
public sealed record MathCall(ScalarType Type, string Function, bool Single, EquatableArray<Expr> Arguments) : Expr(Type);

/// <summary>A call to a user method: a [Differentiable] one, one with a [DerivativeOf] rule, or one with neither.</summary>
public sealed record Call(ScalarType Type, CallTarget Target, EquatableArray<Argument> Arguments, int Site) : Expr(Type);

/// <summary>A static field or property: <paramref name="Type"/> is its containing type, fully qualified.</summary>
public sealed record StaticMember(string Type, string Name)
{
    /// <summary>The key analyses know a static array by.</summary>
    public string Key => Type + "." + Name;
}

/// <summary>A static field or property the method reads but never differentiates.</summary>
public sealed record StaticRead(ScalarType Type, StaticMember Member) : Expr(Type);

/// <summary><c>h.Alpha</c> or <c>h.Inner.Beta</c>: a member of a struct parameter of settings, read as a constant (it has no gradient).</summary>
public sealed record SettingsRead(ScalarType Type, string Parameter, EquatableArray<string> Path) : Expr(Type);

/// <summary>
/// A compile-time constant a guard passes on without computing with it: a message, a nameof, null
/// (<see cref="Value"/> as Roslyn gives it). Its <see cref="Expr.Type"/> is nominal: an integer, so it carries no derivative.
/// </summary>
public sealed record OpaqueConstant(object? Value) : Expr(ScalarType.Int);

/// <summary>An array, or a window of it, passed whole as a call argument.</summary>
public sealed record ArrayValue(ArraySource Array) : Expr(Array.Element);

/// <summary><c>default</c> as an array argument: a [DerivativeOf] rule skips a gradient nobody needs.</summary>
public sealed record NoArray(ScalarType Element) : Expr(Element);

/// <summary>
/// Output only: the <see cref="RuntimeNames.ForwardRecord"/> named <see cref="Name"/>, passed to a callee's
/// reverse half. Its <see cref="Expr.Type"/> is nominal: an integer, so it carries no derivative.
/// </summary>
public sealed record RecordValue(string Name) : Expr(ScalarType.Int);

/// <summary>Output only: the dot product of two arrays or windows of the same length.</summary>
public sealed record Dot(ScalarType Type, ArraySource Left, ArraySource Right) : Expr(Type);

/// <summary>Output only: the value pushed last on a stack of the forward sweep.</summary>
public sealed record Pop(ScalarType Type, string Stack) : Expr(Type);

/// <summary>
/// Output only: whether a replayed loop about to run keeps its iterations' local arrays on <see cref="Stack"/>
/// (<see cref="Values"/> of them per iteration) instead of replaying them: <c>ReplayBudget.Keeps</c>, which reads
/// how full the stack is, so it is computed once, where it stands.
/// </summary>
public sealed record KeepsIterations(string Stack, Expr Values) : Expr(ScalarType.Bool);

/// <summary>
/// Output only, inside a <see cref="LaneLoop"/>: <see cref="Value"/> (a scalar the loop does not change) in
/// every lane of a vector.
/// </summary>
public sealed record Broadcast(ScalarType Type, Expr Value) : Expr(Type);

/// <summary>
/// Output only, inside a <see cref="LaneLoop"/>: the elements <see cref="Index"/>, <see cref="Index"/> + 1, ...
/// of <see cref="Array"/>, one per lane (the loop's condition has checked they are in bounds).
/// </summary>
public sealed record LaneLoad(ScalarType Type, ArraySource Array, Expr Index) : Expr(Type);

/// <summary>Output only, inside a <see cref="LaneLoop"/>: a Math function lane by lane (one whose Vector256 form gives the same bits: Sqrt, Abs, Max, Min).</summary>
public sealed record LaneMath(ScalarType Type, string Function, EquatableArray<Expr> Arguments) : Expr(Type);

/// <summary>
/// Output only, inside a <see cref="LaneLoop"/>: per lane, <see cref="WhenTrue"/> where <see cref="Condition"/> (comparisons of
/// lanes, joined by &amp;&amp;, || and !) holds, else <see cref="WhenFalse"/>. Both are computed, as plain arithmetic, and one is kept.
/// </summary>
public sealed record LaneSelect(ScalarType Type, Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr(Type);

/// <summary>Output only, inside a <see cref="LaneLoop"/>: <c>(T)First</c>, <c>(T)(First + 1)</c>, ... one per lane (an index as a value).</summary>
public sealed record LaneIndices(ScalarType Type, Expr First) : Expr(Type);

/// <summary>Where an array or span comes from, which decides whether it can be written and has an adjoint.</summary>
public enum ArrayKind
{
    /// <summary>An array or ReadOnlySpan parameter: read-only.</summary>
    Input,
    /// <summary>A Span parameter of a void method: what the method computes.</summary>
    Output,
    /// <summary>A local array the method allocates with <c>new T[n]</c>.</summary>
    Buffer,
    /// <summary>Code the method only reads, such as a static array field.</summary>
    External,
}

/// <summary>
/// An array or span the method reads or writes. As a call argument it may be a window of it
/// (<c>q.AsSpan(k * d, d)</c>): elements <see cref="Start"/> to <see cref="Start"/> + <see cref="Count"/> - 1,
/// each a constant or a variable, so the reverse sweep reads the values the forward sweep used.
/// Analyses key arrays by <see cref="Code"/>, so a window counts as its whole array there (conservative).
/// <see cref="Code"/> is the array's name, or for a static array (<see cref="Member"/>) its key.
/// </summary>
public sealed record ArraySource(string Code, ScalarType Element, ArrayKind Kind, Expr? Start = null, Expr? Count = null, StaticMember? Member = null)
{
    /// <summary>A static array field or property the method only reads.</summary>
    public static ArraySource Static(StaticMember member, ScalarType element) => new(member.Key, element, ArrayKind.External, Member: member);

    /// <summary>Whether <see cref="Code"/> is a name of the method (a parameter, local or generated adjoint).</summary>
    public bool IsNamed => Kind != ArrayKind.External;

    public bool IsWindow => Start is not null;

    /// <summary>The same window of another array of the same length (an adjoint).</summary>
    public ArraySource Renamed(string code) => this with { Code = code, Kind = ArrayKind.Buffer, Member = null };

    /// <summary>A local buffer (a pooled scratch array) of this element type.</summary>
    public static ArraySource Buffer(string name, ScalarType element) => new(name, element, ArrayKind.Buffer);
}

/// <summary>A call argument: a scalar expression or a whole array.</summary>
public sealed record Argument(Expr? Value, ArraySource? Array);

/// <summary>How a parameter is passed; <see cref="Value"/> is a struct of settings the method reads members of, as constants.</summary>
public enum ParameterShape { Scalar, Array, Span, Output, Value }

/// <summary>How a callee's parameter takes part in its pullback.</summary>
public sealed record ParameterSignature(string Name, ScalarType Element, ParameterShape Shape, bool Differentiable);

public enum CallKind { Differentiable, Rule, None }

/// <summary>
/// The method a call reaches and, once resolved, the pullback to call in the reverse sweep
/// (generated for [Differentiable] callees, user-written for [DerivativeOf] rules). A generated
/// pullback recomputes its forward sweep, so it never reads the outputs it is handed.
/// <see cref="Tangent"/> names the callee's NameTangent when it opts into forward mode,
/// <see cref="PullbackTangent"/> its NamePullbackTangent when it opts into Hessian-vector products.
/// <see cref="Checkpoints"/>: the callee opts into checkpointing, which only its pullback does (its
/// NameForward saves every iteration).
/// </summary>
public sealed record CallTarget(
    string Method,
    string DisplayName,
    string RuleKey,
    EquatableArray<ParameterSignature> Parameters,
    CallKind Kind,
    string? Pullback,
    bool PullbackReadsOutputs = false,
    string? Tangent = null,
    string? PullbackTangent = null,
    bool Checkpoints = false)
{
    /// <summary>The floating type of the callee's values.</summary>
    public ScalarType Element() => Parameters.FirstOrDefault(p => p.Element.IsReal())?.Element ?? ScalarType.Double;
}

/// <summary>A statement. Lowering produces all kinds; control-flow normalisation removes the jumps.</summary>
public abstract record Stmt;

public sealed record Assign(string Target, Expr Value, bool IsDeclaration) : Stmt;

/// <summary>An integer variable stepped by a constant: invertible, so the reverse sweep needs no saved value.</summary>
public sealed record Increment(string Target, long Delta) : Stmt;

public sealed record If(Expr Condition, Block Then, Block Else) : Stmt;

/// <summary>A loop; <see cref="Step"/> runs after each iteration that did not break (a for loop's incrementors).</summary>
public sealed record While(Expr Condition, Block Body, Block Step) : Stmt
{
    /// <summary>The number lowering gave a loop the user wrote (see <c>LoweredMethod.LoopSites</c>); -1 for loops lowering made up.</summary>
    public int Site { get; init; } = -1;
}

/// <summary><c>array[index] = value</c> on an output span or a local buffer.</summary>
public sealed record Store(ArraySource Array, Expr Index, Expr Value) : Stmt;

/// <summary><c>T[] name = new T[length]</c>: a local buffer, rented where it is declared (before the outermost loop, for one declared in a loop).</summary>
public sealed record Allocate(string Name, ScalarType Element, Expr Length) : Stmt;

/// <summary>A call to a void method that writes its Span outputs (a primitive or a differentiable void method).</summary>
public sealed record Invoke(CallTarget Target, EquatableArray<Argument> Arguments, int Site) : Stmt;

/// <summary>
/// A guard of the primal code, repeated where it stands so the generated derivatives fail as the method does:
/// <c>throw new Type(arguments)</c> when <see cref="Helper"/> is null (<c>throw new global::System.ArgumentException("...")</c>),
/// the static throw helper <c>Type.Helper(arguments)</c> otherwise (<c>global::System.ArgumentOutOfRangeException.ThrowIfNegative(n)</c>).
/// <see cref="Type"/> is fully qualified.
/// </summary>
public sealed record Check(string Type, string? Helper, EquatableArray<Expr> Arguments) : Stmt;

public sealed record Break : Stmt;

public sealed record Continue : Stmt;

/// <summary>A return; its value is null in a void method.</summary>
public sealed record Return(Expr? Value) : Stmt;

public sealed record Block(EquatableArray<Stmt> Statements)
{
    public static Block Empty { get; } = new(EquatableArray<Stmt>.Empty);
}

public enum VariableKind { Parameter, Local, Synthetic }

public sealed record VariableInfo(string Name, ScalarType Type, VariableKind Kind);

/// <summary>A parameter of the [Differentiable] method as it appears in the signature.</summary>
public sealed record ParameterInfo(string Name, string TypeText, ScalarType Element, ParameterShape Shape, bool Differentiable);

/// <summary>A type that contains the method, outermost first, as its partial declaration needs it.</summary>
public sealed record ContainingType(string Keyword, string Name);

/// <summary>A local buffer of the method.</summary>
public sealed record BufferInfo(string Name, ScalarType Element);

/// <summary>
/// The result of lowering one [Differentiable] method: its signature and its body in IR.
/// <see cref="ReturnType"/> is the floating type T; a void method computes its Span outputs instead.
/// </summary>
public sealed record MethodModel(
    string Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Name,
    string Accessibility,
    ScalarType ReturnType,
    bool ReturnsVoid,
    EquatableArray<BufferInfo> Buffers,
    EquatableArray<ParameterInfo> Parameters,
    EquatableArray<VariableInfo> Variables,
    Block Body,
    string ResultVariable)
{
    /// <summary>The derivatives the method opts into besides reverse mode (read from its attribute).</summary>
    public DerivativeModes Modes { get; init; }

    /// <summary>The snapshot budget of the method's checkpointed outermost loops (its attribute's <c>CheckpointSnapshots</c>); 0 when it does not opt in.</summary>
    public int CheckpointSnapshots { get; init; }
}

/// <summary>Where a call sits in the source, by the <see cref="Call.Site"/> number lowering gave it.</summary>
public sealed record CallSite(int Site, LocationInfo? Location);
