using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    private List<Code> Forward(Block block, int depth, Sweep sweep)
    {
        var output = new List<Code>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assign assign:
                    var saves = _plan.NeedsSave(assign, depth) && !sweep.Plain && !(sweep.Replaying && _plan.IsDeadReplaySave(assign));
                    var value = WithSplitCall(assign, assign.Value, saves, output);
                    if (!sweep.Plain) value = WithKeptResults(assign, value, sweep, output);
                    if (saves)
                    {
                        var type = _variables[assign.Target].Type;
                        var current = new VarRef(type, assign.Target);
                        output.Add(depth == 0
                            ? new Set(Slot(assign, "saved" + Capitalize(assign.Target), type), current)
                            : new Push(Stack(type, sweep), current));
                    }
                    output.Add(new Set(assign.Target, value));
                    break;
                case Increment increment:
                    output.Add(new Step(increment.Target, increment.Delta));
                    break;
                case Store store:
                    // A replay recomputes the iteration's local values only; its other stores were saved by the forward sweep.
                    if (sweep.Replaying && _plan.SavesOnMainStack(store)) break;
                    var element = new ElementRead(store.Array.Element, store.Array, store.Index);
                    var savesElement = _plan.IsNeeded(store.Array.Code) && (!sweep.Plain || _plan.SavesOnMainStack(store)) && !(sweep.Replaying && _plan.IsDeadReplaySave(store));
                    var stored = WithSplitCall(store, store.Value, savesElement, output);
                    if (savesElement)
                    {
                        output.Add(depth == 0
                            ? new Set(Slot(store, "saved" + Capitalize(store.Array.Code) + "Element", store.Array.Element), element)
                            : new Push(Stack(store.Array.Element, sweep), element));
                    }
                    output.Add(new SetElement(element, stored));
                    break;
                case Allocate allocate:
                    output.Add(new RentBuffer(allocate.Element, allocate.Name, allocate.Length));
                    break;
                case Check check:
                    output.Add(new CheckCode(check));
                    break;
                case Invoke invoke when _plan.UsesSplitSweeps(invoke):
                    // The callee saves its state in our record; its reverse half consumes it in ours.
                    _recordPassedToCallees = true;
                    output.AddRange(SaveOutputs(invoke, sweep));
                    output.Add(new InvokeCode(GeneratedNames.Forward(invoke.Target.Method), invoke.Arguments, _record, invoke.Target));
                    break;
                case Invoke invoke:
                    // No gradient work: the call as written. Its target tells forward mode over this code (an HVP)
                    // what the call writes, as in the primal code.
                    output.AddRange(SaveOutputs(invoke, sweep));
                    output.Add(new InvokeCode(invoke.Target.Method, invoke.Arguments, null, invoke.Target));
                    break;
                case If branch:
                    output.AddRange(ForwardIf(branch, depth, sweep));
                    break;
                case While loop when _plan.IsCheckpointed(loop, depth):
                    output.AddRange(ForwardCheckpointed(loop, sweep));
                    break;
                case While loop:
                    output.AddRange(ForwardLoop(loop, depth, sweep));
                    break;
            }
        }
        return output;
    }

    /// <summary>
    /// The value a statement stores, its call to a callee's split forward half in place of the call as
    /// written (<see cref="ReversePlan.SplitCallOf"/>). Before a save that call runs first, into a
    /// temporary: the reverse sweep restores the saved value before it calls the callee's reverse half,
    /// so what the callee saves must lie under it on the record.
    /// </summary>
    private Expr WithSplitCall(Stmt statement, Expr value, bool saves, List<Code> output)
    {
        if (_plan.SplitCallOf(statement) is not { } call) return value;
        _recordPassedToCallees = true;
        Expr forward = call with
        {
            Target = call.Target with { Method = GeneratedNames.Forward(call.Target.Method) },
            Arguments = call.Arguments.Append(new Argument(new RecordValue(_record), null)).ToEquatableArray(),
        };
        if (saves)
        {
            var result = _names.Numbered("called");
            output.Add(new Declare(call.Type, result, forward));
            forward = new VarRef(call.Type, result);
        }
        return Replace(value, call, forward);
    }

    /// <summary>
    /// The value with each of its costly calls (<see cref="ReversePlan.KeptResults"/>) computed first into a
    /// temporary and pushed, for the reverse sweep to pop; under the target's old value, which it restores first.
    /// </summary>
    private Expr WithKeptResults(Assign assign, Expr value, Sweep sweep, List<Code> output)
    {
        var kept = new List<(Expr Call, Expr Result)>();
        foreach (var call in _plan.KeptResults(assign))
        {
            // A call inside another kept one (exp(tanh(x))) reads the inner one's temporary.
            var computed = kept.Aggregate((Expr)call, (e, k) => ReplaceEqual(e, k.Call, k.Result));
            var result = new VarRef(call.Type, _names.Numbered("kept"));
            output.Add(new Declare(call.Type, result.Name, computed));
            output.Add(new Push(Stack(call.Type, sweep), result));
            value = ReplaceEqual(value, computed, result);
            kept.Add((computed, result));
        }
        return value;
    }

    private static Expr ReplaceEqual(Expr e, Expr node, Expr replacement) =>
        Equals(e, node) ? replacement : IrWalker.MapChildren(e, child => ReplaceEqual(child, node, replacement));

    private static Expr Replace(Expr e, Expr node, Expr replacement) =>
        ReferenceEquals(e, node) ? replacement : IrWalker.MapChildren(e, child => Replace(child, node, replacement));

    private List<Code> ForwardIf(If branch, int depth, Sweep sweep)
    {
        var then = Forward(branch.Then, depth, sweep);
        var otherwise = Forward(branch.Else, depth, sweep);
        if (!_plan.HasWork(branch, depth) || CanRecompute(branch) || sweep.Plain)
            return new List<Code> { new IfCode(branch.Condition, then.ToEquatableArray(), otherwise.ToEquatableArray()) };
        if (depth == 0)
        {
            // Outside loops each branch runs at most once: its decision fits in a local.
            var decision = Slot(branch, "tookBranch", ScalarType.Bool);
            return new List<Code>
            {
                new Set(decision, branch.Condition),
                new IfCode(new VarRef(ScalarType.Bool, decision), then.ToEquatableArray(), otherwise.ToEquatableArray()),
            };
        }
        // The reverse sweep pops the decision before it replays the branch, so it is pushed last.
        then.Add(new Push(Stack(ScalarType.Bool, sweep), new Constant(ScalarType.Bool, "true")));
        otherwise.Add(new Push(Stack(ScalarType.Bool, sweep), new Constant(ScalarType.Bool, "false")));
        return new List<Code> { new IfCode(branch.Condition, then.ToEquatableArray(), otherwise.ToEquatableArray()) };
    }

    private List<Code> ForwardLoop(While loop, int depth, Sweep sweep)
    {
        _plan.ReplayedBodies.TryGetValue(loop.Body, out var replayed);
        if (!_plan.HasWork(loop, depth)) replayed = null;
        // The reverse sweep replays each iteration and saves then, or pops what the iteration kept.
        var kept = replayed is not null && !sweep.Plain ? Kept(replayed, depth + 1, sweep with { Replaying = true }) : null;
        var keep = kept is null ? null : _names.Numbered("keep");
        var bodySweep = replayed is not null ? sweep with { Plain = true } : sweep;
        List<Code> body;
        if (kept is null)
        {
            body = Forward(loop.Body, depth + 1, bodySweep);
        }
        else
        {
            // The copy goes at the end of the core, before the counters step.
            var statements = loop.Body.Statements;
            body = Forward(new Block(statements.Take(replayed!.CoreCount).ToEquatableArray()), depth + 1, bodySweep);
            body.Add(new IfCode(new VarRef(ScalarType.Bool, keep!), KeepIteration(kept).ToEquatableArray(), EquatableArray<Code>.Empty));
            body.AddRange(Forward(new Block(statements.Skip(replayed.CoreCount).ToEquatableArray()), depth + 1, bodySweep));
        }
        if (!_plan.HasWork(loop, depth) || sweep.Plain) return new List<Code> { new WhileCode(loop.Condition, body.ToEquatableArray()) };
        var output = new List<Code>();
        if (_plan.SavedAroundLoop.TryGetValue(loop, out var saved))
            foreach (var variable in saved) output.Add(new Push(Stack(_variables[variable].Type, sweep), new VarRef(_variables[variable].Type, variable)));
        if (kept is not null) output.Add(new Declare(ScalarType.Bool, keep!, KeepsAt(kept)));
        // The reverse sweep pops the decision before it runs the loop backwards.
        var keptAfter = kept is null ? [] : new List<Code> { new Push(MainStack(ScalarType.Bool), new VarRef(ScalarType.Bool, keep!)) };
        if (RecomputedTrips(loop) is not null)
        {
            // The reverse sweep computes the trip count from the start and the bound.
            output.Add(new WhileCode(loop.Condition, body.ToEquatableArray()));
            output.AddRange(keptAfter);
            return output;
        }
        var trips = Slot(loop, "iterations", ScalarType.Int);
        body.Insert(0, new Step(trips, 1));
        output.Add(new Set(trips, new Constant(ScalarType.Int, "0")));
        output.Add(new WhileCode(loop.Condition, body.ToEquatableArray()));
        if (depth > 0) output.Add(new Push(Stack(ScalarType.Int, sweep), new VarRef(ScalarType.Int, trips)));
        output.AddRange(keptAfter);
        return output;
    }

    private List<Code> Reverse(Block block, int depth, Sweep sweep)
    {
        var output = new List<Code>();
        _plan.RecomputeAt.TryGetValue(block, out var recompute);
        _plan.ReplayedBodies.TryGetValue(block, out var replayed);
        for (var i = block.Statements.Count - 1; i >= 0; i--)
        {
            if (replayed is not null && i == replayed.CoreCount - 1)
            {
                // The counters' steps are undone: replay the iteration, then reverse it (the rest of this block) from the replay's saves.
                sweep = sweep with { Replaying = true };
                if (sweep.RestoresKept && Kept(replayed, depth, sweep) is { } kept)
                    output.AddRange(RestoreIteration(kept));
                else
                    output.AddRange(Replay(replayed, depth, sweep));
            }
            if (recompute.Definitions is not null && i == recompute.Position - 1)
            {
                output.Add(new Comment("Recompute this iteration's values instead of having saved them."));
                foreach (var definition in recompute.Definitions) output.Add(new Set(definition.Target, definition.Value));
            }
            var statement = block.Statements[i];
            if (!_plan.HasWork(statement, depth)) continue;
            switch (statement)
            {
                case Assign assign:
                    ReverseAssign(assign, depth, sweep, output);
                    break;
                case Increment increment:
                    output.Add(new Step(increment.Target, -increment.Delta));
                    break;
                case Store store:
                    ReverseStore(store, depth, sweep, output);
                    break;
                case Invoke invoke:
                    if (_plan.HasGradientWork(invoke))
                    {
                        BackpropagateInvoke(invoke, output);
                        output.AddRange(ClearRewrittenAdjoints(invoke));
                    }
                    output.AddRange(RestoreOutputs(invoke, sweep));
                    break;
                case If branch:
                    Expr decision = CanRecompute(branch) ? branch.Condition
                        : depth == 0 ? new VarRef(ScalarType.Bool, _slots[branch])
                        : new Pop(ScalarType.Bool, Stack(ScalarType.Bool, sweep));
                    output.Add(new IfCode(decision, Reverse(branch.Then, depth, sweep).ToEquatableArray(), Reverse(branch.Else, depth, sweep).ToEquatableArray()));
                    break;
                case While loop when _plan.IsCheckpointed(loop, depth):
                    output.AddRange(ReverseCheckpointed(loop, sweep));
                    break;
                case While loop:
                    var trips = RecomputedTrips(loop) ?? (depth == 0 ? new VarRef(ScalarType.Int, _slots[loop]) : new Pop(ScalarType.Int, Stack(ScalarType.Int, sweep)));
                    var iteration = _names.Numbered("iteration");
                    string? keep = null;
                    if (_plan.ReplayedBodies.TryGetValue(loop.Body, out var replayedBody) && Kept(replayedBody, depth + 1, sweep with { Replaying = true }) is not null)
                    {
                        // Whether this run of the loop kept its iterations, pushed after it by the forward sweep.
                        keep = _names.Numbered("kept");
                        output.Add(new Declare(ScalarType.Bool, keep, new Pop(ScalarType.Bool, MainStack(ScalarType.Bool))));
                    }
                    var reversedBody = Reverse(loop.Body, depth + 1, sweep with { RestoresKept = keep is not null });
                    if (_plan.RestoresCounter(loop))
                    {
                        // The trip count is read twice: for the counter's final value and for the loop.
                        if (trips is not (VarRef or Constant))
                        {
                            var count = _names.Numbered("trips");
                            output.Add(new Declare(ScalarType.Int, count, trips));
                            trips = new VarRef(ScalarType.Int, count);
                        }
                        output.Add(CounterEnd(loop, trips));
                    }
                    if (keep is null)
                    {
                        output.Add(new Repeat(iteration, trips, reversedBody.ToEquatableArray()));
                    }
                    else
                    {
                        // Two versions of the loop, chosen once per run: a test in every iteration cost GMM d2 3%.
                        var replayingBody = Reverse(loop.Body, depth + 1, sweep with { RestoresKept = false });
                        output.Add(new IfCode(new VarRef(ScalarType.Bool, keep),
                            EquatableArray.Of<Code>(new Repeat(iteration, trips, reversedBody.ToEquatableArray())),
                            EquatableArray.Of<Code>(new Repeat(_names.Numbered("iteration"), trips, replayingBody.ToEquatableArray()))));
                    }
                    if (_plan.SavedAroundLoop.TryGetValue(loop, out var saved))
                        for (var v = saved.Count - 1; v >= 0; v--) output.Add(new Set(saved[v], new Pop(_variables[saved[v]].Type, Stack(_variables[saved[v]].Type, sweep))));
                    break;
            }
        }
        return output;
    }

    /// <summary>Whether this build reverses the assignment in the fused iteration (see <see cref="ReversePlan.InFusedIteration"/>); only the combined core fuses.</summary>
    private bool InFusedIteration(Assign assign) => _fuses && _plan.InFusedIteration(assign);

    private void ReverseAssign(Assign assign, int depth, Sweep sweep, List<Code> output)
    {
        var type = _variables[assign.Target].Type;
        output.Add(new StatementComment(new VarRef(type, assign.Target), assign.Value));
        var scope = StatementScope(assign);
        // Until it is restored, the variable still holds the value this statement computed.
        var reuse = _plan.IsActiveAssignment(assign) && UsesOwnResult(assign.Value) && assign.Value.Type == type;
        if (!InFusedIteration(assign) && _plan.NeedsSave(assign, depth) && !(sweep.Replaying && _plan.IsDeadReplaySave(assign)))
        {
            if (reuse)
            {
                var computed = _names.Numbered("t");
                output.Add(new Declare(type, computed, new VarRef(type, assign.Target)));
                scope.Add(assign.Value, new VarRef(type, computed));
            }
            output.Add(new Set(assign.Target, depth == 0 ? new VarRef(type, _slots[assign]) : new Pop(type, Stack(type, sweep))));
        }
        else if (reuse && assign.Target != _method.ResultVariable && HoldsOwnResult(assign))
        {
            scope.Add(assign.Value, new VarRef(type, assign.Target));
        }
        if (!InFusedIteration(assign))
        {
            // The costly results the forward sweep pushed, before the old value: popped after it.
            foreach (var call in _plan.KeptResults(assign).Reverse())
            {
                var result = _names.Numbered("kept");
                output.Add(new Declare(call.Type, result, new Pop(call.Type, Stack(call.Type, sweep))));
                scope.Add(call, new VarRef(call.Type, result));
            }
        }
        if (!_plan.IsActiveAssignment(assign)) return;

        var dependsOnInputs = _activity.Depends(assign.Value);
        if (assign.Target == _method.ResultVariable)
        {
            // The result is never read, so its adjoint is the seed wherever it is assigned.
            if (!dependsOnInputs) return;
            Backpropagate(assign.Value, new VarRef(type, _seed), output, scope);
            scope.Flush(output);
            return;
        }
        var adjoint = Adjoint(assign.Target);
        if (!dependsOnInputs)
        {
            output.Add(new Set(adjoint, Number(type, 0)));
            return;
        }
        if (_plan.RunningExtremeOperand(assign) is { } operand)
        {
            // x = Max(x, v) unrestored: x still holds the result, which tells which argument it was.
            var runningAdjoint = _names.Numbered("g");
            output.Add(new Declare(type, runningAdjoint, new VarRef(type, adjoint)));
            var keptOld = DerivativeRules.KeptOldExtreme((MathCall)assign.Value, Value(operand, output, scope), new VarRef(type, assign.Target));
            output.Add(new Set(adjoint, Mul(new VarRef(type, runningAdjoint), Choose(keptOld, Number(type, 1), Number(type, 0)))));
            Backpropagate(operand, Mul(new VarRef(type, runningAdjoint), Choose(keptOld, Number(type, 0), Number(type, 1))), output, scope);
            scope.Flush(output);
            return;
        }
        if (AccumulatedTerm(assign) is { } term)
        {
            // v = v ± e passes v's adjoint through unchanged: no reset and re-add, which would chain
            // every iteration of a reduction loop on one floating-point add.
            var through = new VarRef(type, adjoint);
            Backpropagate(term.Term, term.Negated ? Neg(through) : through, output, scope);
            scope.Flush(output);
            return;
        }
        var gradient = _names.Numbered("g");
        output.Add(new Declare(type, gradient, new VarRef(type, adjoint)));
        output.Add(new Set(adjoint, Number(type, 0))); // the assignment overwrote the variable
        Backpropagate(assign.Value, new VarRef(type, gradient), output, scope);
        scope.Flush(output);
    }

    private void ReverseStore(Store store, int depth, Sweep sweep, List<Code> output)
    {
        var cache = StatementScope(store);
        output.Add(new StatementComment(new ElementRead(store.Array.Element, store.Array, store.Index), store.Value));
        var index = Value(store.Index, output, cache);
        var element = new ElementRead(store.Array.Element, store.Array, index);
        if (_plan.IsNeeded(store.Array.Code) && !(sweep.Replaying && _plan.IsDeadReplaySave(store)))
        {
            var stack = _plan.SavesOnMainStack(store) ? MainStack(store.Array.Element) : Stack(store.Array.Element, sweep);
            output.Add(new SetElement(element, depth == 0 ? new VarRef(store.Array.Element, _slots[store]) : new Pop(store.Array.Element, stack)));
        }
        else if (UsesOwnResult(store.Value) && HoldsOwnResult(store))
            cache.Add(store.Value, element); // not restored: the element still holds what this statement computed
        if (!_activity.IsActive(store.Array.Code)) return;
        var type = store.Array.Element;
        var adjoint = new ElementRead(type, new ArraySource(_arrayAdjoints[store.Array.Code], type, ArrayKind.Buffer), index);
        var gradient = _names.Numbered("g");
        output.Add(new Declare(type, gradient, adjoint));
        if (AccumulatedElementTerm(store) is { } term)
        {
            // a[i] = a[i] ± e passes the element's adjoint through unchanged: no reset and re-add.
            var through = new VarRef(type, gradient);
            Backpropagate(term.Term, term.Negated ? Neg(through) : through, output, cache);
            cache.Flush(output);
            return;
        }
        if (!_plan.IsUnconsumedAdjoint(store.Array.Code)) output.Add(new SetElement(adjoint, Number(type, 0)));
        Backpropagate(store.Value, new VarRef(type, gradient), output, cache);
        cache.Flush(output);
    }

    /// <summary>The <c>e</c> of <c>a[i] = a[i] + e</c>, <c>a[i] = e + a[i]</c> or <c>a[i] = a[i] - e</c> (the same index) when <c>e</c> does not read <c>a</c>.</summary>
    private static (Expr Term, bool Negated)? AccumulatedElementTerm(Store store)
    {
        if (store.Array.IsWindow || store.Value is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract } binary) return null;
        bool IsElement(Expr e) => e is ElementRead read && read.Array == store.Array && Equals(read.Index, store.Index) && read.Type == binary.Type;
        (Expr Term, bool Negated)? found =
            IsElement(binary.Left) ? (binary.Right, binary.Op == BinaryOp.Subtract)
            : binary.Op == BinaryOp.Add && IsElement(binary.Right) ? (binary.Left, false)
            : null;
        if (found is not { } term || IrWalker.ReadsArray(term.Term, store.Array.Code)) return null;
        return term;
    }

    private static string Capitalize(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);
}
