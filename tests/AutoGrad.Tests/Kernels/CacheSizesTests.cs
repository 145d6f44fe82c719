using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

public class CacheSizesTests
{
    [Theory]
    [InlineData("48K", 48 * 1024)]
    [InlineData("2048K", 2048 * 1024)]
    [InlineData("1M", 1024 * 1024)]
    [InlineData("512", 512)]
    [InlineData("", null)]
    [InlineData("K", null)]
    [InlineData("-4K", null)]
    [InlineData("0K", null)]
    [InlineData("4096M", null)]
    public void Parses_sysfs_sizes(string text, int? expected) => Assert.Equal(expected, CacheSizes.ParseSize(text));

    [Fact]
    public void L1_data_size_is_plausible() => Assert.InRange(CacheSizes.L1Data, 4 * 1024, 4 * 1024 * 1024);
}
