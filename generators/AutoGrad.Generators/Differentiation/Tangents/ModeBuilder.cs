using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation.Tangents;

/// <summary>
/// The derivatives a method opts into besides reverse mode: NameTangent (the tangent transform of
/// the method as written), NameHessianVectorProduct and NamePullbackTangent (the tangent transform of
/// the combined reverse sweep: forward over reverse) and NameJacobian (rows by pullbacks or columns by tangents; the
/// emitter writes its loops).
/// </summary>
internal static class ModeBuilder
{
    /// <summary>Adds the opted-in modes' methods to a program whose generated methods throw <paramref name="why"/>.</summary>
    public static GradientProgram Failed(GradientProgram program, MethodModel model, NameScope names, string why)
    {
        var modes = Requested(model);
        if (modes == DerivativeModes.Reverse) return program;
        return program with
        {
            Tangent = modes.HasFlag(DerivativeModes.Forward) ? TangentSignature(model, names.Copy(), EquatableArray<Code>.Empty, why) : null,
            HessianVector = modes.HasFlag(DerivativeModes.HessianVector) && !model.ReturnsVoid ? HessianVectorSignature(model, names.Copy(), EquatableArray<Code>.Empty, why) : null,
            PullbackTangent = modes.HasFlag(DerivativeModes.HessianVector) ? PullbackTangentSignature(model, names.Copy(), EquatableArray<Code>.Empty, why) : null,
            Jacobian = modes.HasFlag(DerivativeModes.Jacobian) && JacobianOutput(model) is { } output ? JacobianSignature(model, names.Copy(), output, why) : null,
        };
    }

    /// <summary>Builds the opted-in modes, reporting the ones this method cannot have.</summary>
    public static GradientProgram Build(
        GradientProgram program, ReversePlan plan, EquatableArray<CallSite> callSites, LocationInfo? methodLocation,
        IReadOnlyList<Code> core, NameScope coreNames, NameScope signatureNames, List<DiagnosticInfo> diagnostics)
    {
        var model = plan.Method;
        var modes = Requested(model);
        if (modes == DerivativeModes.Reverse) return program;

        // Failures of the method's shape stop every mode; those of calls stop forward mode (and the
        // Jacobian, whose columns are tangents) or the Hessian-vector product only.
        string? failure = null, tangentFailure = null, hessianVectorFailure = null;
        string Report(LocationInfo? location, string mode, string why)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDerivativeMode, location, model.Name, mode, why));
            return $"{mode} is not available (see AG0040)";
        }
        var wantsTangent = modes.HasFlag(DerivativeModes.Forward);
        foreach (var site in plan.CallsWithDerivatives)
        {
            var location = callSites.FirstOrDefault(c => c.Site == site.Site)?.Location ?? methodLocation;
            var target = site.Target;
            if (wantsTangent && target.Tangent is null && (site.IsStatement || target.Pullback is null))
            {
                var why = target.Kind == CallKind.Differentiable
                    ? $"they go through a call to the void method '{target.DisplayName}' only by its tangent; add 'Modes = DerivativeModes.Forward' to its [Differentiable]"
                    : $"the call to '{target.DisplayName}' has no tangent: a [DerivativeOf] rule of a void method gives only its pullback; make the callee [Differentiable(Modes = DerivativeModes.Forward)], or inline it";
                var reported = Report(location, "forward-mode derivatives", why);
                tangentFailure ??= reported;
            }
            if (modes.HasFlag(DerivativeModes.HessianVector) && target.PullbackTangent is null)
            {
                // Forward over reverse needs the tangent of the callee's pullback (and of a void callee, its NameTangent, which HessianVector gives it).
                var why = target.Kind == CallKind.Differentiable
                    ? $"it goes through the call to '{target.DisplayName}' only by that method's NamePullbackTangent; add 'Modes = DerivativeModes.HessianVector' to its [Differentiable]"
                    : $"the call to '{target.DisplayName}' has no second derivative: a [DerivativeOf] rule gives only the pullback; make the callee [Differentiable(Modes = DerivativeModes.HessianVector)], or inline it";
                var reported = Report(location, "a Hessian-vector product", why);
                hessianVectorFailure ??= reported;
            }
        }
        var jacobianOutput = JacobianOutput(model);
        if (modes.HasFlag(DerivativeModes.Jacobian) && jacobianOutput is null)
            failure ??= Report(methodLocation, "a Jacobian", "it needs a void method with exactly one Span<T> output; for a scalar result use NameGradient");
        tangentFailure = failure ?? tangentFailure;
        hessianVectorFailure = failure ?? hessianVectorFailure;

        var tangent = modes.HasFlag(DerivativeModes.Forward) || (modes.HasFlag(DerivativeModes.Jacobian) && jacobianOutput is not null)
            ? tangentFailure is null ? Tangent(model, signatureNames.Copy()) : TangentSignature(model, signatureNames.Copy(), EquatableArray<Code>.Empty, tangentFailure)
            : null;
        return program with
        {
            Tangent = tangent,
            HessianVector = modes.HasFlag(DerivativeModes.HessianVector) && !model.ReturnsVoid
                ? hessianVectorFailure is null ? HessianVector(model, core, coreNames) : HessianVectorSignature(model, coreNames.Copy(), EquatableArray<Code>.Empty, hessianVectorFailure)
                : null,
            PullbackTangent = modes.HasFlag(DerivativeModes.HessianVector)
                ? hessianVectorFailure is null ? PullbackTangent(model, core, coreNames) : PullbackTangentSignature(model, coreNames.Copy(), EquatableArray<Code>.Empty, hessianVectorFailure)
                : null,
            Jacobian = modes.HasFlag(DerivativeModes.Jacobian) && jacobianOutput is not null
                ? JacobianSignature(model, signatureNames.Copy(), jacobianOutput, tangentFailure)
                : null,
        };
    }

    /// <summary>The modes to build: a Jacobian's forward path needs NameTangent, and so does a caller's Hessian-vector product through a void method.</summary>
    private static DerivativeModes Requested(MethodModel model) =>
        model.Modes.HasFlag(DerivativeModes.Jacobian) || (model.ReturnsVoid && model.Modes.HasFlag(DerivativeModes.HessianVector))
            ? model.Modes | DerivativeModes.Forward
            : model.Modes;

    private static ParameterInfo? JacobianOutput(MethodModel model)
    {
        var outputs = model.Parameters.Where(p => p.Shape == ParameterShape.Output).ToList();
        return model.ReturnsVoid && outputs.Count == 1 ? outputs[0] : null;
    }

    private static GradientParameter Named(NameScope names, string prefix, ParameterInfo parameter) =>
        new(names.Named(prefix + parameter.Name), parameter);

    private static TangentProgram TangentSignature(MethodModel model, NameScope names, EquatableArray<Code> body, string? failure)
    {
        var directions = model.Parameters.Where(p => p.Differentiable).Select(p => Named(names, "t", p)).ToEquatableArray();
        var outputs = model.Parameters.Where(p => p.Shape == ParameterShape.Output).Select(p => Named(names, "t", p)).ToEquatableArray();
        return new TangentProgram(directions, names.Named("tangent"), outputs, body, failure);
    }

    /// <summary>NameTangent: the method as written, each statement preceded by its tangent.</summary>
    private static TangentProgram Tangent(MethodModel model, NameScope names)
    {
        var signature = TangentSignature(model, names, EquatableArray<Code>.Empty, null);
        var tangents = signature.Directions.Concat(signature.OutputTangents).ToDictionary(d => d.Input.Name, d => d.Name);
        var seeds = signature.Directions.Select(d => d.Input.Name);
        var sinks = signature.OutputTangents.Select(o => o.Input.Name);
        var body = TangentTransform.Run(PrimalCode.Of(model), names, tangents, seeds, sinks, model.ReturnsVoid ? null : signature.ResultTangent);
        return signature with { Body = LaneLoops.Vectorize(body, names).ToEquatableArray() };
    }

    private static HessianVectorProgram HessianVectorSignature(MethodModel model, NameScope names, EquatableArray<Code> body, string? failure)
    {
        var differentiable = model.Parameters.Where(p => p.Differentiable).ToList();
        // The gradient arguments keep the names NameGradient gives them, which the reverse sweep's code uses.
        var gradients = differentiable.Select(p => new GradientParameter(GradientName(model, p), p)).ToEquatableArray();
        var directions = differentiable.Select(p => Named(names, "v", p)).ToEquatableArray();
        var products = differentiable.Select(p => Named(names, "h", p)).ToEquatableArray();
        return new HessianVectorProgram(directions, gradients, products, body, failure);
    }

    private static string GradientName(MethodModel model, ParameterInfo parameter) =>
        ReverseModeTransform.SignatureNames(model).Gradients.First(g => g.Input.Name == parameter.Name).Name;

    /// <summary>
    /// NameHessianVectorProduct: the tangent of the combined reverse sweep with seed 1. The
    /// tangents of the inputs are the directions; the tangents of the gradients are H v.
    /// </summary>
    private static HessianVectorProgram HessianVector(MethodModel model, IReadOnlyList<Code> core, NameScope coreNames)
    {
        var names = coreNames.Copy();
        var signature = HessianVectorSignature(model, names, EquatableArray<Code>.Empty, null);
        var tangents = signature.Directions.ToDictionary(d => d.Input.Name, d => d.Name);
        for (var i = 0; i < signature.Gradients.Count; i++) tangents[signature.Gradients[i].Name] = signature.Products[i].Name;
        var seedName = ReverseModeTransform.SignatureNames(model).Seed;
        var code = new List<Code> { new Declare(model.ReturnType, seedName, Number(model.ReturnType, 1)) };
        code.AddRange(core);
        var body = TangentTransform.Run(code, names, tangents, signature.Directions.Select(d => d.Input.Name), signature.Gradients.Select(g => g.Name), resultTangent: null);
        return signature with { Body = body.ToEquatableArray() };
    }

    private static PullbackTangentProgram PullbackTangentSignature(MethodModel model, NameScope names, EquatableArray<Code> body, string? failure)
    {
        var signature = ReverseModeTransform.SignatureNames(model);
        var directions = model.Parameters.Where(p => p.Differentiable).Select(p => Named(names, "t", p)).ToEquatableArray();
        var seedTangent = model.ReturnsVoid ? null : names.Named("t" + signature.Seed);
        var outputAdjointTangents = signature.OutputAdjoints.Select(o => new GradientParameter(names.Named("t" + o.Name), o.Input)).ToEquatableArray();
        var gradientTangents = signature.Gradients.Select(g => new GradientParameter(names.Named("t" + g.Name), g.Input)).ToEquatableArray();
        var outputTangents = model.Parameters.Where(p => p.Shape == ParameterShape.Output).Select(p => Named(names, "t", p)).ToEquatableArray();
        return new PullbackTangentProgram(directions, seedTangent, outputAdjointTangents, gradientTangents, outputTangents, body, failure);
    }

    /// <summary>
    /// NamePullbackTangent: the tangent of the combined reverse sweep with the seed (or the outputs'
    /// adjoints) an input, as the directions are. The tangents of the gradients it accumulates are
    /// what a caller's Hessian-vector product needs from the call.
    /// </summary>
    private static PullbackTangentProgram PullbackTangent(MethodModel model, IReadOnlyList<Code> core, NameScope coreNames)
    {
        var names = coreNames.Copy();
        var program = PullbackTangentSignature(model, names, EquatableArray<Code>.Empty, null);
        var signature = ReverseModeTransform.SignatureNames(model);
        var tangents = program.Directions.ToDictionary(d => d.Input.Name, d => d.Name);
        var seeds = program.Directions.Select(d => d.Input.Name).ToList();
        if (program.SeedTangent is { } seedTangent)
        {
            tangents[signature.Seed] = seedTangent;
            seeds.Add(signature.Seed);
        }
        for (var i = 0; i < signature.OutputAdjoints.Count; i++)
        {
            tangents[signature.OutputAdjoints[i].Name] = program.OutputAdjointTangents[i].Name;
            seeds.Add(signature.OutputAdjoints[i].Name);
        }
        for (var i = 0; i < signature.Gradients.Count; i++) tangents[signature.Gradients[i].Name] = program.GradientTangents[i].Name;
        // A void method's outputs get their tangents in pooled locals, which the caller never sees.
        var code = new List<Code>();
        foreach (var output in program.OutputTangents)
        {
            tangents[output.Input.Name] = output.Name;
            code.Add(new DeclareBuffer(output.Input.Element, output.Name));
            code.Add(new RentBuffer(output.Input.Element, output.Name, new LengthOf(new ArraySource(output.Input.Name, output.Input.Element, ArrayKind.Output))));
        }
        code.AddRange(core);
        code.AddRange(program.OutputTangents.Select(o => new ReturnBuffer(o.Input.Element, o.Name)));
        var body = TangentTransform.Run(code, names, tangents, seeds, signature.Gradients.Select(g => g.Name), resultTangent: null);
        return program with { Body = body.ToEquatableArray() };
    }

    private static JacobianProgram JacobianSignature(MethodModel model, NameScope names, ParameterInfo output, string? failure)
    {
        var jacobians = model.Parameters.Where(p => p.Differentiable).Select(p => Named(names, "j", p)).ToEquatableArray();
        var directions = model.Parameters.Where(p => p.Differentiable).Select(p => names.Named("t" + p.Name)).ToEquatableArray();
        var local = new JacobianNames(names.Named("rows"), names.Named("inputs"), names.Named("row"), names.Named("column"),
            names.Named("seed"), names.Named("outputTangent"), directions, names.Named("pooledSeed"), names.Named("jacobian"));
        return new JacobianProgram(jacobians, new GradientParameter(output.Name, output), local, failure);
    }
}
