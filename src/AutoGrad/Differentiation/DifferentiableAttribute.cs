namespace AutoGrad;

/// <summary>
/// Marks a static method of a <c>partial</c> type whose reverse-mode gradient the AutoGrad
/// source generator emits at build time as <c>NameGradient</c> and <c>NamePullback</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// The derivatives to generate besides the reverse-mode gradient, which is always generated:
    /// <c>[Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]</c>.
    /// </summary>
    public DerivativeModes Modes { get; init; }

    /// <summary>
    /// Opts the method's outermost counted loops (<c>for (int t = a; t &lt; n; t++)</c>) into binomial
    /// checkpointing with this many snapshots of the state the loop carries: the gradient keeps at
    /// most that many copies plus one iteration's saves, instead of every iteration's, and runs
    /// about r more iterations per step, r the smallest with C(s + r, s) ≥ n (warning AG0019 names
    /// the loops it cannot checkpoint). 0, the default, saves every iteration.
    /// </summary>
    public int CheckpointSnapshots { get; init; }
}

/// <summary>The derivatives the generator emits for a <c>[Differentiable]</c> method.</summary>
[Flags]
public enum DerivativeModes
{
    /// <summary><c>NameGradient</c>, <c>NamePullback</c>, <c>NameForward</c>, <c>NameReverse</c>: always generated.</summary>
    Reverse = 0,

    /// <summary><c>NameTangent</c>: forward mode, the directional derivative (a Jacobian-vector product).</summary>
    Forward = 1,

    /// <summary>
    /// <c>NameHessianVectorProduct</c>: the gradient and the Hessian times a vector (forward over reverse), for a
    /// method with a scalar result; and <c>NamePullbackTangent</c>, through which callers' Hessian-vector products
    /// go through calls to this method (a void method gets that and <c>NameTangent</c>).
    /// </summary>
    HessianVector = 2,

    /// <summary><c>NameJacobian</c>: the whole Jacobian of a void method with one <c>Span&lt;T&gt;</c> output (also generates <c>NameTangent</c>).</summary>
    Jacobian = 4,
}

/// <summary>
/// Excludes a <c>double</c>/<c>float</c> (or array/span of them) parameter of a
/// <c>[Differentiable]</c> method from differentiation: it is treated as a constant and gets
/// no gradient parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class NoGradientAttribute : Attribute;

/// <summary>
/// Declares the annotated static method as the pullback (vector-Jacobian product) of another
/// method, so that <c>[Differentiable]</c> code may call that method.
/// </summary>
/// <remarks>
/// The rule has the shape of a generated pullback: the original parameters, then
/// <c>T seed</c>, then one gradient parameter per differentiable parameter in declaration
/// order, <c>ref T d{p}</c> for scalars and <c>Span&lt;T&gt; d{p}</c> for arrays or spans.
/// The rule must ACCUMULATE <c>seed * dF/dp</c> into each gradient parameter. A gradient span is
/// empty when the caller does not need that gradient; the rule then skips computing it.
/// For a void target that writes <c>Span&lt;T&gt;</c> outputs, the seed is replaced by one
/// <c>ReadOnlySpan&lt;T&gt;</c> adjoint per output, in order.
/// <code>
/// public static double SoftPlus(double x) => Math.Log(1 + Math.Exp(x));
///
/// [DerivativeOf(typeof(MyMath), nameof(MyMath.SoftPlus))]
/// public static void SoftPlusPullback(double x, double seed, ref double dx)
///     => dx += seed / (1 + Math.Exp(-x));
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = true)]
public sealed class DerivativeOfAttribute(Type type, string methodName) : Attribute
{
    /// <summary>The type that declares the differentiated method.</summary>
    public Type Type { get; } = type;

    /// <summary>The name of the differentiated method (use <c>nameof</c>).</summary>
    public string MethodName { get; } = methodName;

    /// <summary>
    /// Whether the rule reads the values the target wrote into its <c>Span&lt;T&gt;</c> outputs
    /// (default true). Set it to false when the rule only needs the inputs, so generated code
    /// need not preserve those values for it.
    /// </summary>
    public bool ReadsOutputs { get; init; } = true;
}
