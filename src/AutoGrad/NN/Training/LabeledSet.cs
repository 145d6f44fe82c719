using AutoGrad.Data;

namespace AutoGrad.NN;

/// <summary>Samples for classification: a row-major <c>Count × FeatureCount</c> feature matrix and one class label per row.</summary>
public sealed class LabeledSet
{
    /// <summary>Wraps features and labels without copying them.</summary>
    /// <param name="features">The samples, one row of <paramref name="featureCount"/> values after another.</param>
    /// <param name="labels">The class of each sample.</param>
    /// <param name="featureCount">Values per sample.</param>
    public LabeledSet(float[] features, byte[] labels, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException($"{labels.Length} samples of {featureCount} features need {(long)labels.Length * featureCount} values, not {features.Length}.", nameof(features));
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    /// <summary>The feature matrix, <see cref="Count"/> × <see cref="FeatureCount"/>, row-major.</summary>
    public float[] Features { get; }

    /// <summary>The class of each sample.</summary>
    public byte[] Labels { get; }

    /// <summary>Values per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    /// <param name="index">Which sample, from 0.</param>
    public ReadOnlySpan<float> Sample(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>The first <paramref name="count"/> samples (or all, if there are fewer), sharing no storage with this set.</summary>
    /// <param name="count">How many samples to keep.</param>
    public LabeledSet Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Count);
        return new LabeledSet(Features.AsSpan(0, count * FeatureCount).ToArray(), Labels.AsSpan(0, count).ToArray(), FeatureCount);
    }

    /// <summary>Views labelled images as a set whose features are the pixels.</summary>
    /// <param name="images">Images and labels, for example a split of an <see cref="MnistDataSet"/>.</param>
    public static LabeledSet From(LabeledImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return new LabeledSet(images.Images.Pixels, images.Labels, images.Images.PixelsPerImage);
    }
}
