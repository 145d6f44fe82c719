using AutoGrad.Data;

namespace AutoGrad.Tests.Data;

public class MnistDataSetTests
{
    [Fact]
    public void Loads_the_embedded_small_mnist()
    {
        var data = MnistDataSet.Load(Path.Combine(RepositoryPaths.Root, "data", "mnist10k"), MnistDataSet.SmallMnistPrefix);

        Assert.Equal(8000, data.Train.Count);
        Assert.Equal(2000, data.Test.Count);
        foreach (var split in new[] { data.Train, data.Test })
        {
            Assert.Equal((28, 28), (split.Images.Rows, split.Images.Columns));
            Assert.Equal(split.Count * 784, split.Images.Pixels.Length);
            Assert.InRange(split.Images.Pixels.Min(), 0f, 0f);
            Assert.InRange(split.Images.Pixels.Max(), 1f, 1f);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), split.Labels.Distinct().Order());
        }
    }
}
