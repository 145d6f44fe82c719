using System.Globalization;
using System.Runtime.CompilerServices;
using AutoGrad.Distributed;
using static MPI.Unsafe;

namespace AutoGrad.Mpi;

/// <summary>
/// The ranks of an MPI job (<c>MPI_COMM_WORLD</c>) as an <see cref="ICommunicator"/> for data-parallel
/// training. MPI is initialised only when an MPI launcher (<c>mpiexec</c>) started the process
/// (<see cref="JoinIfLaunched"/>); a process started any other way never loads the MPI library, so
/// it runs where MPI is not installed. Every MPI call is bounded by a timeout: a rank that waits
/// longer (because another died or hung) prints what it waited for and ends the job.
/// </summary>
/// <example>
/// <code>
/// using var world = MpiCommunicator.JoinIfLaunched();   // null in a plain run
/// var result = Trainer.Fit(model, optimizer, train, test, new TrainingOptions { Communicator = world, ... });
/// if (world is null || world.Rank == 0) CheckpointFile.Save(...);
/// </code>
/// </example>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    /// <summary>Overrides <see cref="DefaultTimeout"/>: the seconds one MPI call may wait.</summary>
    public const string TimeoutVariable = "AUTOGRAD_MPI_TIMEOUT";

    /// <summary>The exit code of a job ended because a call waited longer than the timeout (as GNU <c>timeout</c> exits).</summary>
    public const int TimeoutExitCode = 124;

    /// <summary>MPI_IN_PLACE in the MPICH ABI (and Microsoft MPI's): <c>(void*)-1</c>. MPI.NET does not name it.</summary>
    private static readonly IntPtr InPlace = new(-1);

    private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(1);

    private const string FinalizeOperation = "MPI_Finalize (waiting for the other ranks to finish)";

    private readonly Watchdog _watchdog;
    private bool _ended;

    private MpiCommunicator(int rank, int size, Watchdog watchdog)
    {
        Rank = rank;
        Size = size;
        _watchdog = watchdog;
    }

    /// <summary>How long one MPI call may wait when <see cref="TimeoutVariable"/> is unset: two minutes, ample for a rank that writes a checkpoint while the others wait.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(2);

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>How long one MPI call may wait before the job is ended.</summary>
    public TimeSpan Timeout => _watchdog.Timeout;

    /// <summary>Initialises MPI and joins the job when an MPI launcher started this process; otherwise returns null without loading MPI.</summary>
    /// <param name="timeout">How long one MPI call may wait; null: <see cref="TimeoutVariable"/> seconds, or <see cref="DefaultTimeout"/>.</param>
    /// <exception cref="MpiException">The launcher is not an MPICH-ABI one, the MPI library is missing, or <see cref="TimeoutVariable"/> is not a number.</exception>
    public static MpiCommunicator? JoinIfLaunched(TimeSpan? timeout = null)
    {
        var launch = Launcher.Detect(Environment.GetEnvironmentVariable);
        return launch is null ? null : Join(launch, timeout ?? TimeoutFromEnvironment());
    }

    /// <inheritdoc/>
    public void SumInPlace(Span<float> values)
    {
        fixed (float* data = values) Allreduce(data, values.Length, MPI_FLOAT, MPI_SUM, "MPI_Allreduce (sum of floats)");
    }

    /// <inheritdoc/>
    public void SumInPlace(Span<double> values)
    {
        fixed (double* data = values) Allreduce(data, values.Length, MPI_DOUBLE, MPI_SUM, "MPI_Allreduce (sum of doubles)");
    }

    /// <inheritdoc/>
    public void MaxInPlace(Span<long> values)
    {
        fixed (long* data = values) Allreduce(data, values.Length, MPI_LONG_LONG, MPI_MAX, "MPI_Allreduce (max of longs)");
    }

    /// <summary>Ends every rank of the job at once with <paramref name="exitCode"/> (MPI_Abort): for a rank that failed while others may be waiting for it.</summary>
    /// <param name="exitCode">The exit code mpiexec reports.</param>
    public void Abort(int exitCode)
    {
        _ended = true;
        // MPI_Abort kills the other ranks at once, and the launcher drops output it has not yet forwarded: a
        // moment's pause lets the error messages through (of this rank, and of others that failed alike).
        Thread.Sleep(AbortGrace);
        MPI_Abort(MPI_COMM_WORLD, exitCode);
    }

    /// <summary>Leaves the job (MPI_Finalize), waiting at most <see cref="Timeout"/> for the other ranks to finish too.</summary>
    public void Dispose()
    {
        if (_ended) return;
        _ended = true;
        _watchdog.Enter(FinalizeOperation);
        MPI_Finalize();
        _watchdog.Leave();
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // keeps MPI.NET's types out of JoinIfLaunched, which plain runs execute
    private static MpiCommunicator Join(Launch launch, TimeSpan timeout)
    {
        MpichLibrary.Load();
        bool canAbort = false;
        var watchdog = new Watchdog(timeout, operation =>
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"AutoGrad.Mpi: rank {launch.Rank} of {launch.Size} waited more than {timeout.TotalSeconds:0.#} s in {operation}. " +
                $"Another rank has died or hung, or the ranks run different code; ending the job. " +
                $"If a rank legitimately needs longer (a large checkpoint), set {TimeoutVariable} to more seconds."));
            Console.Error.Flush();
            // MPI_Abort tells the launcher to end every rank; before MPI is up or once it is finalising, only this
            // process can go, and the launcher ends the others when it sees one end early.
            if (Volatile.Read(ref canAbort) && operation != FinalizeOperation) MPI_Abort(MPI_COMM_WORLD, TimeoutExitCode);
            Environment.Exit(TimeoutExitCode);
        });
        int argc = 0;
        byte** argv = null;
        watchdog.Enter("MPI_Init (joining the job)");
        // Serialized: any thread may call MPI (a progress display may run training on another thread), one at a time.
        Check(MPI_Init_thread(ref argc, ref argv, MPI_THREAD_SERIALIZED, out _), "MPI_Init_thread");
        watchdog.Leave();
        Volatile.Write(ref canAbort, true);
        Check(MPI_Comm_rank(MPI_COMM_WORLD, out int rank), "MPI_Comm_rank");
        Check(MPI_Comm_size(MPI_COMM_WORLD, out int size), "MPI_Comm_size");
        if (rank != launch.Rank || size != launch.Size)
            throw new MpiException($"MPI says rank {rank} of {size}, but the launcher announced rank {launch.Rank} of {launch.Size} (PMI_RANK, PMI_SIZE): the MPI library does not belong to this mpiexec. Use the mpiexec of the MPI in {MpichLibrary.DefaultName}.");
        return new MpiCommunicator(rank, size, watchdog);
    }

    private void Allreduce(void* data, int count, int datatype, int operation, string name)
    {
        _watchdog.Enter(name);
        int error = MPI_Allreduce(InPlace, (IntPtr)data, count, datatype, operation, MPI_COMM_WORLD);
        _watchdog.Leave();
        Check(error, name);
    }

    private static void Check(int error, string call)
    {
        if (error != MPI_SUCCESS) throw new MpiException($"{call} failed with MPI error {error}.");
    }

    private static TimeSpan TimeoutFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrEmpty(text)) return DefaultTimeout;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds < int.MaxValue / 1000.0
            ? TimeSpan.FromSeconds(seconds)
            : throw new MpiException($"{TimeoutVariable} is '{text}'; it must be a positive number of seconds.");
    }
}
