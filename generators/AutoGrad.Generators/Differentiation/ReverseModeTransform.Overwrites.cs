using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// Whether, when the reverse sweep reaches this assignment, its target still holds the value
    /// the assignment computed, so a derivative written in terms of its result (tanh, exp, a
    /// quotient) may read it: the target is restored at every later overwrite (and not saved
    /// once around a loop instead), or nothing overwrites it later. Otherwise the derivative
    /// recomputes the value from the operands, which the reverse sweep restores.
    /// </summary>
    private bool HoldsOwnResult(Assign assign) =>
        InFusedIteration(assign)
        || (_plan.IsNeeded(assign.Target) && !_plan.SavedOnceAroundLoop(assign))
        || (!_split && _plan.IsLastWrite(assign)); // a split reverse sweep only has the variables the record carried

    /// <summary>
    /// The same for an element store. A caller of a split sweep keeps the outputs intact until it
    /// runs the reverse half (it counts them among what the reverse sweep reads).
    /// </summary>
    private bool HoldsOwnResult(Store store) => _plan.IsLastWrite(store);

    /// <summary>After a call's pullback: the adjoints of what it wrote over, which earlier writes must not see.</summary>
    private IEnumerable<Code> ClearRewrittenAdjoints(Invoke invoke) =>
        _plan.RewrittenOutputs.TryGetValue(invoke, out var outputs)
            ? outputs.Where(o => _arrayAdjoints.ContainsKey(o.Code)).Select(o => (Code)new ClearContents(o.Renamed(_arrayAdjoints[o.Code])))
            : Enumerable.Empty<Code>();

    private IEnumerable<Code> SaveOutputs(Invoke invoke, Sweep sweep) =>
        _plan.SavedOutputs.TryGetValue(invoke, out var outputs)
            ? outputs.Select(o => (Code)new SaveContents(Stack(o.Element, sweep), o))
            : Enumerable.Empty<Code>();

    private IEnumerable<Code> RestoreOutputs(Invoke invoke, Sweep sweep) =>
        _plan.SavedOutputs.TryGetValue(invoke, out var outputs)
            ? Enumerable.Reverse(outputs).Select(o => (Code)new RestoreContents(Stack(o.Element, sweep), o))
            : Enumerable.Empty<Code>();
}
