using System.Reflection;

namespace AutoGrad.Generators.Model;

/// <summary>The names of the methods the generator adds next to a [Differentiable] method, in one place.</summary>
internal static class GeneratedNames
{
    public static string Gradient(string method) => method + "Gradient";
    public static string Pullback(string method) => method + "Pullback";
    public static string Forward(string method) => method + "Forward";
    public static string Reverse(string method) => method + "Reverse";
    public static string Tangent(string method) => method + "Tangent";
    public static string HessianVectorProduct(string method) => method + "HessianVectorProduct";

    /// <summary>The tangent of NamePullback, which a caller's NameHessianVectorProduct calls (forward over reverse through a call).</summary>
    public static string PullbackTangent(string method) => method + "PullbackTangent";
    public static string Jacobian(string method) => method + "Jacobian";

    /// <summary>The private method NameGradient and NamePullback share: forward and reverse sweep in one.</summary>
    public static string Core(string method) => "__" + method + "ValueAndPullback";

    /// <summary>The private method of NameJacobian's row path: one forward sweep, a reverse sweep per row.</summary>
    public static string JacobianRows(string method) => "__" + method + "JacobianRows";
}

/// <summary>The runtime types and members generated code uses, <c>global::</c>-qualified, in one place.</summary>
internal static class RuntimeNames
{
    private const string Differentiation = "global::AutoGrad.Differentiation.";

    public const string ForwardRecord = Differentiation + "ForwardRecord";
    public const string GradientChecks = Differentiation + "GradientChecks";
    public const string GeneratedMath = Differentiation + "GeneratedMath";
    public const string Revolve = Differentiation + "Revolve";
    public const string RevolveAction = Differentiation + "RevolveAction";
    public const string Lanes = Differentiation + "Lanes";
    public const string ReplayBudget = Differentiation + "ReplayBudget";

    /// <summary>The static class of Vector256's operations.</summary>
    public const string Vector256 = "global::System.Runtime.Intrinsics.Vector256";

    public static string Vector256Of(ScalarType element) => $"{Vector256}<{element.Keyword()}>";

    /// <summary>How many lanes a Vector256 of this element type has (32 bytes).</summary>
    public static int LaneCount(ScalarType element) => element == ScalarType.Float ? 8 : 4;

    /// <summary>The generator's version as the build stamped it (Version in Directory.Build.props), without the "+commit" suffix.</summary>
    public static readonly string GeneratorVersion = ReadGeneratorVersion();

    public static readonly string GeneratedCodeAttribute = $"[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGrad.Generators\", \"{GeneratorVersion}\")]";
    public const string AggressiveInlining = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
    public const string NotSupportedException = "global::System.NotSupportedException";
    public const string KernelSafeAttribute = "[" + Differentiation + "KernelSafe]";

    private static string ReadGeneratorVersion()
    {
        // The informational version is the package version (0.1.0, 0.2.0-beta, ...) plus, from a git
        // checkout, "+<commit>"; the commit would change the generated code on every commit.
        string? version = typeof(RuntimeNames).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(version)) return typeof(RuntimeNames).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        int metadata = version!.IndexOf('+');
        return metadata < 0 ? version : version.Substring(0, metadata);
    }

    /// <summary>The type of a <see cref="ForwardRecord"/>'s stack of values of this type.</summary>
    public static string AdjointStack(ScalarType element) => $"{Differentiation}AdjointStack<{element.Keyword()}>";

    public static string BufferPool(ScalarType element) => $"{Differentiation}BufferPool<{element.Keyword()}>";

    public static string EmptyArray(ScalarType element) => $"global::System.Array.Empty<{element.Keyword()}>()";

    public static string Span(ScalarType element) => $"global::System.Span<{element.Keyword()}>";

    public static string ReadOnlySpan(ScalarType element) => $"global::System.ReadOnlySpan<{element.Keyword()}>";

    public static string Math(bool single) => single ? "global::System.MathF" : "global::System.Math";

    public const string ArrayClear = "global::System.Array.Clear";

    /// <summary>The <see cref="ForwardRecord"/> property that holds the stack of values of this type.</summary>
    public static string RecordStack(ScalarType type) => type switch
    {
        ScalarType.Double => "Doubles",
        ScalarType.Float => "Floats",
        ScalarType.Int => "Ints",
        ScalarType.Long => "Longs",
        _ => "Bools",
    };
}
