using System;
using System.Collections.Generic;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Lowering;

/// <summary>
/// Removes jumps: <c>return</c>, <c>break</c> and <c>continue</c> become assignments to flags,
/// the statements they skip are guarded by those flags, and loop conditions test them. What is
/// left (assignments, increments, if and while) is structured, so the reverse sweep can replay
/// it backwards from recorded branch decisions and trip counts alone.
/// </summary>
internal sealed class ControlFlowNormalizer(string result, Func<string, ScalarType, string> newVariable)
{
    [Flags]
    private enum Exits { None = 0, Return = 1, Break = 2, Continue = 4 }

    private sealed class LoopFlags
    {
        public string? Break;
        public string? Continue;
    }

    private string? _returned;

    public Block Normalize(Block body)
    {
        var statements = NormalizeSequence(body.Statements, 0, loop: null, topLevel: true, out _);
        if (_returned is not null) statements.Insert(0, new Assign(_returned, False, IsDeclaration: true));
        return ToBlock(statements);
    }

    private List<Stmt> NormalizeSequence(EquatableArray<Stmt> statements, int start, LoopFlags? loop, bool topLevel, out Exits exits)
    {
        var output = new List<Stmt>();
        exits = Exits.None;
        for (var i = start; i < statements.Count; i++)
        {
            if (topLevel && statements[i] is Return finalReturn)
            {
                // A return outside every branch and loop ends the method; nothing after it runs.
                if (finalReturn.Value is not null) output.Add(new Assign(result, finalReturn.Value, IsDeclaration: false));
                return output;
            }
            output.AddRange(NormalizeStatement(statements[i], loop, out var exit));
            exits |= exit;
            if (exit != Exits.None && i + 1 < statements.Count)
            {
                var rest = NormalizeSequence(statements, i + 1, loop, topLevel, out var restExits);
                exits |= restExits;
                if (rest.Count > 0) output.Add(new If(Guard(exit, loop), ToBlock(rest), Block.Empty));
                return output;
            }
        }
        return output;
    }

    private List<Stmt> NormalizeStatement(Stmt statement, LoopFlags? loop, out Exits exits)
    {
        exits = Exits.None;
        switch (statement)
        {
            case Return ret:
                exits = Exits.Return;
                _returned ??= newVariable("returned", ScalarType.Bool);
                var returning = new List<Stmt>();
                if (ret.Value is not null) returning.Add(new Assign(result, ret.Value, IsDeclaration: false));
                returning.Add(new Assign(_returned, True, IsDeclaration: false));
                return returning;
            case Break:
                exits = Exits.Break;
                loop!.Break ??= newVariable("broke", ScalarType.Bool);
                return new List<Stmt> { new Assign(loop.Break, True, IsDeclaration: false) };
            case Continue:
                exits = Exits.Continue;
                loop!.Continue ??= newVariable("continued", ScalarType.Bool);
                return new List<Stmt> { new Assign(loop.Continue, True, IsDeclaration: false) };
            case If branch:
                var then = NormalizeSequence(branch.Then.Statements, 0, loop, topLevel: false, out var thenExits);
                var otherwise = NormalizeSequence(branch.Else.Statements, 0, loop, topLevel: false, out var elseExits);
                exits = thenExits | elseExits;
                return new List<Stmt> { new If(branch.Condition, ToBlock(then), ToBlock(otherwise)) };
            case While whileLoop:
                return NormalizeLoop(whileLoop, out exits);
            default:
                return new List<Stmt> { statement };
        }
    }

    private List<Stmt> NormalizeLoop(While whileLoop, out Exits exits)
    {
        var flags = new LoopFlags();
        var body = NormalizeSequence(whileLoop.Body.Statements, 0, flags, topLevel: false, out var bodyExits);
        var mayReturn = (bodyExits & Exits.Return) != 0;
        exits = mayReturn ? Exits.Return : Exits.None;

        var loopBody = new List<Stmt>();
        if (flags.Continue is not null) loopBody.Add(new Assign(flags.Continue, False, IsDeclaration: false));
        loopBody.AddRange(body);
        if (whileLoop.Step.Statements.Count > 0)
        {
            var stopped = (mayReturn ? Exits.Return : Exits.None) | (flags.Break is not null ? Exits.Break : Exits.None);
            if (stopped == Exits.None) loopBody.AddRange(whileLoop.Step.Statements);
            else loopBody.Add(new If(Guard(stopped, flags), whileLoop.Step, Block.Empty));
        }

        var condition = whileLoop.Condition;
        if (flags.Break is not null) condition = And(Not(flags.Break), condition);
        if (mayReturn) condition = And(Not(_returned!), condition);

        var output = new List<Stmt>();
        if (flags.Break is not null) output.Add(new Assign(flags.Break, False, IsDeclaration: false));
        output.Add(new While(condition, ToBlock(loopBody), Block.Empty) { Site = whileLoop.Site });
        return output;
    }

    private Expr Guard(Exits exits, LoopFlags? loop)
    {
        Expr? guard = null;
        if ((exits & Exits.Return) != 0) guard = Not(_returned!);
        if ((exits & Exits.Break) != 0) guard = guard is null ? Not(loop!.Break!) : And(guard, Not(loop!.Break!));
        if ((exits & Exits.Continue) != 0) guard = guard is null ? Not(loop!.Continue!) : And(guard, Not(loop!.Continue!));
        return guard!;
    }

    private static readonly Constant True = new(ScalarType.Bool, "true");
    private static readonly Constant False = new(ScalarType.Bool, "false");

    private static Expr Not(string flag) => new Unary(ScalarType.Bool, UnaryOp.Not, new VarRef(ScalarType.Bool, flag));

    private static Expr And(Expr left, Expr right) => new Binary(ScalarType.Bool, BinaryOp.And, left, right);

    private static Block ToBlock(List<Stmt> statements) => new(statements.ToEquatableArray());
}
