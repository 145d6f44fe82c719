using System.Reflection;
using System.Runtime.InteropServices;

namespace AutoGrad.Mpi;

/// <summary>
/// Points MPI.NET at MPICH. MPI.NET's bindings import <c>msmpi.dll</c> (Microsoft MPI) and use its
/// integer handles (<c>MPI_COMM_WORLD</c> = 0x44000000, ...), which are the handles of the MPICH ABI;
/// so on Linux the same bindings work against <c>libmpich.so.12</c> and every MPI that keeps that ABI
/// (Intel MPI, MVAPICH, Cray MPICH). Open MPI's handles are pointers: it cannot work this way.
/// </summary>
internal static class MpichLibrary
{
    /// <summary>Names another library file with the MPICH ABI (e.g. Intel MPI's <c>libmpi.so.12</c>).</summary>
    public const string Variable = "AUTOGRAD_MPI_LIBRARY";

    /// <summary>MPICH's library, by its ABI version.</summary>
    public const string DefaultName = "libmpich.so.12";

    /// <summary>The library MPI.NET's bindings import.</summary>
    private const string ImportedName = "msmpi.dll";

    private static readonly Lock s_lock = new();
    private static IntPtr s_handle;

    /// <summary>Loads the MPI library once and answers MPI.NET's imports with it.</summary>
    /// <exception cref="MpiException">The library cannot be loaded.</exception>
    public static void Load()
    {
        lock (s_lock)
        {
            if (s_handle != IntPtr.Zero || OperatingSystem.IsWindows()) return;
            string name = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } chosen ? chosen : DefaultName;
            if (!NativeLibrary.TryLoad(name, out var handle))
                throw new MpiException(
                    $"This process was started by mpiexec, but the MPI library '{name}' cannot be loaded. Install MPICH " +
                    $"(Debian/Ubuntu: apt-get install mpich) on every machine, or set {Variable} to the path of a library with the MPICH ABI.");
            s_handle = handle;
            NativeLibrary.SetDllImportResolver(typeof(MPI.Unsafe).Assembly, Resolve);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == ImportedName ? s_handle : IntPtr.Zero;
}
