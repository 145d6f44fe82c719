using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Mnist.Tests;

/// <summary>What one run of the program did.</summary>
internal sealed record RunResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs the built MNIST program in its own process, in a working folder of its own.</summary>
internal static class MnistProgram
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "Mnist.dll");

    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    public static RunResult Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Mnist {string.Join(' ', args)} ran for more than two minutes.");
        }
        return new RunResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Sends SIGINT, what Ctrl-C in a terminal sends.</summary>
    public static void Interrupt(Process process)
    {
        if (Kill(process.Id, 2) != 0) throw new InvalidOperationException($"kill({process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

/// <summary>A temporary working folder, with small IDX data sets written on demand.</summary>
internal sealed class WorkFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mnist-cli-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>
    /// Writes (once) <paramref name="prefix"/>-{train,t10k}-{images,labels} files: 8x8 images whose class (0-9) is the
    /// row of a bright bar, so a small model learns them within an epoch or two.
    /// </summary>
    public string WriteDataSet(string prefix, int trainCount = 400, int testCount = 100)
    {
        string folder = this["data"];
        if (File.Exists(System.IO.Path.Combine(folder, $"{prefix}-train-images-idx3-ubyte"))) return folder;
        Directory.CreateDirectory(folder);
        foreach (var (split, count) in new[] { ("train", trainCount), ("t10k", testCount) })
        {
            var random = new Random(split.Length);
            var labels = Enumerable.Range(0, count).Select(i => (byte)random.Next(10)).ToArray();
            var pixels = new byte[count * 64];
            for (int i = 0; i < count; i++)
            {
                for (int p = 0; p < 64; p++) pixels[i * 64 + p] = (byte)random.Next(40);
                for (int x = 0; x < 8; x++) pixels[i * 64 + (labels[i] % 8) * 8 + x] = (byte)(labels[i] < 8 ? 250 : 120 + 60 * (labels[i] - 8));
            }
            File.WriteAllBytes(System.IO.Path.Combine(folder, $"{prefix}-{split}-images-idx3-ubyte"), Idx(3, [count, 8, 8], pixels));
            File.WriteAllBytes(System.IO.Path.Combine(folder, $"{prefix}-{split}-labels-idx1-ubyte"), Idx(1, [count], labels));
        }
        return folder;
    }

    public static byte[] Idx(int dimensionCount, int[] sizes, byte[] data)
    {
        var bytes = new byte[4 + 4 * sizes.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensionCount;
        for (int i = 0; i < sizes.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), sizes[i]);
        data.CopyTo(bytes, 4 + 4 * sizes.Length);
        return bytes;
    }
}
