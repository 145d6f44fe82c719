using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Mnist;

/// <summary>
/// Options whose values are checked as they are parsed, so a bad value is a one-line error in plain words that
/// names the option (never a .NET message, never a run that starts with nonsense). A new option is one call here.
/// </summary>
internal static class OptionKinds
{
    /// <summary>A whole number of at least <paramref name="minimum"/>.</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int minimum = int.MinValue, string? unit = null) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, CustomParser = r => ParseInteger(r, name, minimum, unit) };

    /// <summary>An optional whole number of at least <paramref name="minimum"/>.</summary>
    public static Option<int?> OptionalInteger(string name, string description, int minimum, string? unit = null) =>
        new(name) { Description = description, CustomParser = r => ParseInteger(r, name, minimum, unit) };

    /// <summary>A positive finite number.</summary>
    public static Option<float> Positive(string name, string description, float defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, CustomParser = r => (float)(ParseNumber(r, name, 0, float.MaxValue, "a positive number") ?? 0) };

    /// <summary>An optional fraction in (0, 1].</summary>
    public static Option<double?> OptionalFraction(string name, string description) =>
        new(name) { Description = description, CustomParser = r => ParseNumber(r, name, 0, 1, "a fraction above 0 and at most 1, such as 0.95") };

    private static int ParseInteger(ArgumentResult result, string name, int minimum, string? unit)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        string expected = minimum == int.MinValue ? "a whole number" : $"a whole number{(unit is null ? "" : $" of {unit}")} of at least {minimum}";
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            result.AddError($"{name} must be {expected}, not '{text}'" + (long.TryParse(text, CultureInfo.InvariantCulture, out _) ? $" (the largest allowed is {int.MaxValue:N0})." : "."));
            return default;
        }
        if (value < minimum) result.AddError($"{name} must be {expected}, not {value}.");
        return value;
    }

    /// <summary>A number in (<paramref name="exclusiveMinimum"/>, <paramref name="maximum"/>].</summary>
    private static double? ParseNumber(ArgumentResult result, string name, double exclusiveMinimum, double maximum, string expected)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= exclusiveMinimum || value > maximum)
        {
            result.AddError($"{name} must be {expected}, not '{text}'.");
            return null;
        }
        return value;
    }
}
