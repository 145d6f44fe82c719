using System.Text.Json.Serialization;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>One workload's measurements: median microseconds per call, and bytes allocated per warmed-up gradient call.</summary>
public sealed record CompareRow(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("primal_us")] double PrimalUs,
    [property: JsonPropertyName("generated_us")] double GeneratedUs,
    [property: JsonPropertyName("tape_us")] double TapeUs,
    [property: JsonPropertyName("handwritten_us")] double HandWrittenUs,
    [property: JsonPropertyName("generated_bytes_per_call")] double GeneratedBytesPerCall,
    [property: JsonPropertyName("tape_bytes_per_call")] double TapeBytesPerCall,
    [property: JsonPropertyName("check")] string Check);

/// <summary>Source-generated JSON for the rows (no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<CompareRow>))]
public sealed partial class CompareJson : JsonSerializerContext;
