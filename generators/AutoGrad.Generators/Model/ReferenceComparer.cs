using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace AutoGrad.Generators.Model;

/// <summary>Identity comparison for IR nodes: two equal statements at different places are different sites.</summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T> where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
