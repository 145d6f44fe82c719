namespace AutoGrad.Gpu.Activations;

/// <summary>
/// An activation as the element-wise kernels see it: a struct type argument, so ILGPU compiles one specialised
/// kernel per activation. <c>parameter</c> is the layer's slope or alpha (ignored by the others).
/// </summary>
internal interface IKernelActivation
{
    float Value(float x, float parameter);

    /// <summary><c>dy · f'(x)</c>, from the generated pullback.</summary>
    float Pullback(float x, float parameter, float dy);
}

internal readonly struct SigmoidActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Sigmoid(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.SigmoidPullback(x, dy, ref dx);
        return dx;
    }
}

internal readonly struct TanhActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Tanh(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.TanhPullback(x, dy, ref dx);
        return dx;
    }
}

internal readonly struct ReluActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Relu(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.ReluPullback(x, dy, ref dx);
        return dx;
    }
}

internal readonly struct LeakyReluActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.LeakyRelu(x, parameter);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.LeakyReluPullback(x, parameter, dy, ref dx);
        return dx;
    }
}

internal readonly struct AbsoluteLeakyReluActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.AbsoluteLeakyRelu(x, parameter);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.AbsoluteLeakyReluPullback(x, parameter, dy, ref dx);
        return dx;
    }
}

internal readonly struct EluActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Elu(x, parameter);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.EluPullback(x, parameter, dy, ref dx);
        return dx;
    }
}

internal readonly struct SeluActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Selu(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.SeluPullback(x, dy, ref dx);
        return dx;
    }
}

internal readonly struct GeluActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Gelu(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.GeluPullback(x, dy, ref dx);
        return dx;
    }
}

internal readonly struct SwishActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Swish(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.SwishPullback(x, dy, ref dx);
        return dx;
    }
}

internal readonly struct MishActivation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Mish(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.MishPullback(x, dy, ref dx);
        return dx;
    }
}

internal readonly struct Relu6Activation : IKernelActivation
{
    public float Value(float x, float parameter) => KernelActivations.Relu6(x);

    public float Pullback(float x, float parameter, float dy)
    {
        float dx = 0;
        KernelActivations.Relu6Pullback(x, dy, ref dx);
        return dx;
    }
}
