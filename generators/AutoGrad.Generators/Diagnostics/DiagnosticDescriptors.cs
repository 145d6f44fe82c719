using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Diagnostics;

/// <summary>
/// The catalogue of AutoGrad diagnostics. Ids are stable: AG0001-AG0009 method shape,
/// AG0010-AG0029 body constructs, AG0030-AG0039 derivative rules, AG0040-AG0049 derivative modes, AG0090-AG0099 the generator itself.
/// Keep in sync with AnalyzerReleases.Unshipped.md and the README table.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Category = "AutoGrad";

    private static DiagnosticDescriptor Error(string id, string title, string message, string help) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: help);

    public static readonly DiagnosticDescriptor MethodNotStatic = Error(
        "AG0001", "Differentiable method must be static",
        "'{0}' must be static to be [Differentiable]",
        "AutoGrad differentiates static methods only. Make the method static and pass any state it needs as parameters.");

    public static readonly DiagnosticDescriptor TypeNotPartial = Error(
        "AG0002", "Containing type must be partial",
        "Type '{0}' must be declared partial so AutoGrad can add the gradient of '{1}' to it",
        "Add the 'partial' modifier to the type that declares the [Differentiable] method and to every type that contains it.");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error(
        "AG0003", "Unsupported parameter",
        "Parameter '{0}' of type '{1}' is not supported: {2}",
        "Parameters may be double or float (or arrays / ReadOnlySpan<T> of them), which are differentiated unless marked [NoGradient], or int, long and bool and arrays / ReadOnlySpan<T> of int and long, which are constants. Pass other state another way or mark it [NoGradient].");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "AG0004", "Unsupported return type",
        "'{0}' returns '{1}'; a [Differentiable] method returns double or float, or is void and writes Span<T> outputs",
        "Return the scalar whose gradient you want as double or float, or make the method void and write its results into Span<double> or Span<float> parameters.");

    public static readonly DiagnosticDescriptor UnsupportedMethodShape = Error(
        "AG0005", "Unsupported method shape",
        "'{0}' cannot be differentiated: {1}",
        "A [Differentiable] method is a non-generic static method with a body in a partial type.");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error(
        "AG0010", "Unsupported statement",
        "'{0}' statements are not supported in a [Differentiable] method: {1}",
        "Supported statements: locals, assignments (=, +=, -=, *=, /=), ++/-- on integers, return, if/else, for, while, foreach over an array or span, break and continue. Move other code into a helper method with a [DerivativeOf] rule, or out of the differentiable method.");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error(
        "AG0011", "Unsupported expression",
        "This expression is not supported in a [Differentiable] method: {0}",
        "Supported expressions: arithmetic, comparisons, ?:, casts between float and double, integer index arithmetic, array and span element reads, .Length, Math and MathF functions, and calls to [Differentiable] methods or methods with a [DerivativeOf] rule.");

    public static readonly DiagnosticDescriptor NoDerivative = Error(
        "AG0012", "Call has no derivative",
        "'{0}' has no derivative, and its result depends on a differentiable input and reaches the result",
        "Mark '{0}' [Differentiable] if it is yours, supply a [DerivativeOf] rule for it, or mark the inputs it reads [NoGradient] if its gradient really is zero.");

    public static readonly DiagnosticDescriptor NoMathDerivative = Error(
        "AG0018", "Math function has no derivative rule",
        "'{0}' has no derivative rule in AutoGrad; write {1}",
        "AutoGrad differentiates the System.Math / MathF functions listed in the README (and their double./float. spellings). Write the function with those, or wrap it in a method of your own with a [DerivativeOf] rule.");

    public static readonly DiagnosticDescriptor Recursion = Error(
        "AG0013", "Recursion is not supported",
        "'{0}' calls itself{1}; recursive [Differentiable] methods are not supported",
        "Rewrite the recursion (direct, or through other [Differentiable] methods) as a loop, which AutoGrad differentiates with a value stack.");

    public static readonly DiagnosticDescriptor WriteToInput = Error(
        "AG0014", "Write to an input array",
        "'{0}' is an input of the [Differentiable] method; its elements cannot be written",
        "Inputs are read-only in differentiable code. Accumulate into a local scalar instead, or move the array computation into a runtime primitive with a [DerivativeOf] rule.");

    public static readonly DiagnosticDescriptor UnsupportedLocalType = Error(
        "AG0015", "Unsupported local variable type",
        "Local '{0}' of type '{1}' is not supported: {2}",
        "Locals may be double, float, int, long or bool, or arrays of double or float created in the method ('new T[n]', an array initialiser, or 'stackalloc T[n]' into a Span<T>). Keep objects as parameters.");

    public static readonly DiagnosticDescriptor ConstantResult = new(
        "AG0016", "Result does not depend on any differentiable input",
        "The result of '{0}' does not depend on any differentiable input; its gradient is always zero",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Check that the differentiable parameters are used in the returned value, or remove [Differentiable].");

    public static readonly DiagnosticDescriptor GradientStopped = new(
        "AG0017", "Gradient stops at a [NoGradient] parameter",
        "'{0}' depends on a differentiable input, but parameter '{1}' of '{2}' is [NoGradient], so no gradient flows through it",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Remove [NoGradient] from the callee's parameter, or mark the caller's input [NoGradient] too if a zero gradient is intended.");

    public static readonly DiagnosticDescriptor NotCheckpointed = new(
        "AG0019", "Checkpointing not applied",
        "Checkpointing is not applied {0}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "[Differentiable(CheckpointSnapshots = s)] checkpoints the method's outermost counted loops 'for (int t = a; t < n; t++)' whose bound the loop does not change, with no break or return inside and no calls to void methods; any other loop keeps saving every iteration (the gradient stays correct). Reshape the loop, or move it into a method of its own.");

    public static readonly DiagnosticDescriptor InvalidDerivativeRule = Error(
        "AG0030", "Invalid derivative rule",
        "[DerivativeOf] rule '{0}' does not fit '{1}': {2}",
        "A rule is a static void method taking the original parameters, then 'T seed', then one gradient parameter per differentiable parameter in order: 'ref T d{p}' for scalars, 'Span<T> d{p}' for arrays and spans. It accumulates seed * dF/dp.");

    public static readonly DiagnosticDescriptor DerivativeTargetNotFound = Error(
        "AG0031", "Derivative rule target not found",
        "[DerivativeOf] names '{0}.{1}', which does not exist or is not a static method",
        "Name the target with typeof(Type) and nameof(Type.Method).");

    public static readonly DiagnosticDescriptor UnsupportedDerivativeMode = Error(
        "AG0040", "Derivative mode not available",
        "'{0}' cannot have {1}: {2}",
        "DerivativeModes.Forward supports the same bodies as reverse mode, except calls to void methods without a NameTangent of their own (add Modes = DerivativeModes.Forward to the callee); HessianVector supports them except calls to methods without HessianVector of their own (add it to the callee) and to [DerivativeOf] rules; Jacobian needs a void method with exactly one Span<T> output. Remove the mode from [Differentiable(Modes = ...)] or reshape the method.");

    public static readonly DiagnosticDescriptor GeneratorFailure = Error(
        "AG0099", "AutoGrad generator failure",
        "AutoGrad could not differentiate '{0}': {1}",
        "This is a bug in AutoGrad; please report it with the method that triggers it. Until it is fixed, simplify the method or supply a [DerivativeOf] rule.");
}
