using AutoGrad.Data;
using AutoGrad.NN;
using Spectre.Console;

namespace Mnist;

/// <summary>Output that is coloured on a terminal and plain when redirected, and the error handling every command shares.</summary>
internal static class Output
{
    public static bool IsInteractive => !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Info(string message)
    {
        if (IsInteractive) AnsiConsole.MarkupLine(Markup.Escape(message));
        else System.Console.WriteLine(message);
    }

    public static void Error(string message)
    {
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
        catch (Exception e) when (e is IOException or IdxFormatException or CheckpointFormatException or ArgumentException or NotSupportedException or FormatException or UnauthorizedAccessException or OutOfMemoryException)
        {
            // An ArgumentException's message ends in "(Parameter 'x')", which means nothing to someone at the command line.
            Error(e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message);
            return 1;
        }
    }
}
