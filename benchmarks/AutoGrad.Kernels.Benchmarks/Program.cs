using System.Diagnostics;
using System.Globalization;
using AutoGrad.Kernels;
using Spectre.Console;

// A by-hand throughput check of the matrix-multiply kernel: best-of GFLOP/s per shape.
// Run in Release (see README.md); set DOTNET_PROCESSOR_COUNT=1 to measure one core.
var shapes = new (string Name, char Variant, int M, int K, int N)[]
{
    ("1024^3 A·B", 'N', 1024, 1024, 1024),
    ("1024^3 Aᵀ·B", 'A', 1024, 1024, 1024),
    ("1024^3 A·Bᵀ", 'B', 1024, 1024, 1024),
    ("fc1 forward   X·W1 (256x784 · 784x64)", 'N', 256, 784, 64),
    ("fc2 forward   (256x64 · 64x64)", 'N', 256, 64, 64),
    ("fc3 forward   (256x64 · 64x10)", 'N', 256, 64, 10),
    ("fc1 dW = Xᵀ·dY (784x256 · 256x64)", 'A', 784, 256, 64),
    ("fc2 dW = Xᵀ·dY (64x256 · 256x64)", 'A', 64, 256, 64),
    ("fc3 dW = Xᵀ·dY (64x256 · 256x10)", 'A', 64, 256, 10),
    ("fc2 dX = dY·Wᵀ (256x64 · 64x64)", 'B', 256, 64, 64),
    ("fc3 dX = dY·Wᵀ (256x10 · 10x64)", 'B', 256, 10, 64),
    ("fc1 dX = dY·Wᵀ (256x64 · 64x784)", 'B', 256, 64, 784),
};

Console.WriteLine($"cores: {Environment.ProcessorCount}");
// A Markdown table (it pastes into README.md), printed once every shape is measured; progress goes to stderr meanwhile.
var table = new Table { Border = TableBorder.Markdown };
table.AddColumn("shape").AddColumn(new TableColumn("us").RightAligned()).AddColumn(new TableColumn("GFLOP/s").RightAligned());
foreach (var (name, variant, m, k, n) in shapes)
{
    var a = Random<float>(m * k);
    var b = Random<float>(k * n);
    var c = new float[m * n];
    Report(name, m, k, n, variant switch
    {
        'N' => () => MatMul.Multiply(a, b, c, m, k, n),
        'A' => () => MatMul.MultiplyTransposedA(a, b, c, m, k, n),
        _ => () => MatMul.MultiplyTransposedB(a, b, c, m, k, n),
    });
}
{
    var a = Random<double>(1024 * 1024);
    var b = Random<double>(1024 * 1024);
    var c = new double[1024 * 1024];
    Report("1024^3 A·B in double", 1024, 1024, 1024, () => MatMul.Multiply(a, b, c, 1024, 1024, 1024));
}
// Wide enough never to wrap a row, also when the output is redirected (Spectre assumes 80 columns then).
AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
AnsiConsole.Write(table);

void Report(string name, int m, int k, int n, Action multiply)
{
    double flops = 2.0 * m * n * k;
    int repetitions = (int)Math.Clamp(2e9 / flops, 1, 100_000);
    for (int i = 0; i < Math.Max(3, repetitions / 4); i++) multiply();
    double best = double.MaxValue;
    for (int trial = 0; trial < 7; trial++)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < repetitions; i++) multiply();
        best = Math.Min(best, watch.Elapsed.TotalSeconds / repetitions);
    }
    Console.Error.WriteLine($"# {name}: {best * 1e6:F1} us");
    table.AddRow(Markup.Escape(name), (best * 1e6).ToString("F1", CultureInfo.InvariantCulture), (flops / best / 1e9).ToString("F1", CultureInfo.InvariantCulture));
}

static T[] Random<T>(int length) where T : System.Numerics.IFloatingPoint<T>
{
    var random = new Random(42);
    var values = new T[length];
    for (int i = 0; i < length; i++) values[i] = T.CreateChecked(random.NextDouble() - 0.5);
    return values;
}
