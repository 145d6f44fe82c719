using System.Linq;
using AutoGrad.Generators.Model;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Diagnostics;

/// <summary>A diagnostic as plain data: the descriptor's id, where, and the message arguments.</summary>
public sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());

    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    public DiagnosticDescriptor Descriptor => DescriptorsById.Get(Id);

    /// <summary>The diagnostic at its place in one of the compilation's syntax trees (a source location, not an external file).</summary>
    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), Arguments.Cast<object>().ToArray());
}

internal static class DescriptorsById
{
    private static readonly System.Collections.Generic.Dictionary<string, DiagnosticDescriptor> s_byId =
        typeof(DiagnosticDescriptors).GetFields()
            .Select(f => f.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .ToDictionary(d => d.Id);

    public static DiagnosticDescriptor Get(string id) => s_byId[id];
}
