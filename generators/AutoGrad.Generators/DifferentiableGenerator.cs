using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators;

/// <summary>Emits reverse-mode gradients for methods marked <c>[Differentiable]</c>.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
