using AutoGrad.Mpi;

namespace AutoGrad.Mpi.Tests;

public sealed class LauncherTests
{
    private static Launch? Detect(params (string Name, string Value)[] variables) =>
        Launcher.Detect(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void A_plain_start_is_no_launch()
    {
        Assert.Null(Detect());
        Assert.Null(Detect(("PATH", "/usr/bin")));
    }

    [Fact]
    public void Mpich_hydra_announces_rank_and_size()
    {
        Assert.Equal(new Launch(1, 4), Detect(("PMI_RANK", "1"), ("PMI_SIZE", "4"), ("PMI_FD", "6")));
        Assert.Equal(new Launch(0, 1), Detect(("PMI_RANK", "0"), ("PMI_SIZE", "1")));
    }

    [Theory]
    [InlineData("1", null, "PMI_SIZE is not set")]
    [InlineData("x", "2", "PMI_RANK is 'x'")]
    [InlineData("2", "2", "rank 2 of 2")]
    [InlineData("0", "0", "rank 0 of 0")]
    public void Nonsense_launch_variables_are_named(string rank, string? size, string message)
    {
        var variables = new List<(string, string)> { ("PMI_RANK", rank) };
        if (size is not null) variables.Add(("PMI_SIZE", size));
        Assert.Contains(message, Assert.Throws<MpiException>(() => Detect([.. variables])).Message);
    }

    [Theory]
    [InlineData("OMPI_COMM_WORLD_SIZE")]
    [InlineData("PMIX_RANK")]
    public void Open_mpi_is_refused_with_what_to_use_instead(string variable)
    {
        var error = Assert.Throws<MpiException>(() => Detect((variable, "2")));
        Assert.Contains("Open MPI", error.Message);
        Assert.Contains("MPICH's mpiexec", error.Message);
    }

    [Fact]
    public void Joining_outside_mpiexec_loads_no_mpi()
    {
        // The test host was not started by mpiexec (the MPI tests start their own processes).
        Assert.Null(Environment.GetEnvironmentVariable("PMI_RANK"));
        Assert.Null(MpiCommunicator.JoinIfLaunched());
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "MPI");
    }
}
