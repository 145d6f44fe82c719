namespace AutoGrad.Data;

/// <summary>Greyscale images from an idx3-ubyte file, as floats scaled from 0–255 to [0, 1].</summary>
public sealed class IdxImages
{
    /// <summary>Wraps pixel data; <paramref name="pixels"/> holds <paramref name="count"/> images of <paramref name="rows"/> × <paramref name="columns"/>, row-major, one after another.</summary>
    /// <param name="pixels">The pixels, image after image.</param>
    /// <param name="count">The number of images.</param>
    /// <param name="rows">Rows of each image.</param>
    /// <param name="columns">Columns of each image.</param>
    public IdxImages(float[] pixels, int count, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (pixels.Length != (long)count * rows * columns)
            throw new ArgumentException($"{count} images of {rows}x{columns} need {(long)count * rows * columns} pixels, not {pixels.Length}.", nameof(pixels));
        Pixels = pixels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>All pixels, image after image, each row-major: a <see cref="Count"/> × <see cref="PixelsPerImage"/> matrix.</summary>
    public float[] Pixels { get; }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>Rows of each image (28 for MNIST).</summary>
    public int Rows { get; }

    /// <summary>Columns of each image (28 for MNIST).</summary>
    public int Columns { get; }

    /// <summary>Pixels of one image: <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <param name="index">Which image, from 0.</param>
    public ReadOnlySpan<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
