namespace AutoGrad.Data;

/// <summary>
/// A training and a test split in the MNIST file layout:
/// <c>{prefix}-train-images-idx3-ubyte</c>, <c>{prefix}-train-labels-idx1-ubyte</c>,
/// <c>{prefix}-t10k-images-idx3-ubyte</c> and <c>{prefix}-t10k-labels-idx1-ubyte</c>, each
/// raw or with a <c>.gz</c> suffix.
/// </summary>
public sealed class MnistDataSet
{
    /// <summary>The prefix of the 10,000-digit MNIST set embedded in the repository under <c>data/mnist10k</c>.</summary>
    public const string SmallMnistPrefix = "mnist10k";

    /// <summary>The prefix of the Fashion-MNIST files.</summary>
    public const string FashionPrefix = "fashion";

    private MnistDataSet(LabeledImages train, LabeledImages test)
    {
        Train = train;
        Test = test;
    }

    /// <summary>The training split.</summary>
    public LabeledImages Train { get; }

    /// <summary>The test split.</summary>
    public LabeledImages Test { get; }

    /// <summary>Loads both splits from <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder holding the four files.</param>
    /// <param name="prefix">The file-name prefix, such as <see cref="SmallMnistPrefix"/> or <see cref="FashionPrefix"/>.</param>
    /// <param name="classCount">Labels must lie in [0, <paramref name="classCount"/>).</param>
    /// <exception cref="FileNotFoundException">A file is missing in both its raw and its gzip form.</exception>
    /// <exception cref="IdxFormatException">A file is malformed, or a split's files disagree.</exception>
    public static MnistDataSet Load(string directory, string prefix = SmallMnistPrefix, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(prefix);
        // The test split decodes on another core while this one decodes the (six times larger) training split.
        var test = Task.Run(() => LoadSplit(directory, prefix, "t10k", classCount));
        LabeledImages train;
        try
        {
            train = LoadSplit(directory, prefix, "train", classCount);
        }
        catch
        {
            // The training split's error is the one reported; the test split's task still ends first.
            try { test.Wait(); } catch (AggregateException) { }
            throw;
        }
        return new MnistDataSet(train, test.GetAwaiter().GetResult());
    }

    private static LabeledImages LoadSplit(string directory, string prefix, string split, int classCount) =>
        LabeledImages.Load(
            FindFile(directory, $"{prefix}-{split}-images-idx3-ubyte"),
            FindFile(directory, $"{prefix}-{split}-labels-idx1-ubyte"),
            classCount);

    private static string FindFile(string directory, string name)
    {
        string raw = Path.Combine(directory, name);
        string compressed = raw + ".gz";
        if (File.Exists(compressed)) return compressed;
        if (File.Exists(raw)) return raw;
        throw new FileNotFoundException($"Neither {compressed} nor {raw} exists.", compressed);
    }
}
