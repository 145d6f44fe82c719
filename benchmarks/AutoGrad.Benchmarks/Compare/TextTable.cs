using Spectre.Console;
using Spectre.Console.Rendering;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// A results table: Spectre.Console's <see cref="Table"/> with its Markdown border, columns right-aligned, so the text
/// lines up in a terminal and pastes into benchmarks/README.md as it is.
/// </summary>
public sealed class TextTable
{
    // Wide enough that no table here is ever wrapped or cut, whatever the terminal (or none, when redirected).
    private const int RenderWidth = 1_000;

    private readonly Table _table = new() { Border = TableBorder.Markdown };

    /// <summary>A table with these column headers.</summary>
    public TextTable(params string[] headers)
    {
        foreach (string header in headers) _table.AddColumn(new TableColumn(new Text(header)).RightAligned());
    }

    /// <summary>Adds a row; it must have one cell per header.</summary>
    public void Add(params string[] cells)
    {
        if (cells.Length != _table.Columns.Count) throw new ArgumentException("One cell per column.", nameof(cells));
        _table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
    }

    /// <summary>The table as plain text (no colour or other terminal codes), without blank lines around it.</summary>
    public override string ToString()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = RenderWidth;
        console.Write(_table);
        return string.Join('\n', text.ToString().ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim('\n');
    }
}
