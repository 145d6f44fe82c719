using System.Globalization;

namespace AutoGrad.Mpi;

/// <summary>This process's place in an MPI job, as its launcher announced it.</summary>
/// <param name="Rank">This process's rank.</param>
/// <param name="Size">The number of ranks the launcher started.</param>
internal sealed record Launch(int Rank, int Size);

/// <summary>
/// Tells from the environment whether an MPI launcher started this process. MPICH's Hydra
/// <c>mpiexec</c> (and those of Intel MPI and MVAPICH, and Slurm's PMI-2 <c>srun</c>) announce
/// each rank's place in <c>PMI_RANK</c> / <c>PMI_SIZE</c>; a process started any other way has
/// neither, and never loads MPI.
/// </summary>
internal static class Launcher
{
    /// <summary>The launch, or null when no MPI launcher started this process.</summary>
    /// <param name="variable">Reads an environment variable (null when unset).</param>
    /// <exception cref="MpiException">A launcher whose MPI does not speak the MPICH ABI started this process, or its variables make no sense.</exception>
    public static Launch? Detect(Func<string, string?> variable)
    {
        string? rank = variable("PMI_RANK"), size = variable("PMI_SIZE");
        if (rank is null && size is null)
        {
            if (variable("OMPI_COMM_WORLD_SIZE") is not null || variable("PMIX_RANK") is not null)
                throw new MpiException(
                    "This process was started by Open MPI's mpirun (or another PMIx launcher), but AutoGrad.Mpi speaks the MPICH ABI " +
                    "(MPICH, Intel MPI, MVAPICH, Cray MPICH) and cannot use Open MPI. Start it with MPICH's mpiexec " +
                    "(Debian/Ubuntu: apt-get install mpich, then mpiexec.mpich -n 2 ...) or with srun --mpi=pmi2.");
            return null;
        }
        int parsedRank = Parse("PMI_RANK", rank), parsedSize = Parse("PMI_SIZE", size);
        if (parsedSize < 1 || parsedRank < 0 || parsedRank >= parsedSize)
            throw new MpiException($"The MPI launcher says rank {parsedRank} of {parsedSize} (PMI_RANK, PMI_SIZE); a rank must lie in 0..size-1.");
        return new Launch(parsedRank, parsedSize);
    }

    private static int Parse(string name, string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            ? number
            : throw new MpiException($"{name} is {(value is null ? "not set" : $"'{value}'")}, but an MPI launcher sets both PMI_RANK and PMI_SIZE to numbers. Start the program with mpiexec, or without either variable.");
}
