namespace AutoGrad.Distributed;

/// <summary>
/// A fixed group of processes ("ranks") that sum values across the group: what data-parallel
/// training needs from a message-passing library. <c>AutoGrad.Mpi</c> implements it over MPI,
/// so this assembly does not depend on one. Every rank must make the same calls in the same
/// order with the same lengths; each call returns once every rank has made it.
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's number in the group, from 0; rank 0 is the one that reports and writes files.</summary>
    int Rank { get; }

    /// <summary>The number of processes in the group.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks (an in-place allreduce).</summary>
    /// <param name="values">This rank's values; the same length on every rank.</param>
    void SumInPlace(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks.</summary>
    /// <param name="values">This rank's values; the same length on every rank.</param>
    void SumInPlace(Span<double> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise maximum over all ranks.</summary>
    /// <param name="values">This rank's values; the same length on every rank.</param>
    void MaxInPlace(Span<long> values);
}
