namespace AutoGrad.Data;

/// <summary>Images with one class label each, read from a matching idx3/idx1 pair.</summary>
public sealed class LabeledImages
{
    /// <summary>Pairs images with labels; both must have the same count.</summary>
    /// <param name="images">The images.</param>
    /// <param name="labels">One label per image.</param>
    /// <param name="classCount">The number of classes; every label is below it.</param>
    public LabeledImages(IdxImages images, byte[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (images.Count != labels.Length)
            throw new ArgumentException($"{images.Count} images need as many labels, not {labels.Length}.", nameof(labels));
        if (classCount <= byte.MaxValue && labels.AsSpan().IndexOfAnyInRange((byte)classCount, byte.MaxValue) is int bad and >= 0)
            throw new ArgumentException($"Label {bad} is {labels[bad]}, outside the {classCount} classes.", nameof(labels));
        Images = images;
        Labels = labels;
        ClassCount = classCount;
    }

    /// <summary>The images, scaled to [0, 1].</summary>
    public IdxImages Images { get; }

    /// <summary>The class of each image, in [0, <see cref="ClassCount"/>).</summary>
    public byte[] Labels { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The number of labelled images.</summary>
    public int Count => Labels.Length;

    /// <summary>Reads an image file and its label file, checking that they agree.</summary>
    /// <param name="imagesPath">The idx3-ubyte file, raw or gzip.</param>
    /// <param name="labelsPath">The idx1-ubyte file, raw or gzip.</param>
    /// <param name="classCount">Labels must lie in [0, <paramref name="classCount"/>).</param>
    /// <exception cref="IdxFormatException">A file is malformed, or the two hold different numbers of items.</exception>
    public static LabeledImages Load(string imagesPath, string labelsPath, int classCount = 10)
    {
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath, classCount);
        if (images.Count != labels.Length)
            throw new IdxFormatException(labelsPath, $"holds {labels.Length} labels, but {imagesPath} holds {images.Count} images.");
        return new LabeledImages(images, labels, classCount);
    }
}
