using System.Globalization;

namespace AutoGrad.Kernels;

/// <summary>
/// The per-core data cache sizes that <see cref="BlockedGemm{T}"/>'s block sizes derive from,
/// as Linux reports them for the first processor, else typical sizes of current x64 cores.
/// </summary>
internal static class CacheSizes
{
    /// <summary>The level 1 data cache, in bytes (48 KiB on the Xeon benchmark machine, 32 KiB on Zen 4).</summary>
    public static int L1Data { get; } = Read(level: 1, fallback: 32 * 1024);

    private static int Read(int level, int fallback)
    {
        try
        {
            for (int index = 0; ; index++)
            {
                string folder = $"/sys/devices/system/cpu/cpu0/cache/index{index}";
                if (!Directory.Exists(folder)) return fallback;
                if (File.ReadAllText(Path.Combine(folder, "level")).Trim() != level.ToString(CultureInfo.InvariantCulture)) continue;
                if (File.ReadAllText(Path.Combine(folder, "type")).Trim() == "Instruction") continue;
                return ParseSize(File.ReadAllText(Path.Combine(folder, "size")).Trim()) ?? fallback;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return fallback;
        }
    }

    /// <summary>A size as sysfs writes it ("48K", "2048K", "1M"), or null when it is not one.</summary>
    internal static int? ParseSize(string text)
    {
        int multiplier = text.EndsWith('K') ? 1024 : text.EndsWith('M') ? 1024 * 1024 : 1;
        string digits = multiplier == 1 ? text : text[..^1];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 && value <= int.MaxValue / multiplier
            ? value * multiplier
            : null;
    }
}
