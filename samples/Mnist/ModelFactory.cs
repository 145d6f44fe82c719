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

    /// <summary>Rebuilds an (uninitialised) model from a string made by <see cref="Architecture"/>.</summary>
    public static Sequential FromArchitecture(string architecture)
    {
        var parts = architecture.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "mlp") throw new FormatException($"Unknown model architecture '{architecture}'; expected 'mlp SIZES ACTIVATION'.");
        var sizes = parts[1].Split('-').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (sizes.Length < 2) throw new FormatException($"The architecture '{architecture}' needs at least an input and an output size.");
        return Sequential.Perceptron(sizes[0], sizes[1..^1], sizes[^1], ParseActivation(parts[2]));
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

    public static int[] ParseHidden(string text) =>
        string.IsNullOrWhiteSpace(text) || text.Trim() == "none"
            ? []
            : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
                int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
                    ? size
                    : throw new ArgumentException($"Hidden layer size '{s}' is not a positive integer (use e.g. --hidden 64,64,64, or --hidden none).")).ToArray();

    private static string Normalise(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();
}
