using System.Buffers.Binary;
using System.IO.Compression;
using AutoGrad.Data;

namespace AutoGrad.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autograd-idx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_scaled_to_unit_range(bool gzip)
    {
        byte[] pixels = [0, 51, 255, 1, 2, 3, 10, 20, 30, 40, 50, 60];
        string path = Write("images", Idx(3, [2, 2, 3], pixels), gzip);

        var images = IdxReader.ReadImages(path);

        Assert.Equal((2, 2, 3), (images.Count, images.Rows, images.Columns));
        Assert.Equal(pixels.Select(p => p / 255f), images.Pixels);
        Assert.Equal([10 / 255f, 20 / 255f, 30 / 255f, 40 / 255f, 50 / 255f, 60 / 255f], images.Image(1).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_labels(bool gzip)
    {
        string path = Write("labels", Idx(1, [4], [3, 0, 9, 1]), gzip);

        Assert.Equal([3, 0, 9, 1], IdxReader.ReadLabels(path));
    }

    [Fact]
    public void Wrong_magic_number_names_the_file()
    {
        string labels = Write("labels", Idx(1, [2], [1, 2]), gzip: false);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(labels));

        Assert.Equal(labels, error.FileName);
        Assert.Contains(labels, error.Message);
        Assert.Contains("magic number 0x00000801", error.Message);
    }

    [Fact]
    public void Non_idx_data_is_rejected()
    {
        string path = Write("text", "hello, world"u8.ToArray(), gzip: false);

        Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(false, 10)]
    [InlineData(false, 20)]
    [InlineData(true, 10)]
    [InlineData(true, 20)]
    public void Truncated_file_names_the_file(bool gzip, int keptBytes)
    {
        var whole = Idx(3, [2, 2, 3], new byte[12]);
        string path = Write("images", whole[..keptBytes], gzip);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_is_a_format_error()
    {
        string whole = Write("images", Idx(3, [50, 28, 28], Enumerable.Range(0, 50 * 784).Select(i => (byte)(i * 7919 % 251)).ToArray()), gzip: true);
        var compressed = File.ReadAllBytes(whole);
        string path = Path.Combine(_directory, "cut.gz");
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FileName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_declaring_more_than_the_file_holds_is_refused_before_allocating(bool gzip)
    {
        var bytes = Idx(1, [3], [1, 2, 3]);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), int.MaxValue);
        string path = Write("labels", bytes, gzip);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the declared size was allocated");
        Assert.Contains(path, error.Message);
        Assert.Contains("declares 2,147,483,647 labels, which take 2,147,483,655 bytes", error.Message);
        Assert.Contains(gzip ? "its gzip trailer records 11 bytes" : "the file holds 11 bytes", error.Message);
    }

    [Fact]
    public void Trailing_bytes_after_the_declared_data_are_named()
    {
        string path = Write("images", [.. Idx(3, [1, 2, 2], [1, 2, 3, 4]), 99], gzip: false);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("trailing data: the header declares 1 images of 2x2 pixels, which take 20 bytes, but the file holds 21 bytes", error.Message);
    }

    [Fact]
    public void A_corrupt_gzip_body_says_the_compressed_data_is_corrupt()
    {
        string path = Write("images", Idx(3, [50, 28, 28], Enumerable.Range(0, 50 * 784).Select(i => (byte)(i * 7919 % 251)).ToArray()), gzip: true);
        var compressed = File.ReadAllBytes(path);
        for (int i = 20; i < compressed.Length - 8; i += 3) compressed[i] ^= 0x5a;
        File.WriteAllBytes(path, compressed);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith(path + ": is corrupt: its gzip-compressed data cannot be decompressed", error.Message);
    }

    [Fact]
    public void Label_out_of_range_names_the_file_and_the_label()
    {
        string path = Write("labels", Idx(1, [3], [1, 10, 2]), gzip: false);

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("label 1 is 10", error.Message);

        Assert.Equal([1, 10, 2], IdxReader.ReadLabels(path, classCount: 11));
    }

    [Fact]
    public void Mismatched_image_and_label_counts_name_both_files()
    {
        string images = Write("images", Idx(3, [2, 1, 1], [0, 255]), gzip: false);
        string labels = Write("labels", Idx(1, [3], [0, 1, 2]), gzip: false);

        var error = Assert.Throws<IdxFormatException>(() => LabeledImages.Load(images, labels));

        Assert.Contains(images, error.Message);
        Assert.Contains(labels, error.Message);
    }

    [Fact]
    public void Data_set_reports_a_missing_file()
    {
        Write("x-train-images-idx3-ubyte", Idx(3, [1, 1, 1], [0]), gzip: false);

        var error = Assert.Throws<FileNotFoundException>(() => MnistDataSet.Load(_directory, "x"));

        Assert.Contains("x-train-labels-idx1-ubyte", error.Message);
    }

    [Fact]
    public void Data_set_reads_raw_and_gzip_files_side_by_side()
    {
        Write("x-train-images-idx3-ubyte", Idx(3, [2, 1, 2], [0, 255, 255, 0]), gzip: true);
        Write("x-train-labels-idx1-ubyte", Idx(1, [2], [1, 0]), gzip: false);
        Write("x-t10k-images-idx3-ubyte", Idx(3, [1, 1, 2], [255, 255]), gzip: false);
        Write("x-t10k-labels-idx1-ubyte", Idx(1, [1], [1]), gzip: true);

        var data = MnistDataSet.Load(_directory, "x", classCount: 2);

        Assert.Equal([0f, 1f, 1f, 0f], data.Train.Images.Pixels);
        Assert.Equal([1, 0], data.Train.Labels);
        Assert.Equal(1, data.Test.Count);
        Assert.Equal(2, data.Test.ClassCount);
    }

    [Fact]
    public void Labeled_images_check_their_arguments()
    {
        var images = new IdxImages([0f, 1f], 2, 1, 1);

        Assert.Throws<ArgumentException>("labels", () => new LabeledImages(images, [0], 10));
        Assert.Throws<ArgumentException>("labels", () => new LabeledImages(images, [0, 3], 3));
        Assert.Equal(2, new LabeledImages(images, [0, 2], 3).Count);
    }

    private static byte[] Idx(int dimensionCount, int[] sizes, byte[] data)
    {
        var bytes = new byte[4 + 4 * sizes.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensionCount;
        for (int i = 0; i < sizes.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), sizes[i]);
        data.CopyTo(bytes, 4 + 4 * sizes.Length);
        return bytes;
    }

    private string Write(string name, byte[] content, bool gzip)
    {
        string path = Path.Combine(_directory, gzip ? name + ".gz" : name);
        using var file = File.Create(path);
        if (gzip)
        {
            using var compressor = new GZipStream(file, CompressionLevel.Optimal);
            compressor.Write(content);
        }
        else
        {
            file.Write(content);
        }
        return path;
    }
}
