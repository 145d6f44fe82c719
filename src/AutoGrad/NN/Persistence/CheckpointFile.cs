using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGrad.IO;

namespace AutoGrad.NN;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SettingsJson : JsonSerializerContext;

/// <summary>
/// Saves and loads <see cref="Checkpoint"/>s in a versioned, checksummed binary format.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian), version 3 (still read: version 2, which ends after the schedule, and version 1, which ends after the buffers):</para>
/// <code>
/// "AGCK"                     4 bytes  magic
/// version                    int32    3
/// file length                int64    the whole file, checksum included
/// architecture               int32 byte count + UTF-8
/// input size, output size    int32, int32
/// epoch                      int32
/// parameters                 int32 count + float32[count]
/// has optimizer              byte 0 or 1; if 1:
///   kind                     int32 byte count + UTF-8
///   learning rate            float32
///   step count               int64
///   buffers                  int32 count, then each: int32 length + float32[length]
///   schedule                 int32 byte count + UTF-8 JSON (<see cref="LearningRateSchedule.ToJson"/>); 0 bytes: none
/// settings                   int32 byte count + UTF-8 JSON object of strings (<see cref="Checkpoint.Settings"/>)
/// SHA-256                    32 bytes over everything before it
/// </code>
/// <para>Saving goes through <see cref="AtomicFile"/>: a crash mid-write never leaves a half-written
/// checkpoint under the real name, and the temporaries of earlier crashed writes are removed.</para>
/// <para>New run settings go into the settings object, which needs no new version; a new field outside it
/// gets a new version, and the reader keeps reading every older one.</para>
/// </remarks>
public static class CheckpointFile
{
    /// <summary>The format version this code writes; it also reads version 2 (before run settings) and 1 (before schedules).</summary>
    public const int Version = 3;

    private static ReadOnlySpan<byte> Magic => "AGCK"u8;
    private const int HashLength = 32;
    private const int HeaderLength = 4 + 4 + 8;

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically, replacing any file there.</summary>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    /// <param name="checkpoint">What to save.</param>
    public static void Save(string path, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(checkpoint);
        AtomicFile.Write(path, Serialize(checkpoint));
    }

    /// <summary>Reads a checkpoint, checking its magic number, version, length and checksum.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint of this version, or is truncated or corrupt.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such checkpoint file.", path);
        return Deserialize(File.ReadAllBytes(path), path);
    }

    internal static byte[] Serialize(Checkpoint checkpoint)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(0L); // the file length, patched below
            WriteString(writer, checkpoint.Architecture);
            writer.Write(checkpoint.InputSize);
            writer.Write(checkpoint.OutputSize);
            writer.Write(checkpoint.Epoch);
            WriteFloats(writer, checkpoint.Parameters);
            var optimizer = checkpoint.Optimizer;
            writer.Write(optimizer is null ? (byte)0 : (byte)1);
            if (optimizer is not null)
            {
                WriteString(writer, optimizer.Kind);
                writer.Write(optimizer.LearningRate);
                writer.Write(optimizer.StepCount);
                writer.Write(optimizer.State.Count);
                foreach (var buffer in optimizer.State) WriteFloats(writer, buffer);
                WriteString(writer, optimizer.Schedule?.ToJson() ?? "");
            }
            WriteString(writer, JsonSerializer.Serialize(checkpoint.Settings.ToDictionary(), SettingsJson.Default.DictionaryStringString));
        }
        long length = stream.Length + HashLength;
        stream.Position = 8;
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, length);
        stream.Write(lengthBytes);
        stream.Position = stream.Length;
        stream.Write(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
        return stream.ToArray();
    }

    internal static Checkpoint Deserialize(byte[] bytes, string fileName)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointFormatException(fileName, "is not an AutoGrad checkpoint (its first bytes are not the magic number \"AGCK\").");
        if (bytes.Length < HeaderLength)
            throw new CheckpointFormatException(fileName, $"is truncated: {bytes.Length} bytes is shorter than the {HeaderLength}-byte header.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (version is < 1 or > Version)
            throw new CheckpointFormatException(fileName, $"has format version {version}; this build reads versions 1 to {Version}.");
        long declared = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (bytes.Length < declared)
            throw new CheckpointFormatException(fileName, $"is truncated: its header declares {declared} bytes but the file has {bytes.Length}.");
        if (bytes.Length != declared || declared < HeaderLength + HashLength)
            throw new CheckpointFormatException(fileName, $"is corrupt: its header declares {declared} bytes but the file has {bytes.Length}.");
        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            throw new CheckpointFormatException(fileName, "is corrupt: its SHA-256 checksum does not match its contents.");

        var reader = new SpanReader(bytes.AsSpan(HeaderLength, body.Length - HeaderLength).ToArray(), fileName);
        string architecture = reader.String();
        int inputSize = reader.Int32();
        int outputSize = reader.Int32();
        int epoch = reader.Int32();
        float[] parameters = reader.Floats();
        OptimizerSnapshot? optimizer = null;
        if (reader.Byte() == 1)
        {
            string kind = reader.String();
            float learningRate = reader.Single();
            long steps = reader.Int64();
            int bufferCount = reader.Int32();
            if (bufferCount < 0) throw new CheckpointFormatException(fileName, $"is corrupt: {bufferCount} optimizer buffers.");
            var state = new float[bufferCount][];
            for (int i = 0; i < bufferCount; i++) state[i] = reader.Floats();
            LearningRateSchedule? schedule = null;
            if (version >= 2 && reader.String() is { Length: > 0 } scheduleJson)
            {
                try
                {
                    schedule = LearningRateSchedule.FromJson(scheduleJson);
                }
                catch (FormatException e)
                {
                    throw new CheckpointFormatException(fileName, $"is corrupt: its learning-rate schedule cannot be read. {e.Message}");
                }
            }
            optimizer = new OptimizerSnapshot(kind, learningRate, steps, state, schedule);
        }
        Dictionary<string, string>? settings = null;
        if (version >= 3)
        {
            try
            {
                settings = JsonSerializer.Deserialize(reader.String(), SettingsJson.Default.DictionaryStringString);
            }
            catch (JsonException e)
            {
                throw new CheckpointFormatException(fileName, $"is corrupt: its run settings cannot be read. {e.Message}");
            }
        }
        reader.ExpectEnd();
        return new Checkpoint(architecture, inputSize, outputSize, epoch, parameters, optimizer, settings);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        writer.Write(utf8.Length);
        writer.Write(utf8);
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        if (BitConverter.IsLittleEndian)
        {
            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        foreach (var value in values) writer.Write(value);
    }

    /// <summary>Reads the body; every read checks the bytes are there, so a bad count names the file instead of throwing deep inside.</summary>
    private sealed class SpanReader(byte[] bytes, string fileName)
    {
        private int _position;

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public float Single() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

        public string String() => Encoding.UTF8.GetString(Take(Count(1)));

        public float[] Floats()
        {
            var data = Take(Count(4));
            var values = new float[data.Length / 4];
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4));
            return values;
        }

        public void ExpectEnd()
        {
            if (_position != bytes.Length)
                throw new CheckpointFormatException(fileName, $"is corrupt: {bytes.Length - _position} unexpected bytes after the last field.");
        }

        private int Count(int elementSize)
        {
            int count = Int32();
            if (count < 0 || (long)count * elementSize > bytes.Length - _position)
                throw new CheckpointFormatException(fileName, $"is corrupt: a field declares {count} elements, more than the {bytes.Length - _position} bytes left.");
            return count * elementSize;
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (bytes.Length - _position < length)
                throw new CheckpointFormatException(fileName, $"is corrupt: a field runs past the end of the data at byte {HeaderLength + _position}.");
            var span = bytes.AsSpan(_position, length);
            _position += length;
            return span;
        }
    }
}
