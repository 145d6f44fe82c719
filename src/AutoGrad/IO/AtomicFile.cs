using System.Diagnostics;
using System.Globalization;

namespace AutoGrad.IO;

/// <summary>
/// Writes files so that a reader sees the old contents or the new ones, never half of either: the bytes go to a
/// hidden temporary file beside the target (<c>.NAME.PID.RANDOM.tmp</c>), which is flushed and then moved over it.
/// A process killed mid-write leaves only such a temporary; the next write to the same target removes it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically, replacing any file there; its folder is created if missing.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the whole contents to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        RemoveStaleTemporaries(fullPath);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (see <see cref="Write(string, Action{Stream})"/>).</summary>
    /// <param name="path">The target file.</param>
    /// <param name="bytes">The whole contents.</param>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Deletes the temporaries that writes to <paramref name="path"/> left behind when their process died
    /// (those of a process still running are kept: it may be writing right now).
    /// </summary>
    /// <param name="path">The target file.</param>
    /// <returns>How many files were removed.</returns>
    public static int RemoveStaleTemporaries(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory)) return 0;
        string prefix = $".{Path.GetFileName(fullPath)}.";
        int removed = 0;
        foreach (string candidate in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
        {
            string[] parts = Path.GetFileName(candidate)[prefix.Length..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int processId) || IsRunning(processId)) continue;
            try
            {
                File.Delete(candidate);
                removed++;
            }
            catch (IOException)
            {
                // Another process removed or holds it; it is not ours to fight over.
            }
        }
        return removed;
    }

    private static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
