using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// Issue 8, point 3: a compilation that only references the AutoGrad assembly finds the [DerivativeOf] rules
/// and [Differentiable] methods in its metadata.
/// </summary>
public class ReferencedAssemblyTests
{
    [Fact]
    public void Rules_and_differentiable_methods_of_a_referenced_assembly_are_found()
    {
        var source = """
            using System;
            using AutoGrad;
            using AutoGrad.NN;
            using AutoGrad.NN.Functional;
            public static partial class MyLayer
            {
                [Differentiable]
                public static float Loss(ReadOnlySpan<float> w, ReadOnlySpan<float> b, [NoGradient] ReadOnlySpan<float> x, int n)
                {
                    float[] y = new float[n];
                    Layers.Dense(x, w, b, y, 1, n, n);
                    float[] p = new float[n];
                    Primitives.Softmax(y, p, 1, n);
                    return p[0];
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var generated = GeneratorHarness.Generated(result);
        Assert.Contains("global::AutoGrad.NN.Primitives.SoftmaxPullback(", generated);
        Assert.Contains("global::AutoGrad.NN.Functional.Layers.DenseReverse(", generated);
    }

    [Fact]
    public void The_compilations_own_rule_for_a_referenced_method_is_used()
    {
        var source = """
            using System;
            using AutoGrad;
            using AutoGrad.NN;
            public static partial class Mine
            {
                [DerivativeOf(typeof(Primitives), nameof(Primitives.Relu), ReadsOutputs = false)]
                public static void MyReluPullback(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy, Span<float> dx) { }

                [Differentiable]
                public static void F(ReadOnlySpan<float> x, Span<float> y) => Primitives.Relu(x, y);
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var generated = GeneratorHarness.Generated(result);
        Assert.Contains("global::Mine.MyReluPullback(", generated);
        Assert.DoesNotContain("Primitives.ReluPullback(", generated);
    }
}
