using System.Globalization;

namespace AutoGrad.Generators.Model;

/// <summary>C# source text for numeric constants, round-trippable and culture-independent.</summary>
internal static class Literals
{
    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
    }

    public static string Float(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    /// <summary>The value of a numeric constant (its text, less a type suffix), or false for other constants.</summary>
    public static bool TryValue(Expr e, out double value)
    {
        value = 0;
        return e is Constant constant
            && double.TryParse(constant.Text.TrimEnd('f', 'F', 'd', 'D', 'm', 'M'), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static Constant Of(ScalarType type, double value) => type == ScalarType.Float
        ? new Constant(type, Float((float)value))
        : new Constant(type, Double(value));
}
