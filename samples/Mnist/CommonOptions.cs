using System.CommandLine;
using AutoGrad.Data;

namespace Mnist;

/// <summary>Options several commands share; each command gets its own instances.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Data { get; } = new("--data") { Description = "Folder with the IDX files (default: the embedded mnist10k set)." };

    public Option<string> Prefix { get; } = new("--prefix") { Description = "File-name prefix of the IDX files, e.g. mnist10k or fashion.", DefaultValueFactory = _ => MnistDataSet.SmallMnistPrefix };

    public Option<string?> Model { get; } = new("--model") { Description = "Model checkpoint file." };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Prefix);
        command.Options.Add(Model);
    }
}
