using Spectre.Console;

namespace Mnist;

/// <summary>
/// Ctrl-C during training: the first press asks training to stop after the current step (the caller then keeps
/// what it has and exits with <see cref="ExitCode"/>); a second press aborts at once, after giving the terminal
/// its cursor back.
/// </summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>The exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _cancel = new();
    private int _presses;

    public Interruption() => System.Console.CancelKeyPress += OnCancelKeyPress;

    /// <summary>Cancelled by the first Ctrl-C.</summary>
    public CancellationToken Token => _cancel.Token;

    public bool Requested => Volatile.Read(ref _presses) > 0;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        if (Interlocked.Increment(ref _presses) == 1)
        {
            _cancel.Cancel();
            // On a terminal the progress display shows "stopping" (printing here would tear it).
            if (!Output.IsInteractive) System.Console.Error.WriteLine("Ctrl-C: stopping after this step and saving; press Ctrl-C again to abort at once.");
            return;
        }
        RestoreTerminal();
        System.Console.Error.WriteLine("Aborted by a second Ctrl-C: the last checkpoint saved at an epoch's end is kept; nothing else was written.");
        Environment.Exit(ExitCode);
    }

    /// <summary>Shows the cursor that a progress display hides.</summary>
    public static void RestoreTerminal()
    {
        if (Output.IsInteractive)
        {
            AnsiConsole.Cursor.Show();
            System.Console.WriteLine();
        }
    }

    public void Dispose()
    {
        System.Console.CancelKeyPress -= OnCancelKeyPress;
        _cancel.Dispose();
    }
}
