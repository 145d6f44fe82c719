using AutoGrad.Differentiation;

namespace AutoGrad.Tests;

/// <summary>ForwardRecord.Mark and Rewind, which let the Jacobian's row path run several reverse sweeps over one forward sweep's saves.</summary>
public class ForwardRecordTests
{
    [Fact]
    public void Rewind_puts_back_what_was_popped()
    {
        var record = ForwardRecord.Rent();
        record.Doubles.Push(1.5);
        record.Doubles.Push(2.5);
        record.Ints.Push(7);
        record.Bools.Push(true);
        var mark = record.Mark();
        for (int sweep = 0; sweep < 3; sweep++)
        {
            Assert.True(record.Bools.Pop());
            Assert.Equal(7, record.Ints.Pop());
            Assert.Equal(2.5, record.Doubles.Pop());
            Assert.Equal(1.5, record.Doubles.Pop());
            Assert.True(record.IsEmpty);
            record.Rewind(mark);
        }
        Assert.Equal(mark, record.Mark());
        ForwardRecord.Return(record);
    }

    [Fact]
    public void Rewind_refuses_what_it_cannot_put_back()
    {
        var record = ForwardRecord.Rent();
        record.Doubles.Push(1);
        var mark = record.Mark();
        record.Doubles.Push(2); // pushed after the mark: a rewind would keep it
        Assert.Throws<InvalidOperationException>(() => record.Rewind(mark));
        record.Clear();

        record.PushBuffer(BufferPool<double>.Rent(4));
        mark = record.Mark();
        BufferPool<double>.Return(record.PopBuffer<double>()); // a popped buffer goes back to its pool
        Assert.Throws<InvalidOperationException>(() => record.Rewind(mark));
        ForwardRecord.Return(record);
    }
}
