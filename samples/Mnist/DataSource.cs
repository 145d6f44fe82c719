using AutoGrad.Data;

namespace Mnist;

/// <summary>A loaded data set and the name to call it by in messages, titles and summaries.</summary>
/// <param name="Prefix">The file-name prefix (<c>--prefix</c>); the checkpoint and summary record it.</param>
/// <param name="Name">What to call it, such as "Fashion-MNIST".</param>
/// <param name="Set">The two splits.</param>
internal sealed record DataSource(string Prefix, string Name, MnistDataSet Set)
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "data", "mnist10k");

    /// <summary>Loads the <paramref name="prefix"/> files from <paramref name="directory"/> (default: the embedded mnist10k set).</summary>
    /// <exception cref="ArgumentException">A split holds no images.</exception>
    public static DataSource Load(string? directory, string prefix)
    {
        directory ??= DefaultDirectory;
        var set = MnistDataSet.Load(directory, prefix);
        string name = NameOf(prefix);
        foreach (var (split, files, count) in new[] { ("training", "train", set.Train.Count), ("test", "t10k", set.Test.Count) })
        {
            if (count == 0) throw new ArgumentException($"The {split} split of {name} ({prefix}-{files}-* in {directory}) holds no images.");
        }
        return new DataSource(prefix, name, set);
    }

    /// <summary>The usual name of the data sets this sample knows by prefix; any other prefix names itself.</summary>
    public static string NameOf(string prefix) => prefix switch
    {
        MnistDataSet.SmallMnistPrefix => "MNIST (10k)",
        MnistDataSet.FashionPrefix => "Fashion-MNIST",
        "mnist" => "MNIST",
        _ => prefix,
    };

    /// <summary>"60,000 training and 10,000 test images of Fashion-MNIST".</summary>
    public string Describe() => $"{Set.Train.Count:N0} training and {Set.Test.Count:N0} test images of {Name}";
}
