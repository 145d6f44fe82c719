using Microsoft.CodeAnalysis.Text;

namespace AutoGrad.Generators.Tests.Infrastructure;

/// <summary>Source text with the expected location of a diagnostic marked as [|...|].</summary>
internal sealed record MarkedSource(string Text, TextSpan Span)
{
    public static MarkedSource Parse(string marked)
    {
        var start = marked.IndexOf("[|", StringComparison.Ordinal);
        var end = marked.IndexOf("|]", StringComparison.Ordinal);
        if (start < 0 || end < start) throw new ArgumentException("Mark the expected span with [| and |].");
        var text = marked.Remove(end, 2).Remove(start, 2);
        return new MarkedSource(text, TextSpan.FromBounds(start, end - 2));
    }
}
