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
            var (model, data) = Load(parse, common);
            var evaluator = new Evaluator(model);
            Output.Info($"train accuracy {evaluator.Accuracy(LabeledSet.From(data.Set.Train)):P2} on {data.Set.Train.Count:N0} images of {data.Name}");
            Output.Info($"test accuracy  {evaluator.Accuracy(LabeledSet.From(data.Set.Test)):P2} on {data.Set.Test.Count:N0} images of {data.Name}");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Rebuilds the model a checkpoint describes, loads its parameters, and loads the data set it was trained on
    /// (the one <c>--prefix</c> names, if given).
    /// </summary>
    public static (Sequential Model, DataSource Data) Load(ParseResult parse, CommonOptions common)
    {
        string path = parse.GetValue(common.Model) ?? throw new ArgumentException("--model PATH is required: the checkpoint written by 'train --model PATH'.");
        var checkpoint = CheckpointFile.Load(path);
        var model = ModelFactory.FromArchitecture(checkpoint.Architecture);
        checkpoint.RestoreInto(model);
        string prefix = !TrainOptions.IsGiven(parse, common.Prefix) && checkpoint.Settings.TryGetValue(ResumeRules.DataSetKey, out var saved) ? saved : parse.GetValue(common.Prefix)!;
        var data = DataSource.Load(parse.GetValue(common.Data), prefix);
        Output.Info($"{path}: {checkpoint.Architecture}, epoch {checkpoint.Epoch}; {data.Describe()}");
        return (model, data);
    }
}
