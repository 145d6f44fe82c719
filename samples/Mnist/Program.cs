using System.CommandLine;
using AutoGrad.Mpi;
using Mnist;

// Started by mpiexec, every rank runs this program and they train data-parallel; started plainly, it never loads MPI.
MpiCommunicator? world;
try
{
    world = MpiCommunicator.JoinIfLaunched();
}
catch (MpiException e)
{
    Output.Error(e.Message);
    return 1;
}
using (world)
{
    Output.Rank = world?.Rank ?? 0;
    var root = new RootCommand(
        "Train, evaluate and query an MNIST classifier whose gradients AutoGrad generates at build time. " +
        "With no command it trains the seed configuration: 784-64-64-64-10, ReLU, softmax cross-entropy, Adam 0.003, batch 256, 10 epochs. " +
        "Under mpiexec it trains data-parallel on all ranks.");
    TrainCommand.Configure(root, world);
    root.Subcommands.Add(TrainCommand.Create(world));
    root.Subcommands.Add(EvaluateCommand.Create());
    root.Subcommands.Add(PredictCommand.Create());
    var parse = root.Parse(args);
    // A bad value gets its one-line message, not the whole help text after it.
    if (parse.Action is System.CommandLine.Invocation.ParseErrorAction error) error.ShowHelp = false;
    int exitCode = parse.Invoke();
    // A rank that failed alone would leave the others waiting for it: end them all.
    if (exitCode != 0 && world is { Size: > 1 }) world.Abort(exitCode);
    return exitCode;
}
