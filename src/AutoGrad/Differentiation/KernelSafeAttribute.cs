namespace AutoGrad.Differentiation;

/// <summary>
/// Marks a generated method that can run inside a GPU kernel: static, over scalars only, and free of pooled state,
/// arrays and calls other than <c>Math</c>/<c>MathF</c> functions. ILGPU compiles such a method into a kernel that
/// calls it, so a user's own activation or loss gets its derivative on the accelerator from the same source
/// (see the README's "Generated pullbacks inside your own ILGPU kernels"). The generator puts it on the
/// <c>NamePullback</c> of a scalar [Differentiable] method whose reverse sweep needs no stack or buffer.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class KernelSafeAttribute : Attribute
{
}
