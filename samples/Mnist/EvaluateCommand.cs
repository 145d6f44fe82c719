using System.CommandLine;
using AutoGrad.NN;

namespace Mnist;

/// <summary><c>evaluate</c>: the accuracy of a saved model on the test split.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var command = new Command("evaluate", "Report a saved model's accuracy on the test split (and the training split).");
        var common = new CommonOptions();
        common.AddTo(command);
        command.SetAction(parse => Output.Run(() =>
        {
            var model = LoadModel(parse.GetValue(common.Model));
            var data = DataSource.Load(parse.GetValue(common.Data), parse.GetValue(common.Prefix)!);
            var evaluator = new Evaluator(model);
            Output.Info($"train accuracy {evaluator.Accuracy(LabeledSet.From(data.Train)):P2} on {data.Train.Count:N0} digits");
            Output.Info($"test accuracy  {evaluator.Accuracy(LabeledSet.From(data.Test)):P2} on {data.Test.Count:N0} digits");
            return 0;
        }));
        return command;
    }

    /// <summary>Rebuilds the model a checkpoint describes and loads its parameters.</summary>
    public static Sequential LoadModel(string? path)
    {
        if (path is null) throw new ArgumentException("--model PATH is required: the checkpoint written by 'train --model PATH'.");
        var checkpoint = CheckpointFile.Load(path);
        var model = ModelFactory.FromArchitecture(checkpoint.Architecture);
        checkpoint.RestoreInto(model);
        Output.Info($"{path}: {checkpoint.Architecture}, epoch {checkpoint.Epoch}");
        return model;
    }
}
