using System.Collections.Generic;
using System.Globalization;

namespace AutoGrad.Generators.Differentiation;

/// <summary>Hands out identifiers for generated code that clash with no name the user wrote and with each other.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken;
    private readonly Dictionary<string, int> _counters = new();

    public NameScope(IEnumerable<string> reserved) => _taken = new HashSet<string>(reserved);

    /// <summary>An independent scope that starts with the names taken so far.</summary>
    public NameScope Copy() => new(_taken);

    /// <summary>The name itself when free, else the name with the first free numeric suffix.</summary>
    public string Named(string name)
    {
        if (_taken.Add(name)) return name;
        return Numbered(name + "_");
    }

    /// <summary>A numbered temporary: t1, t2, ...</summary>
    public string Numbered(string prefix)
    {
        _counters.TryGetValue(prefix, out var next);
        while (true)
        {
            next++;
            var candidate = prefix + next.ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(candidate))
            {
                _counters[prefix] = next;
                return candidate;
            }
        }
    }
}
