namespace AutoGrad.Distributed;

/// <summary>One rank's contiguous part of <c>total</c> items split as evenly as possible over the ranks: sizes differ by at most one.</summary>
/// <param name="Start">The first item of the part.</param>
/// <param name="Count">How many items the part holds; zero when there are fewer items than ranks.</param>
public readonly record struct Share(int Start, int Count)
{
    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of <paramref name="total"/> items.</summary>
    /// <param name="total">The number of items to split.</param>
    /// <param name="part">Which part, from 0 (a rank).</param>
    /// <param name="parts">How many parts (the number of ranks).</param>
    public static Share Of(int total, int part, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        int start = (int)((long)total * part / parts);
        int end = (int)((long)total * (part + 1) / parts);
        return new Share(start, end - start);
    }
}
