using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AutoGrad.Generators.Model;

/// <summary>A source location as plain data, so it can cross incremental pipeline steps.</summary>
public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>
    /// The location in the compilation's tree of that path when there is one: only a source location lets
    /// <c>#pragma warning disable</c> and .editorconfig severities apply to the diagnostic.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
            if (tree.FilePath == FilePath && Span.End <= tree.Length) return Location.Create(tree, Span);
        return Location.Create(FilePath, Span, LineSpan);
    }

    public static LocationInfo? From(SyntaxNode node) => From(node.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

    public static LocationInfo? From(Location location) =>
        location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
