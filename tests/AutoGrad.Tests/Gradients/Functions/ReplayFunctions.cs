namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Loops whose iterations fill a scratch array before reading it (ADBench's GMM shape): the
/// reverse sweep replays each iteration instead of saving every iteration's scratch. The
/// look-alikes carry a value from one iteration to the next and must keep their saves.
/// </summary>
public static partial class ReplayFunctions
{
    /// <summary>Per row: fill the scratch, update it in place, reduce it, store one term; the scratch is reused across rows and repeats.</summary>
    [Differentiable]
    public static double ScratchPerRow(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        double total = 0;
        for (int r = 0; r < 2; r++)
        {
            for (int s = 0; s < rows; s++)
            {
                for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++) t[j] += Math.Sin(t[i]) * w[(i + j) % w.Length];
                }
                double norm = 0;
                for (int i = 0; i < d; i++)
                {
                    if (t[i] > 0) norm += t[i] * t[i];
                    else norm -= t[i];
                }
                terms[s] = Math.Log(1 + norm) * w[r];
            }
            for (int s = 0; s < rows; s++) total += terms[s] * terms[s];
        }
        return total;
    }

    /// <summary>The fill stops one short: the last element is carried over from the previous row.</summary>
    [Differentiable]
    public static double PartialFill(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        double total = 0;
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d - 1; i++) t[i] = x[s * d + i] * w[i];
            double norm = 0;
            for (int i = 0; i < d; i++) norm += Math.Sin(t[i]) * w[i];
            t[d - 1] = norm;
            terms[s] = norm * norm;
        }
        for (int s = 0; s < rows; s++) total += terms[s];
        return total;
    }

    /// <summary>A scalar read before it is assigned in the iteration: the previous row's value carries over.</summary>
    [Differentiable]
    public static double CarriedScalar(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        double carry = 0.5;
        double norm = 0;
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i] + carry;
            norm = 0;
            for (int i = 0; i < d; i++) norm += t[i] * t[i];
            terms[s] = norm;
            carry = Math.Sin(norm);
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s];
        return total;
    }

    /// <summary>An element of another array is written and read back in the iteration.</summary>
    [Differentiable]
    public static double ReadsItsOutput(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows + 1];
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
            double norm = terms[s];
            for (int i = 0; i < d; i++) norm += t[i] * Math.Cos(t[i]);
            terms[s + 1] = norm;
        }
        return terms[rows];
    }

    /// <summary>
    /// Costly calls whose results the reverse sweep pops instead of calling again: one inside another
    /// (exp of tanh) in a replayed row, one after the row's sum.
    /// </summary>
    [Differentiable]
    public static double KeptResults(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double total = 0;
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
            double sum = 0;
            for (int i = 0; i < d; i++) sum = sum + Math.Exp(Math.Tanh(t[i]) * w[i]) * t[i];
            total = total + sum * Math.Exp(-sum);
        }
        return total;
    }

    /// <summary>The same calls in a row the reverse sweep replays (its values go to another array): the replay pushes them again.</summary>
    [Differentiable]
    public static double KeptResultsReplayed(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
            double sum = 0;
            for (int i = 0; i < d; i++) sum = sum + Math.Exp(Math.Tanh(t[i]) * w[i]) * t[i];
            terms[s] = sum * sum;
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s];
        return total;
    }

    /// <summary>
    /// A row's sums whose values only feed the stored term linearly (GMM's squared norm): the reverse
    /// sweep reads the scratch but not the sums, so the replay leaves their loops out, the one with a
    /// costly call too (its reverse then calls exp again: nothing was kept for it). Its replay then saves
    /// nothing, so it may keep its iterations instead, under its Hessian-vector product too.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double UnreadSums(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
            double norm = 0;
            for (int i = 0; i < d; i++) norm += t[i] * t[i];
            double exps = 0;
            for (int i = 0; i < d; i++) exps = exps + Math.Exp(t[i]);
            terms[s] = w[0] - 0.5 * norm + exps;
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s] * terms[s];
        return total;
    }

    /// <summary>
    /// A scalar the reverse sweep never reads but a later statement of the row does (the shift of the
    /// second scratch, whose products are read): the replay must compute it again.
    /// </summary>
    [Differentiable]
    public static double ReadByLaterStatement(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] u = new double[d];
        double[] terms = new double[rows];
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
            double shift = t[0] + 2 * t[d - 1];
            for (int i = 0; i < d; i++) u[i] = t[i] - shift;
            double norm = 0;
            for (int i = 0; i < d; i++) norm += u[i] * u[i] * w[i];
            terms[s] = norm;
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s] * terms[s];
        return total;
    }

    /// <summary><see cref="KeptResults"/> through its split halves, twice in a loop: the record holds both calls' results.</summary>
    [Differentiable]
    public static double KeptResultsTwice(double[] w, double[] x, int d)
    {
        double total = 0;
        for (int k = 0; k < 2; k++) total = total + KeptResults(w, x, d) * (k + 1.5);
        return total;
    }

    /// <summary>
    /// A replayed iteration whose inner loop's counter is read after the loop (<c>picks[s] = w[k]</c>),
    /// by a statement whose reverse reads only the counter: the replay must run the loop again to leave
    /// the counter at its final value. The inner loop's trip count is a slot of the reverse sweep's
    /// replay, so the split halves must declare it in the reverse half (it did not compile before).
    /// </summary>
    [Differentiable]
    public static double CounterReadAfterLoop(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        double[] picks = new double[rows];
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
            double norm = 0;
            int k = 0;
            for (k = 0; k < d - 1 - s % 2; k++) norm += Math.Sin(t[k]) * t[k];
            terms[s] = norm;
            picks[s] = w[k];
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s] * terms[s] + picks[s] * picks[s];
        return total;
    }

    /// <summary>
    /// Counters declared before their loops and read nowhere else: the declaration's value is overwritten
    /// unread, so the loops are counted (nothing recorded); <c>m</c> is stepped between its declaration
    /// and its loop, so that loop records its trip count as before.
    /// </summary>
    [Differentiable]
    public static double CountersDeclaredBefore(double[] w, double[] x, int d)
    {
        double total = 0;
        for (int s = 0; s < x.Length / d; s++)
        {
            int k = 0;
            double norm = 0;
            for (k = 0; k < d; k++) norm += Math.Sin(x[s * d + k] * w[k]);
            int m = 1;
            m++;
            for (m = 1; m < d; m++) norm += w[m] * norm;
            total += norm * norm;
        }
        return total;
    }

    /// <summary><see cref="CounterReadAfterLoop"/> through its split halves, twice in a loop.</summary>
    [Differentiable]
    public static double CounterReadAfterLoopTwice(double[] w, double[] x, int d)
    {
        double total = 0;
        for (int k = 0; k < 2; k++) total = total + CounterReadAfterLoop(w, x, d) * (k + 1.5);
        return total;
    }
}

/// <summary>
/// Void methods whose output elements are each stored once at a constant index: the pullback reads
/// the caller's output adjoint in place, without a copy. The look-alike stores one element twice.
/// </summary>
public static partial class OutputOnceFunctions
{
    [Differentiable]
    public static void Polar(double r, double angle, Span<double> point)
    {
        double c = Math.Cos(angle);
        point[1] = r * Math.Sin(angle);
        point[0] = r * c;
    }

    [Differentiable]
    public static void StoredTwice(double r, double angle, Span<double> point)
    {
        point[0] = r;
        point[1] = r * Math.Sin(angle);
        point[0] = point[0] * Math.Cos(angle) + point[1];
    }
}

/// <summary>The scratch declared inside the loop (<c>new double[d]</c> each row): zeroed by the lowering, then replayed.</summary>
public static partial class ReplayInLoopFunctions
{
    [Differentiable]
    public static double ScratchDeclaredInLoop(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] terms = new double[rows];
        for (int s = 0; s < rows; s++)
        {
            double[] t = new double[d];
            for (int i = 0; i < d; i++) t[i] += x[s * d + i] * w[i];
            for (int i = 1; i < d; i++) t[i] += Math.Exp(t[i - 1]) * w[i];
            double norm = 0;
            for (int i = 0; i < d; i++) norm += t[i] * t[i];
            terms[s] = Math.Sqrt(norm);
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s] * w[s % d];
        return total;
    }
}

/// <summary><c>a[i] = a[i] ± e</c> and <c>a[i] = e + a[i]</c>: the element's adjoint passes through; the look-alike's term reads the array.</summary>
public static partial class ElementAccumulationFunctions
{
    [Differentiable]
    public static double Accumulations(double[] w, double[] x, int d)
    {
        double[] t = new double[d];
        for (int i = 0; i < d; i++) t[i] = w[i] * w[i];
        for (int s = 0; s < x.Length; s++)
        {
            int i = s % d;
            t[i] = t[i] - Math.Sin(x[s]) * w[i];
            t[i] = x[s] * w[(i + 1) % d] + t[i];
            t[(i + 1) % d] = t[(i + 1) % d] + t[i] * 0.5;
        }
        double total = 0;
        for (int i = 0; i < d; i++) total += t[i] * Math.Cos(t[i]);
        return total;
    }

}
