using System.CommandLine;
using Mnist;

var root = new RootCommand(
    "Train, evaluate and query an MNIST classifier whose gradients AutoGrad generates at build time. " +
    "With no command it trains the seed configuration: 784-64-64-64-10, ReLU, softmax cross-entropy, Adam 0.003, batch 256, 10 epochs.");
TrainCommand.Configure(root);
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
var parse = root.Parse(args);
// A bad value gets its one-line message, not the whole help text after it.
if (parse.Action is System.CommandLine.Invocation.ParseErrorAction error) error.ShowHelp = false;
return parse.Invoke();
