using AutoGrad.Data;
using AutoGrad.Distributed;
using AutoGrad.Mpi;
using AutoGrad.NN;
using Spectre.Console;

namespace Mnist;

/// <summary>Output that is coloured on a terminal and plain when redirected, and the error handling every command shares.</summary>
internal static class Output
{
    /// <summary>This process's MPI rank (0 in a plain run). Only rank 0 reports progress and writes files; every rank reports its errors.</summary>
    public static int Rank { get; set; }

    public static bool IsRoot => Rank == 0;

    public static bool IsInteractive => IsRoot && !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Info(string message)
    {
        if (!IsRoot) return;
        if (IsInteractive) AnsiConsole.MarkupLine(Markup.Escape(message));
        else System.Console.WriteLine(message);
    }

    public static void Error(string message)
    {
        if (!IsRoot) message = $"rank {Rank}: {message}";
        if (IsInteractive) AnsiConsole.MarkupLine($"[red]{Markup.Escape(message)}[/]");
        else System.Console.Error.WriteLine(message);
    }

    /// <summary>Runs a command body, turning the errors a user can cause (bad files, bad options) into one line and exit code 1.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or IdxFormatException or CheckpointFormatException or ArgumentException or NotSupportedException or FormatException or UnauthorizedAccessException or OutOfMemoryException
                                       or ReplicaMismatchException or MpiException)
        {
            // An ArgumentException's message ends in "(Parameter 'x')", which means nothing to someone at the command line.
            Error(e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message);
            return 1;
        }
    }
}
