using K = AutoGrad.Tests.Gradients.ConstantInputFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 4: int label arrays, ReadOnlySpan&lt;int&gt; indices, Debug.Assert, against finite differences.</summary>
public class ConstantInputs
{
    [Fact]
    public void CrossEntropyWithIntegerLabels()
    {
        int[] labels = [2, 0, 1];
        GradientCheck.Verify(
            p => K.CrossEntropy(p, labels, 3),
            (p, g) => K.CrossEntropyGradient(p, labels, 3, g),
            (p, s, g) => K.CrossEntropyPullback(p, labels, 3, s, g),
            [0.7, 1.3, -0.2, 0.5, -1.1, 0.4, 0.9, -0.6, 0.1], [-1.1, 0.4, 0.9, -0.6, 0.3, 0.2, 1.5, -0.7, 0.0]);
    }

    [Fact]
    public void GatherThroughIndexSpan()
    {
        int[] indices = [3, 1, 1, 0];
        GradientCheck.Verify(
            p => K.Gathered(p, indices, 3L),
            (p, g) => K.GatheredGradient(p, indices, 3L, g),
            (p, s, g) => K.GatheredPullback(p, indices, 3L, s, g),
            [0.7, 1.3, -0.2, 0.5], [-1.1, 0.4, 0.9, -0.6]);
    }

    [Fact]
    public void AssertionsAreNotPartOfTheGradient()
    {
        // The primal method asserts (Debug builds); the generated gradient does not repeat the check.
        var dx = new double[3];
        Assert.Equal(K.CrossEntropy([0.1, 0.2, 0.3], [1], 3), K.CrossEntropyGradient([0.1, 0.2, 0.3], [1], 3, dx));
    }
}
