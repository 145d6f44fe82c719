using System.Globalization;
using AutoGrad.NN;
using AutoGrad.NN.Layers;

namespace Mnist;

/// <summary>The one place that turns command-line choices into a model, and a saved architecture string back into one.</summary>
internal static class ModelFactory
{
    /// <summary>A multilayer perceptron (no hidden layers: softmax regression) ending in logits for softmax cross-entropy.</summary>
    public static Sequential Create(int inputs, IReadOnlyList<int> hidden, int classes, ActivationKind activation, Initialization initialization, int seed) =>
        Sequential.Perceptron(inputs, hidden, classes, activation, initialization).Initialize(seed);

    /// <summary>Describes the model so <see cref="FromArchitecture"/> can rebuild it: <c>mlp 784-64-64-64-10 relu</c>.</summary>
    public static string Architecture(int inputs, IReadOnlyList<int> hidden, int classes, ActivationKind activation) =>
        $"mlp {string.Join('-', new[] { inputs }.Concat(hidden).Append(classes))} {ActivationName(activation)}";

    /// <summary>The layer sizes (inputs, hidden..., classes) and activation of a string made by <see cref="Architecture"/>.</summary>
    /// <exception cref="FormatException">The string is not such a description.</exception>
    public static (int[] Sizes, ActivationKind Activation) ParseArchitecture(string architecture)
    {
        var parts = architecture.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "mlp") throw new FormatException($"Unknown model architecture '{architecture}'; expected 'mlp SIZES ACTIVATION'.");
        var sizes = parts[1].Split('-').Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0
            ? size
            : throw new FormatException($"The architecture '{architecture}' has the layer size '{s}', which is not a positive whole number below {int.MaxValue:N0}.")).ToArray();
        if (sizes.Length < 2) throw new FormatException($"The architecture '{architecture}' needs at least an input and an output size.");
        try
        {
            return (sizes, ParseActivation(parts[2]));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The architecture '{architecture}' names an unknown activation. {e.Message}");
        }
    }

    /// <summary>Rebuilds an (uninitialised) model from a string made by <see cref="Architecture"/>, once its size is known to fit.</summary>
    /// <param name="architecture">The description.</param>
    /// <param name="batchSize">The samples per step it will see, for the size check.</param>
    /// <exception cref="FormatException">The string is not such a description, or describes a model too large to build here.</exception>
    public static Sequential FromArchitecture(string architecture, int batchSize = 1)
    {
        var (sizes, activation) = ParseArchitecture(architecture);
        if (SizeProblem(sizes, batchSize) is { } problem) throw new FormatException($"The architecture '{architecture}' {problem}");
        return Sequential.Perceptron(sizes[0], sizes[1..^1], sizes[^1], activation);
    }

    /// <summary>
    /// Why a perceptron with these layer sizes cannot be trained here in batches of <paramref name="batchSize"/>
    /// (a parameter or activation array beyond what .NET can index, or more memory than the machine has), or null when it can.
    /// Counted in 64 bits, so huge sizes are reported rather than wrapped around.
    /// </summary>
    public static string? SizeProblem(IReadOnlyList<int> sizes, int batchSize)
    {
        long parameters = 0, activations = 0;
        for (int i = 1; i < sizes.Count; i++)
        {
            parameters += ((long)sizes[i - 1] + 1) * sizes[i];
            activations += sizes[i];
        }
        long widest = (long)sizes.Max() * batchSize;
        if (parameters > Array.MaxLength)
            return $"needs {parameters:N0} parameters, more than the {Array.MaxLength:N0} one array can hold.";
        if (widest > Array.MaxLength)
            return $"needs {widest:N0} values for one layer of a batch of {batchSize:N0}, more than the {Array.MaxLength:N0} one array can hold.";
        // Parameters, gradient, two optimizer buffers (Adam) and a spare copy; each layer's outputs and their gradients per sample.
        double bytes = 4.0 * (5 * parameters + 2 * activations * batchSize + (long)sizes[0] * batchSize);
        double available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return bytes > available
            ? $"needs about {bytes / (1 << 30):N1} GiB for its parameters, optimizer state and a batch of {batchSize:N0}, more than the {available / (1 << 30):N1} GiB available."
            : null;
    }

    public static ActivationKind ParseActivation(string name)
    {
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            if (ActivationName(kind) == Normalise(name)) return kind;
        }
        throw new ArgumentException($"Unknown activation '{name}'; expected one of {string.Join(", ", Enum.GetValues<ActivationKind>().Select(ActivationName))}.");
    }

    public static string ActivationName(ActivationKind kind) => Normalise(kind.ToString());

    public static Initialization ParseInitialization(string name) => Normalise(name) switch
    {
        "fanin" or "uniformfanin" => Initialization.UniformFanIn,
        "uniform" or "uniform03" => Initialization.Uniform03,
        "glorot" or "xavier" => Initialization.Glorot,
        "he" or "heuniform" => Initialization.He,
        "henormal" => Initialization.HeNormal,
        _ => throw new ArgumentException($"Unknown initialisation '{name}'; expected fan-in, uniform, glorot, he or he-normal."),
    };

    /// <summary>Hidden layer sizes from <c>--hidden</c>: positive whole numbers separated by commas, or <c>none</c>.</summary>
    /// <exception cref="ArgumentException">Anything else, quoted.</exception>
    public static int[] ParseHidden(string text) =>
        text.Trim() == "none"
            ? []
            : text.Split(',', StringSplitOptions.TrimEntries).Select(s =>
                int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
                    ? size
                    : throw new ArgumentException(
                        $"--hidden '{text}': '{s}' is not a layer size; give positive whole numbers separated by commas, such as 64,64,64, or 'none'.")).ToArray();

    private static string Normalise(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();
}
