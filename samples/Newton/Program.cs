using System.Globalization;
using Newton;

// Second-order optimisation on generated derivatives:
//   1. Newton-CG (Hessian-vector products from NameHessianVectorProduct) against gradient descent
//      on Rosenbrock (n = 1,000) and an L2-regularised logistic regression, to the same gradient norm;
//   2. Levenberg-Marquardt with the generated Jacobian (NameJacobian) on an exponential-decay curve fit.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int maxIterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;

var rosenbrock = new Problem("Rosenbrock, n = 1,000",
    Objectives.Rosenbrock,
    (x, g) => Objectives.RosenbrockGradient(x, g),
    (x, v, g, h) => Objectives.RosenbrockHessianVectorProduct(x, v, g, h));
var start = new double[1000];
for (int i = 0; i < start.Length; i++) start[i] = i % 2 == 0 ? -1.2 : 1.0; // the classic starting point, repeated

var (features, labels) = LogisticData(samples: 2000, count: 20, seed: 1);
const double penalty = 1e-3;
var logistic = new Problem("logistic regression, 2,000 x 20, L2 1e-3",
    w => Objectives.Logistic(w, features, labels, penalty),
    (w, g) => Objectives.LogisticGradient(w, features, labels, penalty, g),
    (w, v, g, h) => Objectives.LogisticHessianVectorProduct(w, features, labels, penalty, v, g, h));

Console.WriteLine("| problem | method | iterations | gradients | Hessian-vector products | time ms | f | |grad f| |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
foreach (var (problem, x0, tolerance) in new[] { (rosenbrock, start, 1e-6), (logistic, new double[20], 1e-8) })
{
    // Warm both up on a copy first, so neither pays for JIT compilation in the table.
    Optimizers.NewtonCg(problem, (double[])x0.Clone(), tolerance, 3);
    Optimizers.GradientDescent(problem, (double[])x0.Clone(), tolerance, 3);
    foreach (var outcome in new[]
    {
        Optimizers.NewtonCg(problem, (double[])x0.Clone(), tolerance, maxIterations),
        Optimizers.GradientDescent(problem, (double[])x0.Clone(), tolerance, maxIterations),
    })
    {
        var iterations = outcome.Converged ? outcome.Iterations.ToString("N0") : $"{outcome.Iterations:N0} (not converged)";
        Console.WriteLine($"| {problem.Name} | {outcome.Method} | {iterations} | {outcome.Gradients:N0} | {outcome.HessianVectorProducts:N0} | {outcome.Time.TotalMilliseconds:F1} | {outcome.Value:E3} | {outcome.GradientNorm:E2} |");
    }
}

// Levenberg-Marquardt: y = 2.5 exp(-1.3 t) + 0.4 plus noise, 200 samples on [0, 4].
var random = new Random(2);
var t = Enumerable.Range(0, 200).Select(i => 4.0 * i / 199).ToArray();
var y = t.Select(ti => 2.5 * Math.Exp(-1.3 * ti) + 0.4 + 0.01 * Normal(random)).ToArray();
var fit = LevenbergMarquardt.Run(t, y, amplitude: 1, rate: 0.1, offset: 0);
Console.WriteLine();
Console.WriteLine($"Levenberg-Marquardt on y = 2.5 exp(-1.3 t) + 0.4 + noise (200 points), generated Jacobian:");
Console.WriteLine($"  amplitude {fit.Amplitude:F4}, rate {fit.Rate:F4}, offset {fit.Offset:F4}; half squared residual {fit.Cost:E3}; " +
                  $"{fit.Iterations} iterations, {fit.Jacobians} Jacobians{(fit.Converged ? "" : " (not converged)")}");

static (double[] Features, double[] Labels) LogisticData(int samples, int count, int seed)
{
    var random = new Random(seed);
    var truth = Enumerable.Range(0, count).Select(_ => Normal(random)).ToArray();
    var features = new double[samples * count];
    var labels = new double[samples];
    for (int s = 0; s < samples; s++)
    {
        double z = 0;
        for (int j = 0; j < count; j++)
        {
            features[s * count + j] = Normal(random);
            z += truth[j] * features[s * count + j];
        }
        labels[s] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
    }
    return (features, labels);
}

static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
