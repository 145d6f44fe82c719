namespace AutoGrad.Generators;

/// <summary>Names of the incremental pipeline's steps, for tests that check what is cached.</summary>
public static class TrackingNames
{
    public const string Lower = nameof(Lower);
    public const string Rules = nameof(Rules);
    public const string ReferencedRules = nameof(ReferencedRules);
    public const string RuleSet = nameof(RuleSet);
    public const string RecursiveCalls = nameof(RecursiveCalls);
    public const string Differentiate = nameof(Differentiate);
    public const string Program = nameof(Program);
}
