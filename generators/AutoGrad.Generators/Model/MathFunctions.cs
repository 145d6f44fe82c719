using System.Collections.Generic;

namespace AutoGrad.Generators.Model;

/// <summary>The System.Math / System.MathF functions that have derivative rules, by name and arity.</summary>
internal static class MathFunctions
{
    private static readonly HashSet<string> s_known = new()
    {
        "Sin/1", "Cos/1", "Tan/1", "Asin/1", "Acos/1", "Atan/1", "Atan2/2", "Sinh/1", "Cosh/1", "Tanh/1",
        "Exp/1", "Log/1", "Log/2", "Log10/1", "Log2/1", "Sqrt/1", "Cbrt/1", "Pow/2", "Abs/1", "Max/2", "Min/2",
        "Clamp/3", "Sign/1", "Floor/1", "Ceiling/1", "Round/1", "Round/2", "Truncate/1", "FusedMultiplyAdd/3",
    };

    public static bool IsKnown(string name, int arity) => s_known.Contains(name + "/" + arity);

    /// <summary>Functions that are piecewise constant: their derivative is zero wherever it exists.</summary>
    public static bool IsPiecewiseConstant(string name) => name is "Sign" or "Floor" or "Ceiling" or "Round" or "Truncate";
}
