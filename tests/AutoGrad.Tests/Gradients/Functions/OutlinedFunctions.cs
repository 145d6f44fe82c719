namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Loops whose reverse body is large enough that the generated code moves it into a function of its own
/// (Outlining): the function writes scalar adjoints the code after the loop reads, elements of the
/// gradients and of local adjoints, pops the values the forward sweep saved, and accumulates into the
/// <c>ref</c> gradients of scalar parameters.
/// </summary>
public static partial class OutlinedFunctions
{
    /// <summary>
    /// Per row: a scratch filled, updated in place (a triangular loop) and reduced; one term stored per row.
    /// <c>a</c> is read in every row, so its adjoint sums over the rows and the reverse of its declaration
    /// reads it after the loop; <c>scale</c> and <c>shift</c> are scalar parameters whose gradients the rows add to.
    /// </summary>
    [Differentiable]
    public static double Rows(double[] w, double[] x, double scale, double shift, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] u = new double[d];
        double[] terms = new double[rows];
        double a = w[0] * scale + shift;
        double total = 0;
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i] + a;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++) t[j] += Math.Sin(t[i]) * w[(i + j) % d] * scale;
            }
            for (int i = 0; i < d; i++) u[i] = Math.Exp(-t[i] * t[i]) + t[i] * shift;
            double norm = 0;
            for (int i = 0; i < d; i++) norm += u[i] * t[i];
            terms[s] = Math.Log(1 + norm * norm) * w[s % d];
            total += terms[s] * a;
        }
        return total + a * a;
    }

    /// <summary>
    /// <see cref="Rows"/> with its scratch carried from one row to the next (nothing resets <c>t</c>): the reverse
    /// body pops the old values of its elements instead of replaying the row.
    /// </summary>
    [Differentiable]
    public static double CarriedRows(double[] w, double[] x, double scale, double shift, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double total = 0;
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = Math.Sin(t[i]) * scale + x[s * d + i] * w[i];
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++) t[j] = t[j] + Math.Cos(t[i]) * w[(i + j) % d] * shift;
            }
            double norm = 0;
            for (int i = 0; i < d; i++) norm += t[i] * t[i] * w[i];
            double term = Math.Log(1 + norm) * scale;
            for (int i = 0; i < d; i++) t[i] = t[i] * term + shift;
            total += term * term;
        }
        for (int i = 0; i < d; i++) total += t[i];
        return total;
    }

    /// <summary>
    /// A checkpointed recurrence at the top of the method, then <see cref="Rows"/>'s loop in a branch (so not
    /// checkpointed): the combined core holds both a Revolve loop, whose code stays in the method and is not
    /// looked into for bodies to move, and the moved body.
    /// </summary>
    [Differentiable(CheckpointSnapshots = 2)]
    public static double CheckpointedThenRows(double[] w, double[] x, double scale, double shift, int d)
    {
        double h = shift;
        for (int step = 0; step < 6; step++) h = Math.Tanh(h * scale + w[step % d]);
        double total = h * h;
        if (d > 1)
        {
            int rows = x.Length / d;
            double[] t = new double[d];
            double[] terms = new double[rows];
#pragma warning disable AG0019 // the loop in the branch is not checkpointed, as intended
            for (int s = 0; s < rows; s++)
#pragma warning restore AG0019
            {
                for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i] + h;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++) t[j] += Math.Sin(t[i]) * w[(i + j) % d] * scale;
                }
                double norm = 0;
                for (int i = 0; i < d; i++) norm += t[i] * t[i];
                terms[s] = Math.Log(1 + norm) * w[s % d];
                total += terms[s] * h;
            }
        }
        return total;
    }
}
