using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Emit;

/// <summary>The methods of the opted-in derivative modes: NameTangent, NameHessianVectorProduct, NameJacobian.</summary>
internal static partial class Emitter
{
    private static void WriteModes(SourceWriter writer, GradientProgram program)
    {
        if (program.Tangent is { } tangent)
        {
            writer.Line();
            WriteTangent(writer, program, tangent);
        }
        if (program.HessianVector is { } hessianVector)
        {
            writer.Line();
            WriteHessianVector(writer, program, hessianVector);
        }
        if (program.PullbackTangent is { } pullbackTangent)
        {
            writer.Line();
            WritePullbackTangent(writer, program, pullbackTangent);
        }
        if (program.Jacobian is { } jacobian && program.Tangent is not null)
        {
            writer.Line();
            WriteJacobians(writer, program, jacobian);
            WriteJacobianRows(writer, program, jacobian);
        }
    }

    /// <summary><c>T</c> for a scalar parameter, <c>ReadOnlySpan&lt;T&gt;</c> for an array or span.</summary>
    private static string Direction(GradientProgram program, GradientParameter direction) =>
        direction.Input.Shape == ParameterShape.Scalar ? $"{program.Type.Keyword()} {Id(direction.Name)}" : $"{RuntimeNames.ReadOnlySpan(program.Type)} {Id(direction.Name)}";

    /// <summary><c>out T</c> for a scalar parameter, <c>Span&lt;T&gt;</c> for an array or span (or an output).</summary>
    private static string Written(GradientProgram program, GradientParameter written) =>
        written.Input.Shape == ParameterShape.Scalar ? $"out {program.Type.Keyword()} {Id(written.Name)}" : $"{RuntimeNames.Span(program.Type)} {Id(written.Name)}";

    private static void WriteSameLength(SourceWriter writer, IEnumerable<GradientParameter> parameters)
    {
        foreach (var parameter in parameters.Where(p => p.Input.Shape != ParameterShape.Scalar))
            writer.Line($"{RuntimeNames.GradientChecks}.SameLength({Id(parameter.Input.Name)}.Length, {Id(parameter.Name)}.Length, \"{parameter.Name}\");");
    }

    private static void WriteCleared(SourceWriter writer, IEnumerable<GradientParameter> parameters)
    {
        foreach (var parameter in parameters)
            writer.Line(parameter.Input.Shape == ParameterShape.Scalar ? $"{Id(parameter.Name)} = 0;" : $"{Id(parameter.Name)}.Clear();");
    }

    private static void WriteTangent(SourceWriter writer, GradientProgram program, TangentProgram tangent)
    {
        var t = program.Type.Keyword();
        var parameters = UserParameters(program).Concat(tangent.Directions.Select(d => Direction(program, d)));
        if (program.ReturnsVoid)
        {
            writer.Line($"/// <summary>Runs <c>{program.Name}</c> and writes the derivative of each output along the <c>t</c> direction arguments into its <c>t</c> span (forward mode: a Jacobian-vector product).</summary>");
            parameters = parameters.Concat(tangent.OutputTangents.Select(o => Written(program, o)));
        }
        else
        {
            writer.Line($"/// <summary>Returns <c>{program.Name}</c> at the given point and writes into <c>{Id(tangent.ResultTangent)}</c> its derivative along the <c>t</c> direction arguments (forward mode: the sum of dF/dp times tp).</summary>");
            parameters = parameters.Append($"out {t} {Id(tangent.ResultTangent)}");
        }
        writer.Line(GeneratedCode);
        writer.Open($"{program.Accessibility} static {(program.ReturnsVoid ? "void" : t)} {GeneratedNames.Tangent(program.Name)}({Join(parameters)})");
        if ((tangent.Failure ?? program.Failure) is { } failure)
        {
            if (!program.ReturnsVoid) writer.Line($"{Id(tangent.ResultTangent)} = 0;");
            writer.Line(Throw(program, failure));
        }
        else
        {
            WriteSameLength(writer, tangent.Directions.Concat(tangent.OutputTangents));
            WriteCleared(writer, tangent.OutputTangents);
            WriteCode(writer, tangent.Body);
        }
        writer.Close();
    }

    private static void WriteHessianVector(SourceWriter writer, GradientProgram program, HessianVectorProgram hessianVector)
    {
        var t = program.Type.Keyword();
        writer.Line($"/// <summary>Returns <c>{program.Name}</c> at the given point, writes its gradient into the <c>d</c> arguments and the Hessian times the direction <c>v</c> into the <c>h</c> arguments, all overwritten (forward mode over the reverse sweep).</summary>");
        writer.Line(GeneratedCode);
        var parameters = UserParameters(program)
            .Concat(hessianVector.Directions.Select(d => Direction(program, d)))
            .Concat(hessianVector.Gradients.Select(g => Written(program, g)))
            .Concat(hessianVector.Products.Select(h => Written(program, h)));
        writer.Open($"{program.Accessibility} static {t} {GeneratedNames.HessianVectorProduct(program.Name)}({Join(parameters)})");
        if ((hessianVector.Failure ?? program.Failure) is { } failure)
        {
            foreach (var written in hessianVector.Gradients.Concat(hessianVector.Products).Where(g => g.Input.Shape == ParameterShape.Scalar))
                writer.Line($"{Id(written.Name)} = 0;");
            writer.Line(Throw(program, failure));
        }
        else
        {
            WriteSameLength(writer, hessianVector.Directions.Concat(hessianVector.Gradients).Concat(hessianVector.Products));
            WriteCleared(writer, hessianVector.Gradients.Concat(hessianVector.Products));
            WriteCode(writer, hessianVector.Body);
        }
        writer.Close();
    }

    private static void WritePullbackTangent(SourceWriter writer, GradientProgram program, PullbackTangentProgram pullbackTangent)
    {
        var t = program.Type.Keyword();
        writer.Line($"/// <summary>The tangent of <c>{GeneratedNames.Pullback(program.Name)}</c> along the <c>t</c> directions and the seed's tangent: accumulates into the <c>d</c> arguments as it does, and the derivative of those along the direction into their <c>t</c> twins; returns the value. A caller's Hessian-vector product calls it.</summary>");
        writer.Line(GeneratedCode);
        var seedTangents = pullbackTangent.SeedTangent is { } seedTangent
            ? new[] { $"{t} {Id(seedTangent)}" }
            : pullbackTangent.OutputAdjointTangents.Select(o => $"{RuntimeNames.ReadOnlySpan(program.Type)} {Id(o.Name)}");
        var parameters = UserParameters(program)
            .Concat(pullbackTangent.Directions.Select(d => Direction(program, d)))
            .Concat(SeedParameters(program))
            .Concat(seedTangents)
            .Concat(GradientParameters(program))
            .Concat(pullbackTangent.GradientTangents.Select(g => g.Input.Shape == ParameterShape.Scalar ? $"ref {t} {Id(g.Name)}" : $"{RuntimeNames.Span(program.Type)} {Id(g.Name)}"));
        writer.Open($"{program.Accessibility} static {(program.ReturnsVoid ? "void" : t)} {GeneratedNames.PullbackTangent(program.Name)}({Join(parameters)})");
        if ((pullbackTangent.Failure ?? program.Failure) is { } failure) writer.Line(Throw(program, failure));
        else
        {
            WriteLengthChecks(writer, program);
            WriteSameLength(writer, pullbackTangent.Directions.Concat(pullbackTangent.OutputAdjointTangents).Concat(pullbackTangent.GradientTangents));
            WriteCode(writer, pullbackTangent.Body);
        }
        writer.Close();
    }

    /// <summary>Where a Jacobian parameter's entries go: entry (r, c) at <c>Span[r * Stride + Offset + c]</c>.</summary>
    private sealed record JacobianTarget(GradientParameter Jacobian, string Span, string Stride, string Offset);

    /// <summary>
    /// NameJacobian, in both layouts: one row-major span per differentiable parameter, and (with two or
    /// more of them) one row-major matrix whose columns are the parameters' in order.
    /// </summary>
    private static void WriteJacobians(SourceWriter writer, GradientProgram program, JacobianProgram jacobian)
    {
        var names = jacobian.Names;
        var output = Id(jacobian.Output.Name);
        var inputs = Id(names.Inputs);
        var perParameter = jacobian.Jacobians.Select(j => new JacobianTarget(j, Id(j.Name), Length(j), "0")).ToList();
        var layout = string.Join(", ", jacobian.Jacobians.Select(j => j.Input.Shape == ParameterShape.Scalar
            ? $"<c>{Id(j.Name)}[r]</c> = d{output}[r]/d{Id(j.Input.Name)}"
            : $"<c>{Id(j.Name)}[r * {Id(j.Input.Name)}.Length + c]</c> = d{output}[r]/d{Id(j.Input.Name)}[c]"));
        WriteJacobian(writer, program, jacobian, perParameter, jacobian.Jacobians.Select(j => Id(j.Name)), $"row-major: {layout}");
        if (jacobian.Jacobians.Count < 2) return;

        var matrix = Id(names.Matrix);
        var offsets = jacobian.Jacobians.Select((j, i) => i == 0 ? "0" : string.Join(" + ", jacobian.Jacobians.Take(i).Select(Length))).ToList();
        var columns = string.Join(", ", jacobian.Jacobians.Select(j => Id(j.Input.Name)));
        writer.Line();
        WriteJacobian(writer, program, jacobian, jacobian.Jacobians.Select((j, i) => new JacobianTarget(j, matrix, inputs, offsets[i])).ToList(), new[] { matrix },
            $"as one row-major matrix whose columns are those of {columns} in order: <c>{matrix}[r * n + c]</c>, n = {string.Join(" + ", jacobian.Jacobians.Select(Length))}");
    }

    private static string Length(GradientParameter j) => j.Input.Shape == ParameterShape.Scalar ? "1" : Id(j.Input.Name) + ".Length";

    /// <summary>
    /// One NameJacobian: with no more outputs than inputs, reverse mode, a row at a time (the forward
    /// sweep once, then reverse sweeps from it, or one pullback per row); otherwise one tangent per input
    /// (forward mode, a column at a time). Seeds and directions are pooled buffers with a single 1.
    /// </summary>
    private static void WriteJacobian(SourceWriter writer, GradientProgram program, JacobianProgram jacobian, IReadOnlyList<JacobianTarget> targets,
        IEnumerable<string> spans, string layout)
    {
        var type = program.Type;
        var t = type.Keyword();
        var names = jacobian.Names;
        var output = Id(jacobian.Output.Name);
        var (rows, inputs, row, column) = (Id(names.Rows), Id(names.Inputs), Id(names.Row), Id(names.Column));
        var one = Literals.Of(type, 1).Text;
        var zero = Literals.Of(type, 0).Text;

        writer.Line($"/// <summary>Runs <c>{program.Name}</c> and writes the Jacobian of <c>{output}</c>, {layout}. With no more outputs than inputs it runs reverse mode, {(jacobian.Rows is null ? "one pullback per row" : "the forward sweep once and then reverse sweeps from it, two rows at a time where it can")}; otherwise forward mode, one tangent per column.</summary>");
        writer.Line(GeneratedCode);
        var spanList = spans.ToList();
        var parameters = UserParameters(program).Concat(spanList.Select(j => $"{RuntimeNames.Span(type)} {j}"));
        writer.Open($"{program.Accessibility} static void {GeneratedNames.Jacobian(program.Name)}({Join(parameters)})");
        if ((jacobian.Failure ?? program.Failure) is { } failure)
        {
            writer.Line(Throw(program, failure));
            writer.Close();
            return;
        }
        writer.Line($"int {rows} = {output}.Length;");
        writer.Line($"int {inputs} = {string.Join(" + ", jacobian.Jacobians.Select(Length))};");
        if (spanList.Count == targets.Count)
        {
            foreach (var target in targets)
                writer.Line($"{RuntimeNames.GradientChecks}.SameLength({rows} * {target.Stride}, {target.Span}.Length, \"{target.Span}\");");
        }
        else writer.Line($"{RuntimeNames.GradientChecks}.SameLength({rows} * {inputs}, {spanList[0]}.Length, \"{spanList[0]}\");");

        string Entry(JacobianTarget target, string r) =>
            (target.Stride == "1" ? r : $"{r} * {target.Stride}") + (target.Offset == "0" ? "" : " + " + target.Offset);
        writer.Open($"if ({rows} <= {inputs} || {inputs} == 0)");
        if (jacobian.Rows is not null)
        {
            // The seeds of a pair of rows: on the stack for up to SmallSeed rows, pooled beyond.
            var (seed, pooled) = (Id(names.Seed), Id(names.PooledSeed));
            writer.Line($"{t}[]? {pooled} = {rows} <= {SmallSeed} ? null : {RuntimeNames.BufferPool(type)}.Rent(2 * {rows});");
            writer.Line($"{RuntimeNames.Span(type)} {seed} = {pooled} is null ? stackalloc {t}[2 * {rows}] : {pooled};");
            writer.Line($"{seed}.Clear(); // stackalloc is not zeroed under [SkipLocalsInit]");
            var seeds = new[] { $"{seed}.Slice(0, {rows})", $"{seed}.Slice({rows}, {rows})" };
            var layoutArguments = targets.SelectMany(target => new[] { target.Span, target.Stride, target.Offset });
            writer.Line($"{GeneratedNames.JacobianRows(program.Name)}({Join(program.Parameters.Select(p => Id(p.Name)).Concat(layoutArguments).Concat(seeds))});");
            writer.Line($"if ({pooled} is not null) {RuntimeNames.BufferPool(type)}.Return({pooled});");
        }
        else
        {
            // One pullback per row, accumulating into the row's entries.
            var seed = Id(names.Seed);
            foreach (var span in spanList) writer.Line($"{span}.Clear();");
            writer.Line($"{t}[] {seed} = {RuntimeNames.BufferPool(type)}.Rent({rows});");
            writer.Open($"for (int {row} = 0; {row} < {rows}; {row}++)");
            writer.Line($"{seed}[{row}] = {one};");
            var rowsOfJ = targets.Select(target => target.Jacobian.Input.Shape == ParameterShape.Scalar
                ? $"ref {target.Span}[{Entry(target, row)}]"
                : $"{target.Span}.Slice({Entry(target, row)}, {Length(target.Jacobian)})");
            writer.Line($"{GeneratedNames.Pullback(program.Name)}({Join(program.Parameters.Select(p => Id(p.Name)).Append(seed).Concat(rowsOfJ))});");
            writer.Line($"{seed}[{row}] = {zero};");
            writer.Close();
            writer.Line($"{RuntimeNames.BufferPool(type)}.Return({seed});");
        }
        writer.Close();

        writer.Open("else");
        var outputTangent = Id(names.OutputTangent);
        writer.Line($"{t}[] {outputTangent} = {RuntimeNames.BufferPool(type)}.Rent({rows});");
        var directions = targets.Select((target, i) => (Target: target, Direction: Id(names.Directions[i]))).ToList();
        foreach (var (target, direction) in directions)
        {
            writer.Line(target.Jacobian.Input.Shape == ParameterShape.Scalar
                ? $"{t} {direction} = {zero};"
                : $"{t}[] {direction} = {RuntimeNames.BufferPool(type)}.Rent({Id(target.Jacobian.Input.Name)}.Length);");
        }
        var tangentCall = $"{GeneratedNames.Tangent(program.Name)}({Join(program.Parameters.Select(p => Id(p.Name)).Concat(directions.Select(d => d.Direction)).Append(outputTangent))});";
        foreach (var (target, direction) in directions)
        {
            if (target.Jacobian.Input.Shape == ParameterShape.Scalar)
            {
                writer.Line($"{direction} = {one};");
                writer.Line(tangentCall);
                writer.Line($"{direction} = {zero};");
                writer.Line($"for (int {row} = 0; {row} < {rows}; {row}++) {target.Span}[{Entry(target, row)}] = {outputTangent}[{row}];");
                continue;
            }
            writer.Open($"for (int {column} = 0; {column} < {Id(target.Jacobian.Input.Name)}.Length; {column}++)");
            writer.Line($"{direction}[{column}] = {one};");
            writer.Line(tangentCall);
            writer.Line($"{direction}[{column}] = {zero};");
            writer.Line($"for (int {row} = 0; {row} < {rows}; {row}++) {target.Span}[{Entry(target, row)} + {column}] = {outputTangent}[{row}];");
            writer.Close();
        }
        foreach (var (target, direction) in directions.Where(d => d.Target.Jacobian.Input.Shape != ParameterShape.Scalar))
            writer.Line($"{RuntimeNames.BufferPool(type)}.Return({direction});");
        writer.Line($"{RuntimeNames.BufferPool(type)}.Return({outputTangent});");
        writer.Close();
        writer.Close();
    }

    /// <summary>The most rows whose seed NameJacobian keeps on the stack.</summary>
    private const int SmallSeed = 16;

    /// <summary>The row path's private method: the forward sweep once, one reverse sweep per row (<see cref="JacobianProgram.Rows"/>).</summary>
    private static void WriteJacobianRows(SourceWriter writer, GradientProgram program, JacobianProgram jacobian)
    {
        if (jacobian.Rows is not { } rows) return;
        writer.Line();
        writer.Line(GeneratedCode);
        var layout = jacobian.Jacobians.Select((j, i) => (Span: j.Name, Stride: jacobian.RowStrides[i], Offset: jacobian.RowOffsets[i]))
            .SelectMany(j => new[] { $"{RuntimeNames.Span(program.Type)} {Id(j.Span)}", $"int {Id(j.Stride)}", $"int {Id(j.Offset)}" });
        var parameters = UserParameters(program).Concat(layout).Concat(jacobian.RowSeeds.Select(seed => $"{RuntimeNames.Span(program.Type)} {Id(seed)}"));
        writer.Open($"private static void {GeneratedNames.JacobianRows(program.Name)}({Join(parameters)})");
        WriteCode(writer, rows);
        writer.Close();
    }
}
