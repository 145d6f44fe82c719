using System;
using System.Text;

namespace AutoGrad.Generators.Emit;

/// <summary>A StringBuilder with indentation; checks that every block it opens is closed.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
    }

    public void Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public override string ToString()
    {
        if (_indent != 0) throw new InvalidOperationException("Unbalanced blocks in generated source.");
        return _text.ToString();
    }
}
