using System.Text;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>A plain-text table in GitHub Markdown form, columns padded to line up in a terminal too.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; it must have one cell per header.</summary>
    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException("One cell per column.", nameof(cells));
        _rows.Add(cells);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var widths = new int[headers.Length];
        foreach (string[] row in _rows.Prepend(headers))
        {
            for (int c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        text.Append('|');
        foreach (int width in widths) text.Append(new string('-', width + 1)).Append(":|");
        text.AppendLine();
        foreach (string[] row in _rows) AppendRow(text, row, widths);
        return text.ToString().TrimEnd();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (int c = 0; c < cells.Length; c++) text.Append(' ').Append(cells[c].PadLeft(widths[c])).Append(" |");
        text.AppendLine();
    }
}
