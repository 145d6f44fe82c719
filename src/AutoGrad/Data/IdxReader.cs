using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics.Tensors;

namespace AutoGrad.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a magic number (two zero bytes,
/// a type code, the number of dimensions), one big-endian 32-bit size per dimension, then
/// the data. Files may be gzip-compressed (recognised by their 1f 8b magic) or raw.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an idx3-ubyte image file, scaling pixels from 0–255 to [0, 1].</summary>
    /// <param name="path">The file, raw or gzip.</param>
    /// <exception cref="IdxFormatException">The file is not an idx3-ubyte file, or is truncated.</exception>
    public static IdxImages ReadImages(string path)
    {
        using var stream = OpenDecoded(path);
        var dimensions = ReadHeader(stream, path, expectedDimensions: 3);
        int count = dimensions[0], rows = dimensions[1], columns = dimensions[2];
        if (rows == 0 || columns == 0) throw new IdxFormatException(path, $"has images of {rows}x{columns} pixels.");
        long pixelCount = (long)count * rows * columns;
        if (pixelCount > Array.MaxLength) throw new IdxFormatException(path, $"declares {pixelCount} pixels, more than one array can hold.");

        var bytes = ReadPayload(stream, path, (int)pixelCount);
        var pixels = new float[pixelCount];
        TensorPrimitives.ConvertChecked<byte, float>(bytes, pixels);
        TensorPrimitives.Divide(pixels, 255f, pixels);
        return new IdxImages(pixels, count, rows, columns);
    }

    /// <summary>Reads an idx1-ubyte label file.</summary>
    /// <param name="path">The file, raw or gzip.</param>
    /// <param name="classCount">Labels must lie in [0, <paramref name="classCount"/>).</param>
    /// <exception cref="IdxFormatException">The file is not an idx1-ubyte file, is truncated, or holds a label out of range.</exception>
    public static byte[] ReadLabels(string path, int classCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        using var stream = OpenDecoded(path);
        int count = ReadHeader(stream, path, expectedDimensions: 1)[0];
        var labels = ReadPayload(stream, path, count);
        if (classCount <= byte.MaxValue)
        {
            int bad = labels.AsSpan().IndexOfAnyInRange((byte)classCount, byte.MaxValue);
            if (bad >= 0) throw new IdxFormatException(path, $"label {bad} is {labels[bad]}, outside the {classCount} classes 0-{classCount - 1}.");
        }
        return labels;
    }

    /// <summary>Opens the file, through a gzip decoder when it starts with the gzip magic.</summary>
    private static Stream OpenDecoded(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static int[] ReadHeader(Stream stream, string path, int expectedDimensions)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, path, magic, "the magic number");
        int expectedMagic = UnsignedByteType << 8 | expectedDimensions;
        int actualMagic = BinaryPrimitives.ReadInt32BigEndian(magic);
        if (actualMagic != expectedMagic)
        {
            throw new IdxFormatException(path,
                $"magic number 0x{actualMagic:X8} is not 0x{expectedMagic:X8} (unsigned bytes in {expectedDimensions} dimension{(expectedDimensions == 1 ? "" : "s")}); is this the right file?");
        }

        var dimensions = new int[expectedDimensions];
        Span<byte> size = stackalloc byte[4];
        for (int i = 0; i < dimensions.Length; i++)
        {
            ReadExactly(stream, path, size, "the dimension sizes");
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(size);
            if (dimensions[i] < 0) throw new IdxFormatException(path, $"dimension {i} has a negative size, {dimensions[i]}.");
        }
        return dimensions;
    }

    private static byte[] ReadPayload(Stream stream, string path, int length)
    {
        var data = GC.AllocateUninitializedArray<byte>(length);
        ReadExactly(stream, path, data, "the data");
        return data;
    }

    private static void ReadExactly(Stream stream, string path, Span<byte> buffer, string what)
    {
        int read;
        try
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"cannot be decompressed while reading {what}: {e.Message}", e);
        }
        if (read < buffer.Length)
            throw new IdxFormatException(path, $"is truncated: {what} needs {buffer.Length} bytes, but only {read} remain.");
    }
}
