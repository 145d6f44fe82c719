namespace AutoGrad.ADBench.Tests;

public class BundleAdjustmentTests
{
    private static double[] RandomCamera(Random random, double rotationScale)
    {
        double[] camera = FiniteDifferences.Random(random, BundleAdjustment.CameraParameters);
        for (int i = 0; i < 3; i++) camera[i] *= rotationScale;
        camera[5] -= 5; // the point is in front of the camera
        camera[6] = 2 + camera[6];
        camera[9] *= 0.1;
        camera[10] *= 0.01;
        return camera;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)] // the small-angle branch: no rotation at all
    public void JacobianRowsMatchFiniteDifferences(double rotationScale)
    {
        var random = new Random(3);
        double[] camera = RandomCamera(random, rotationScale);
        double[] point = FiniteDifferences.Random(random, 3);
        double[] weight = [0.7];
        double[] feature = FiniteDifferences.Random(random, 2);
        var instance = new BundleAdjustmentInstance(1, 1, 1, camera, point, weight, feature, [0, 0]);
        var jacobian = new double[instance.JacobianValueCount];
        BundleAdjustment.Jacobian(instance, jacobian);

        for (int row = 0; row < 2; row++)
        {
            double Residual()
            {
                Span<double> error = stackalloc double[2];
                BundleAdjustment.ReprojectionError(camera, point, weight[0], feature, error);
                return error[row];
            }
            double[] block = jacobian.AsSpan(row * BundleAdjustment.BlockColumns, BundleAdjustment.BlockColumns).ToArray();
            FiniteDifferences.AssertGradient(Residual, [camera, point, weight], [block[..11], block[11..14], block[14..]]);
        }
        Assert.Equal(-2 * weight[0], jacobian[^1]);
    }

    // The projection written the other way: the rotation as the matrix cos θ I + sin θ [k]x + (1 - cos θ) k kᵀ,
    // on ba1's camera, point and feature, which every observation of the file repeats.
    [Fact]
    public void ResidualsOfTheSharedInstanceMatchTheRotationMatrixForm()
    {
        BundleAdjustmentInstance instance = BundleAdjustmentInstance.Read(SharedData.Path("ba/ba1_n49_m7776_p31843.txt"));
        Assert.Equal((49, 7776, 31843), (instance.CameraCount, instance.PointCount, instance.Observations));
        var errors = new double[2 * instance.Observations];
        var weightErrors = new double[instance.Observations];
        BundleAdjustment.Objective(instance, errors, weightErrors);

        double[] camera = instance.Cameras[..11], point = instance.Points[..3];
        double theta = Math.Sqrt(camera[0] * camera[0] + camera[1] * camera[1] + camera[2] * camera[2]);
        double[] k = [camera[0] / theta, camera[1] / theta, camera[2] / theta];
        double[] cross = [0, -k[2], k[1], k[2], 0, -k[0], -k[1], k[0], 0];
        double[] centred = [point[0] - camera[3], point[1] - camera[4], point[2] - camera[5]];
        var rotated = new double[3];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                double entry = (r == c ? Math.Cos(theta) : 0) + Math.Sin(theta) * cross[3 * r + c] + (1 - Math.Cos(theta)) * k[r] * k[c];
                rotated[r] += entry * centred[c];
            }
        }
        double u = rotated[0] / rotated[2], v = rotated[1] / rotated[2];
        double radius2 = u * u + v * v;
        double distortion = 1 + camera[9] * radius2 + camera[10] * radius2 * radius2;
        double weight = instance.Weights[0];
        double[] feature = instance.Features[..2];
        foreach (int observation in new[] { 0, 1, instance.Observations - 1 })
        {
            Assert.Equal(weight * (u * distortion * camera[6] + camera[7] - feature[0]), errors[2 * observation], 1e-10);
            Assert.Equal(weight * (v * distortion * camera[6] + camera[8] - feature[1]), errors[2 * observation + 1], 1e-10);
            Assert.Equal(1 - weight * weight, weightErrors[observation], 15);
        }
    }

    [Fact]
    public void JacobianOfTheSharedInstanceMatchesFiniteDifferences()
    {
        BundleAdjustmentInstance shared = BundleAdjustmentInstance.Read(SharedData.Path("ba/ba1_n49_m7776_p31843.txt"));
        double[] camera = shared.Cameras[..11], point = shared.Points[..3], weight = [shared.Weights[0]], feature = shared.Features[..2];
        var instance = new BundleAdjustmentInstance(1, 1, 1, camera, point, weight, feature, [0, 0]);
        var jacobian = new double[instance.JacobianValueCount];
        BundleAdjustment.Jacobian(instance, jacobian);
        for (int row = 0; row < 2; row++)
        {
            double Residual()
            {
                Span<double> error = stackalloc double[2];
                BundleAdjustment.ReprojectionError(camera, point, weight[0], feature, error);
                return error[row];
            }
            double[] block = jacobian.AsSpan(row * BundleAdjustment.BlockColumns, BundleAdjustment.BlockColumns).ToArray();
            FiniteDifferences.AssertGradient(Residual, [camera, point, weight], [block[..11], block[11..14], block[14..]], 1e-5);
        }
    }
}
