using System.Globalization;

namespace AutoGrad.Tape;

/// <summary>
/// A scalar recorded on the current <see cref="GradientTape"/>: its value and its slot on the tape.
/// Arithmetic on a Var records the result and its local partial derivatives on
/// <see cref="GradientTape.Current"/>; functions are in <see cref="TapeMath"/>.
/// </summary>
/// <remarks>
/// A <see cref="double"/> converts implicitly to a constant Var, which has no slot and gets no
/// adjoint. A Var is only meaningful on the tape that recorded it, until that tape is reset.
/// </remarks>
public readonly struct Var
{
    internal Var(double value, int index)
    {
        Value = value;
        Index = index;
    }

    /// <summary>The value computed by the forward pass.</summary>
    public double Value { get; }

    /// <summary>The slot on the tape; 0 for a constant.</summary>
    internal int Index { get; }

    /// <summary>Whether this is a constant (converted from a <see cref="double"/>), not recorded on a tape.</summary>
    public bool IsConstant => Index == 0;

    /// <summary>Wraps a <see cref="double"/> as a constant.</summary>
    /// <param name="value">The constant's value.</param>
    public static implicit operator Var(double value) => new(value, 0);

    /// <summary>Records <c>a + b</c>.</summary>
    public static Var operator +(Var a, Var b) => GradientTape.Current.Push(a.Value + b.Value, a.Index, 1, b.Index, 1);

    /// <summary>Records <c>a + b</c>.</summary>
    public static Var operator +(Var a, double b) => GradientTape.Current.Push(a.Value + b, a.Index, 1);

    /// <summary>Records <c>a + b</c>.</summary>
    public static Var operator +(double a, Var b) => GradientTape.Current.Push(a + b.Value, b.Index, 1);

    /// <summary>Records <c>a - b</c>.</summary>
    public static Var operator -(Var a, Var b) => GradientTape.Current.Push(a.Value - b.Value, a.Index, 1, b.Index, -1);

    /// <summary>Records <c>a - b</c>.</summary>
    public static Var operator -(Var a, double b) => GradientTape.Current.Push(a.Value - b, a.Index, 1);

    /// <summary>Records <c>a - b</c>.</summary>
    public static Var operator -(double a, Var b) => GradientTape.Current.Push(a - b.Value, b.Index, -1);

    /// <summary>Records <c>a * b</c>.</summary>
    public static Var operator *(Var a, Var b) =>
        GradientTape.Current.Push(a.Value * b.Value, a.Index, b.Value, b.Index, a.Value);

    /// <summary>Records <c>a * b</c>.</summary>
    public static Var operator *(Var a, double b) => GradientTape.Current.Push(a.Value * b, a.Index, b);

    /// <summary>Records <c>a * b</c>.</summary>
    public static Var operator *(double a, Var b) => GradientTape.Current.Push(a * b.Value, b.Index, a);

    /// <summary>Records <c>a / b</c>.</summary>
    public static Var operator /(Var a, Var b)
    {
        double quotient = a.Value / b.Value;
        return GradientTape.Current.Push(quotient, a.Index, 1 / b.Value, b.Index, -quotient / b.Value);
    }

    /// <summary>Records <c>a / b</c>.</summary>
    public static Var operator /(Var a, double b) => GradientTape.Current.Push(a.Value / b, a.Index, 1 / b);

    /// <summary>Records <c>a / b</c>.</summary>
    public static Var operator /(double a, Var b)
    {
        double quotient = a / b.Value;
        return GradientTape.Current.Push(quotient, b.Index, -quotient / b.Value);
    }

    /// <summary>Records <c>-a</c>.</summary>
    public static Var operator -(Var a) => GradientTape.Current.Push(-a.Value, a.Index, -1);

    /// <summary>Compares values; records nothing.</summary>
    public static bool operator <(Var a, Var b) => a.Value < b.Value;

    /// <summary>Compares values; records nothing.</summary>
    public static bool operator >(Var a, Var b) => a.Value > b.Value;

    /// <summary>Compares values; records nothing.</summary>
    public static bool operator <=(Var a, Var b) => a.Value <= b.Value;

    /// <summary>Compares values; records nothing.</summary>
    public static bool operator >=(Var a, Var b) => a.Value >= b.Value;

    /// <inheritdoc/>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
