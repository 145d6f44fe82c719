using AutoGrad.IO;
using AutoGrad.NN;

namespace Mnist;

/// <summary>
/// The files a training run writes, checked before any training starts: a run never trains for an hour and then
/// finds it cannot save. Checking also removes the temporaries that killed runs left beside these files.
/// </summary>
internal sealed class RunOutputs
{
    public const string CurvesCsv = "training.csv", CurvesSvg = "training.svg", CurvesPng = "training.png";

    private RunOutputs(string? model, string? summary, string? plot)
    {
        Model = model;
        Summary = summary;
        Plot = plot;
    }

    public string? Model { get; }

    public string? Summary { get; }

    public string? Plot { get; }

    /// <summary>The training-curve files inside <see cref="Plot"/>.</summary>
    public IEnumerable<string> CurveFiles => Plot is null ? [] : new[] { CurvesCsv, CurvesSvg, CurvesPng }.Select(name => Path.Combine(Plot, name));

    /// <summary>
    /// Checks that each output can be written, and that an existing checkpoint at <paramref name="model"/> is only
    /// replaced when the run continues it (<paramref name="resume"/>) or <paramref name="force"/> says so.
    /// </summary>
    /// <exception cref="ArgumentException">Which output cannot be written, and why, naming its option.</exception>
    public static RunOutputs Check(string? model, string? summary, string? plot, bool resume, bool force)
    {
        if (resume && force) throw new ArgumentException("--resume continues the checkpoint and --force replaces it; give one of them.");
        if (resume && model is null) throw new ArgumentException("--resume needs --model PATH, the checkpoint to continue from.");
        if (model is not null)
        {
            CheckFile("--model", model);
            if (!resume && File.Exists(model))
            {
                if (!force)
                {
                    string holds;
                    try
                    {
                        var existing = CheckpointFile.Load(model);
                        holds = $"a checkpoint of {existing.Architecture} at epoch {existing.Epoch}";
                    }
                    catch (CheckpointFormatException)
                    {
                        holds = "a file that is not a readable checkpoint";
                    }
                    throw new ArgumentException($"--model {model} already holds {holds}. Add --resume to continue training it, or --force to replace it with a new model.");
                }
            }
        }
        if (summary is not null) CheckFile("--summary", summary);
        if (plot is not null) CheckFolder("--plot", plot);
        var outputs = new RunOutputs(model, summary, plot);
        int removed = new[] { model, summary }.Concat(outputs.CurveFiles).OfType<string>().Sum(AtomicFile.RemoveStaleTemporaries);
        if (removed > 0) Output.Info($"Removed {removed} temporary file{(removed == 1 ? "" : "s")} that interrupted writes had left.");
        return outputs;
    }

    private static void CheckFile(string option, string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"{option} {path} is a folder; give a file name, such as {Path.Combine(path, option == "--model" ? "mnist.agck" : "summary.json")}.");
        CheckFolder(option, Path.GetDirectoryName(full)!, $"{option} {path}: ");
    }

    /// <summary>Creates the folder if needed and proves a file can be created in it.</summary>
    private static void CheckFolder(string option, string folder, string? prefix = null)
    {
        prefix ??= $"{option} {folder}: ";
        if (File.Exists(folder)) throw new ArgumentException($"{prefix}{folder} is a file, not a folder.");
        string probe = Path.Combine(folder, $".autograd-write-test.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ArgumentException($"{prefix}cannot write in the folder {folder} ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}).");
        }
    }
}
