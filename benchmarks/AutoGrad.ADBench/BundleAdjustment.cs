namespace AutoGrad.ADBench;

/// <summary>
/// ADBench's bundle adjustment residuals (src/cpp/shared/ba.h) as a user would port them: one
/// observation's weighted reprojection error as a <c>[Differentiable]</c> method with a two-element
/// output, whose generated Jacobian (reverse mode: one forward sweep, both rows in one reverse sweep) gives
/// the observation's two rows over its camera (11), point (3) and weight (1).
/// </summary>
public static partial class BundleAdjustment
{
    /// <summary>Parameters per camera: Rodrigues rotation 3, centre 3, focal length 1, principal point 2, radial distortion 2.</summary>
    public const int CameraParameters = 11;

    /// <summary>The columns of one observation's Jacobian rows: camera, point, weight.</summary>
    public const int BlockColumns = CameraParameters + 3 + 1;

    /// <summary>
    /// <c>error = weight * (project(camera, point) - feature)</c>, where the projection rotates
    /// <c>point - centre</c> by the camera's Rodrigues vector, divides by depth, applies the radial
    /// distortion <c>1 + k1 r² + k2 r⁴</c>, scales by the focal length and adds the principal point.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void ReprojectionError(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double weight,
        [NoGradient] ReadOnlySpan<double> feature, Span<double> error)
    {
        double x = point[0] - camera[3];
        double y = point[1] - camera[4];
        double z = point[2] - camera[5];

        // Rodrigues rotation (the reference's rodrigues_rotate_point), with its small-angle branch.
        double r0 = camera[0], r1 = camera[1], r2 = camera[2];
        double squaredTheta = r0 * r0 + r1 * r1 + r2 * r2;
        double xCam, yCam, zCam;
        if (squaredTheta != 0)
        {
            double theta = Math.Sqrt(squaredTheta);
            double cosTheta = Math.Cos(theta);
            double sinTheta = Math.Sin(theta);
            double w0 = r0 / theta, w1 = r1 / theta, w2 = r2 / theta;
            double tmp = (w0 * x + w1 * y + w2 * z) * (1 - cosTheta);
            xCam = x * cosTheta + (w1 * z - w2 * y) * sinTheta + w0 * tmp;
            yCam = y * cosTheta + (w2 * x - w0 * z) * sinTheta + w1 * tmp;
            zCam = z * cosTheta + (w0 * y - w1 * x) * sinTheta + w2 * tmp;
        }
        else
        {
            xCam = x + (r1 * z - r2 * y);
            yCam = y + (r2 * x - r0 * z);
            zCam = z + (r0 * y - r1 * x);
        }

        double u = xCam / zCam;
        double v = yCam / zCam;
        double squaredRadius = u * u + v * v;
        double distortion = 1 + camera[9] * squaredRadius + camera[10] * squaredRadius * squaredRadius;
        error[0] = weight * (u * distortion * camera[6] + camera[7] - feature[0]);
        error[1] = weight * (v * distortion * camera[6] + camera[8] - feature[1]);
    }

    /// <summary>ADBench's weight error <c>1 - w²</c>; its derivative <c>-2w</c> fills the Jacobian's last rows.</summary>
    public static double WeightError(double weight) => 1 - weight * weight;

    /// <summary>Every observation's reprojection error (2 per observation) and weight error (1 per observation).</summary>
    public static void Objective(BundleAdjustmentInstance instance, Span<double> reprojectionErrors, Span<double> weightErrors)
    {
        for (int i = 0; i < instance.Observations; i++)
        {
            ReprojectionError(instance.Camera(i), instance.Point(i), instance.Weights[i], instance.Feature(i),
                reprojectionErrors.Slice(2 * i, 2));
        }
        for (int i = 0; i < instance.Observations; i++)
        {
            weightErrors[i] = WeightError(instance.Weights[i]);
        }
    }

    /// <summary>
    /// The sparse Jacobian's values in ADBench's order: per observation its two rows of
    /// <see cref="BlockColumns"/> (camera, point, weight), then one <c>-2w</c> per observation.
    /// </summary>
    public static void Jacobian(BundleAdjustmentInstance instance, Span<double> values)
    {
        Span<double> error = stackalloc double[2];
        for (int i = 0; i < instance.Observations; i++)
        {
            // The generated Jacobian's one-matrix layout is ADBench's: each row's columns are camera, point, weight.
            ReprojectionErrorJacobian(instance.Camera(i), instance.Point(i), instance.Weights[i], instance.Feature(i), error,
                values.Slice(2 * BlockColumns * i, 2 * BlockColumns));
        }
        Span<double> weightRows = values[(2 * BlockColumns * instance.Observations)..];
        for (int i = 0; i < instance.Observations; i++)
        {
            weightRows[i] = -2 * instance.Weights[i];
        }
    }
}
