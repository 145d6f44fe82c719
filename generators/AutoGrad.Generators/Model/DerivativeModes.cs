using System;

namespace AutoGrad.Generators.Model;

/// <summary>The generator's copy of AutoGrad.DerivativeModes (same values): the derivatives a method opts into.</summary>
[Flags]
public enum DerivativeModes
{
    Reverse = 0,
    Forward = 1,
    HessianVector = 2,
    Jacobian = 4,
}

/// <summary>NameTangent: the method's parameters, one direction per differentiable parameter, then the tangent of the result (an out scalar) or one tangent span per output.</summary>
public sealed record TangentProgram(
    EquatableArray<GradientParameter> Directions,
    string ResultTangent,
    EquatableArray<GradientParameter> OutputTangents,
    EquatableArray<Code> Body,
    string? Failure);

/// <summary>NameHessianVectorProduct: directions v, then the gradient g and the product h = H v, one of each per differentiable parameter.</summary>
public sealed record HessianVectorProgram(
    EquatableArray<GradientParameter> Directions,
    EquatableArray<GradientParameter> Gradients,
    EquatableArray<GradientParameter> Products,
    EquatableArray<Code> Body,
    string? Failure);

/// <summary>
/// NamePullbackTangent: the tangent of NamePullback. The method's parameters, one direction per differentiable
/// parameter, the seed and its tangent (a void method: the outputs' adjoints, then their tangents), the
/// gradients and then their tangents, both accumulated into as NamePullback does. <see cref="OutputTangents"/>
/// are pooled locals of a void method: the tangents of the outputs it writes.
/// </summary>
public sealed record PullbackTangentProgram(
    EquatableArray<GradientParameter> Directions,
    string? SeedTangent,
    EquatableArray<GradientParameter> OutputAdjointTangents,
    EquatableArray<GradientParameter> GradientTangents,
    EquatableArray<GradientParameter> OutputTangents,
    EquatableArray<Code> Body,
    string? Failure);

/// <summary>NameJacobian: one row-major m x len(p) span per differentiable parameter, for a void method with one output.</summary>
public sealed record JacobianProgram(EquatableArray<GradientParameter> Jacobians, GradientParameter Output, JacobianNames Names, string? Failure)
{
    /// <summary>
    /// The body of the row path's private method: the forward sweep once, then one reverse sweep per row.
    /// Null where a reverse sweep changes what another would read (it restores overwritten arrays, or
    /// takes state from a callee's record): the row path then runs one pullback per row.
    /// </summary>
    public EquatableArray<Code>? Rows { get; init; }

    /// <summary>The row path's two seed spans, of one row each: the first row of a pair's, and the second's (its tangent).</summary>
    public EquatableArray<string> RowSeeds { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The row path's parameters that place each Jacobian's entry (r, c) at <c>j[r * stride + offset + c]</c>.</summary>
    public EquatableArray<string> RowStrides { get; init; } = EquatableArray<string>.Empty;

    /// <inheritdoc cref="RowStrides"/>
    public EquatableArray<string> RowOffsets { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>The locals of a generated NameJacobian, chosen to clash with none of the method's parameters.</summary>
public sealed record JacobianNames(string Rows, string Inputs, string Row, string Column, string Seed, string OutputTangent, EquatableArray<string> Directions, string PooledSeed, string Matrix);
