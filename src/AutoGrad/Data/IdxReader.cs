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
        var (stream, decodedLength) = OpenDecoded(path);
        using var _ = stream;
        var dimensions = ReadHeader(stream, path, expectedDimensions: 3);
        int count = dimensions[0], rows = dimensions[1], columns = dimensions[2];
        if (rows == 0 || columns == 0) throw new IdxFormatException(path, $"has images of {rows}x{columns} pixels.");
        long pixelCount = (long)count * rows * columns;
        CheckLength(path, decodedLength, HeaderLength(3), pixelCount, $"{count:N0} images of {rows}x{columns} pixels");
        if (pixelCount > Array.MaxLength) throw new IdxFormatException(path, $"declares {pixelCount:N0} pixels, more than one array can hold.");

        var bytes = ReadPayload(stream, path, (int)pixelCount);
        return new IdxImages(ToUnitFloats(bytes), count, rows, columns);
    }

    /// <summary>Reads an idx1-ubyte label file.</summary>
    /// <param name="path">The file, raw or gzip.</param>
    /// <param name="classCount">Labels must lie in [0, <paramref name="classCount"/>).</param>
    /// <exception cref="IdxFormatException">The file is not an idx1-ubyte file, is truncated, or holds a label out of range.</exception>
    public static byte[] ReadLabels(string path, int classCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var (stream, decodedLength) = OpenDecoded(path);
        using var _ = stream;
        int count = ReadHeader(stream, path, expectedDimensions: 1)[0];
        CheckLength(path, decodedLength, HeaderLength(1), count, $"{count:N0} labels");
        var labels = ReadPayload(stream, path, count);
        if (classCount <= byte.MaxValue)
        {
            int bad = labels.AsSpan().IndexOfAnyInRange((byte)classCount, byte.MaxValue);
            if (bad >= 0) throw new IdxFormatException(path, $"label {bad} is {labels[bad]}, outside the {classCount} classes 0-{classCount - 1}.");
        }
        return labels;
    }

    /// <summary>
    /// The bytes as floats in [0, 1] (each divided by 255), in chunks shared between the cores: the
    /// time goes into the first writes to the new 188 MB array of Fashion-MNIST's training images (in
    /// a virtual machine about 0.6 s on one core, a third of the MNIST sample's start-up), not into
    /// the arithmetic, and the page faults of different chunks are served in parallel.
    /// </summary>
    private static float[] ToUnitFloats(byte[] bytes)
    {
        var pixels = GC.AllocateUninitializedArray<float>(bytes.Length);
        const int Chunk = 1 << 20;
        Parallel.For(0, (bytes.Length + Chunk - 1) / Chunk, chunk =>
        {
            int start = chunk * Chunk, length = Math.Min(Chunk, bytes.Length - start);
            var destination = pixels.AsSpan(start, length);
            TensorPrimitives.ConvertChecked<byte, float>(bytes.AsSpan(start, length), destination);
            TensorPrimitives.Divide(destination, 255f, destination);
        });
        return pixels;
    }

    private static int HeaderLength(int dimensions) => 4 + 4 * dimensions;

    /// <summary>
    /// Opens the file, through a gzip decoder when it starts with the gzip magic, and says how long its decoded
    /// contents are: the file's length, or for gzip the length its trailer records (modulo 2^32, as gzip keeps it).
    /// </summary>
    private static (Stream Stream, DecodedLength Length) OpenDecoded(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            if (read < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
            {
                file.Position = 0;
                return (file, new DecodedLength(file.Length, Gzip: false));
            }
            Span<byte> trailer = stackalloc byte[4];
            if (file.Length < 18) throw new IdxFormatException(path, $"is truncated: {file.Length} bytes is too short for a gzip file.");
            file.Position = file.Length - 4;
            file.ReadExactly(trailer);
            file.Position = 0;
            return (new GZipStream(file, CompressionMode.Decompress), new DecodedLength(BinaryPrimitives.ReadUInt32LittleEndian(trailer), Gzip: true));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private readonly record struct DecodedLength(long Bytes, bool Gzip);

    /// <summary>Checks the sizes a header declares against the bytes the file holds, before anything that size is allocated.</summary>
    private static void CheckLength(string path, DecodedLength actual, int headerLength, long payloadLength, string declared)
    {
        long expected = headerLength + payloadLength;
        bool matches = actual.Gzip ? (uint)expected == actual.Bytes : expected == actual.Bytes;
        if (matches) return;
        string holds = actual.Gzip ? $"its gzip trailer records {actual.Bytes:N0} bytes of data" : $"the file holds {actual.Bytes:N0} bytes";
        throw new IdxFormatException(path, expected > actual.Bytes
            ? $"is truncated or has a wrong header: the header declares {declared}, which take {expected:N0} bytes, but {holds}."
            : $"has a wrong header or trailing data: the header declares {declared}, which take {expected:N0} bytes, but {holds}.");
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
            throw new IdxFormatException(path, $"is corrupt: its gzip-compressed data cannot be decompressed (while reading {what}, the decoder reported: {e.Message}).", e);
        }
        if (read < buffer.Length)
            throw new IdxFormatException(path, $"is truncated: {what} needs {buffer.Length} bytes, but only {read} remain.");
    }
}
