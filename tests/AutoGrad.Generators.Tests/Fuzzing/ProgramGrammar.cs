using CsCheck;

namespace AutoGrad.Generators.Tests.Fuzzing;

/// <summary>
/// CsCheck generators of well-typed programs over the documented grammar: scalar, array and span
/// parameters, int labels and a struct of settings read as constants, locals and a local array
/// (<c>new</c>, <c>stackalloc</c> or an initialiser), assignments and compound assignments, element
/// stores and in-place updates, branches, nested loops (constant, parameter, length and data-dependent
/// trip counts), break / continue / early return, calls to differentiable helpers and to [DerivativeOf]
/// rules (passing arrays and windows of them at constant or moving offsets, overwritten later), void
/// calls writing the local array or a window of it, a new array in every iteration of a loop, guard
/// throws that never fire at the points tried, reductions that fuse and look-alikes, running extremes. A quarter of the
/// programs opt into the derivative modes, half of those calling helpers too. Every index stays in range by construction
/// (<c>(i + c) % length</c>) and every function stays inside its domain.
/// </summary>
internal static class ProgramGrammar
{
    /// <summary>What a statement or expression may refer to where it stands.</summary>
    /// <param name="Limits">Per enclosing loop, the array whose length bounds it ('x', 'y') or '-': where <c>x[i]</c> needs no wrapping.</param>
    private sealed record Scope(int Locals, int LengthX, int LengthY, int LengthBuffer, int Loops, bool Calls = true, bool BufferIsSpan = false, string Limits = "")
    {
        public bool InLoop => Loops > 0;
        public Scope Inside(char limit) => this with { Loops = Loops + 1, Limits = Limits + limit };
    }

    private static readonly string[] Constants = ["0.5#", "1.5#", "-0.75#", "2#", "0.25#", "-1.25#"];

    public static readonly Gen<FuzzProgram> Program =
        from lengthX in Gen.Int[1, 5]
        from lengthY in Gen.Int[1, 4]
        from hasBuffer in Gen.Bool
        from lengthBuffer in Gen.Int[1, 4]
        from bufferForm in Gen.Int[0, 2]
        from n in Gen.Int[0, 3]
        from alsoFloat in Gen.Int[0, 3]
        from modes in Gen.Int[0, 3]
        from callsInModes in Gen.Bool
        from localCount in Gen.Int[1, 3]
        let calls = modes != 0 || callsInModes
        let scope = new Scope(0, lengthX, lengthY, hasBuffer ? lengthBuffer : 0, 0, calls, bufferForm == 1)
        from locals in Expression(scope with { LengthBuffer = 0 }, 2).Array[localCount] // the buffer is declared after the locals
        from statements in Block(scope with { Locals = localCount }, 2, 1, 5)
        from call in Gen.Int[-1, statements.Length]
        from output in Window(scope, "buf", lengthBuffer, scope.BufferIsSpan)
        from result in Expression(scope with { Locals = localCount }, 2)
        from point in Gen.Double[-1.5, 1.5].Array[2 + lengthX + lengthY]
        select new FuzzProgram(lengthX, lengthY, hasBuffer ? lengthBuffer : 0, n, alsoFloat == 0, locals,
            hasBuffer && calls && call >= 0 ? WithCall(statements, call, output) : statements,
            result, point, hasBuffer ? bufferForm : 0, Modes: modes == 0);

    /// <summary>The void call that writes the buffer whole, placed no later than the first store to it (a documented rule: written whole once, first).</summary>
    private static string[] WithCall(string[] statements, int position, string output)
    {
        var firstStore = Array.FindIndex(statements, s => s.Contains("buf[") && (s.Contains("] = ") || s.Contains("] += ")));
        if (firstStore >= 0) position = Math.Min(position, firstStore);
        return [.. statements.Take(position), $"$H.V(x, {output});", .. statements.Skip(position)];
    }

    private static Gen<string[]> Block(Scope scope, int depth, int min, int max) => Statement(scope, depth).Array[min, max];

    private static Gen<string> Statement(Scope scope, int depth) =>
        Gen.Int[0, 14].SelectMany(choice => choice switch
        {
            <= 2 => Assignment(scope, depth),
            3 when scope.LengthBuffer > 0 => Store(scope),
            4 when depth > 0 => Branch(scope, depth),
            5 or 6 when depth > 0 && scope.Loops < 2 => Loop(scope, depth),
            7 when scope.InLoop => from condition in Condition(scope) from jump in Gen.OneOf("break", "continue") select $"if ({condition}) {jump};",
            8 => from condition in Condition(scope) from value in Expression(scope, 2) select $"if ({condition}) return {value};",
            9 when scope.InLoop => Reduction(scope),
            10 => Guard(scope),
            11 when scope.InLoop => ScratchPerIteration(scope),
            12 when scope.Calls && scope.LengthBuffer > 0 => WindowCall(scope),
            13 when depth > 0 && scope.Loops < 2 => Gen.Int[0, 2].SelectMany(form => form switch { 0 => MapStore(scope), 1 => MapReduce(scope), _ => RunningExtreme(scope) }),
            14 when depth > 0 && scope.Loops < 2 => PerPoint(scope),
            _ => Assignment(scope, depth),
        });

    /// <summary>
    /// A loop over x or y of plain arithmetic into a sum (<c>v += e * f</c>, <c>v -= ...</c>): NameTangent may
    /// run it in a vector's lanes. Its terms read the array at the loop's index, the index as a value and what the
    /// loop does not change; no calls, no functions without an exact lane form.
    /// </summary>
    private static Gen<string> MapReduce(Scope scope)
    {
        var counter = $"i{scope.Loops}";
        var term = $"e{scope.Loops}";
        return
            from array in Gen.OneOf("x", "y")
            from term1 in LaneExpression(scope, array, counter, 3)
            from term2 in LaneExpression(scope, array, counter, 2)
            from target in Gen.Int[0, scope.Locals - 1]
            from op in Gen.OneOf("+=", "-=")
            select $"for (int {counter} = 0; {counter} < {array}.Length; {counter}++) {{ $T {term} = {term1}; v{target} {op} {term} * {term2}; }}";
    }

    /// <summary>
    /// A running maximum or minimum over x or y (<c>q = Max(q, e)</c>, either operand order), whose
    /// reverse takes the branch from the result and saves no old value; in a quarter of them the loop
    /// also reads the running value, so it must keep its saves.
    /// </summary>
    private static Gen<string> RunningExtreme(Scope scope)
    {
        var (counter, running) = ($"i{scope.Loops}", $"q{scope.Loops}");
        return
            from array in Gen.OneOf("x", "y")
            from value in LaneExpression(scope, array, counter, 2)
            from function in Gen.OneOf("Max", "Min")
            from runningFirst in Gen.Bool
            from readInLoop in Gen.Int[0, 3]
            from target in Gen.Int[0, scope.Locals - 1]
            let extreme = runningFirst ? $"$M.{function}({running}, {value})" : $"$M.{function}({value}, {running})"
            let read = readInLoop == 0 ? $"v{target} += {running} * 0.5#; " : ""
            select $"{{ $T {running} = {array}[0] * 1.5#; "
                + $"for (int {counter} = 1; {counter} < {array}.Length; {counter}++) {{ {read}{running} = {extreme}; }} v{target} += {running} * {running}; }}";
    }

    /// <summary>
    /// Loops over x or y that store into a new array of its length, at the loop's index and at a running index
    /// (<c>r++</c> in the body), read back in place, then summed: reverse mode may run all three in lanes.
    /// </summary>
    private static Gen<string> MapStore(Scope scope)
    {
        var (counter, buffer, running) = ($"i{scope.Loops}", $"m{scope.Loops}", $"r{scope.Loops}");
        return
            from array in Gen.OneOf("x", "y")
            from fill in LaneExpression(scope, array, counter, 2)
            from scale in LaneExpression(scope, array, counter, 2)
            from weight in LaneExpression(scope, array, counter, 1)
            from target in Gen.Int[0, scope.Locals - 1]
            select $"{{ $T[] {buffer} = new $T[{array}.Length]; int {running} = 0; "
                + $"for (int {counter} = 0; {counter} < {array}.Length; {counter}++) {{ {buffer}[{counter}] = {fill}; }} "
                + $"for (int {counter} = 0; {counter} < {array}.Length; {counter}++) {{ {buffer}[{running}] += {buffer}[{running}] * {scale}; {running}++; }} "
                + $"for (int {counter} = 0; {counter} < {array}.Length; {counter}++) {{ v{target} += {buffer}[{counter}] * {weight}; }} }}";
    }

    /// <summary>
    /// A loop over x whose iterations fill a scratch array of y's length, read it back into a sum and store a term at
    /// the loop's index (GMM's per-point body): reverse mode replays each iteration's scratch array, or keeps it
    /// (ReplayBudget; <see cref="ProgramRunner"/> runs such programs both ways).
    /// </summary>
    private static Gen<string> PerPoint(Scope scope)
    {
        var (outer, inner, scratch, terms, sum) = ($"i{scope.Loops}", $"j{scope.Loops}", $"p{scope.Loops}", $"u{scope.Loops}", $"s{scope.Loops}");
        return
            from fill in LaneExpression(scope, "y", inner, 2)
            from use in LaneExpression(scope, "y", inner, 1)
            from target in Gen.Int[0, scope.Locals - 1]
            from linear in Gen.Bool
            // A term linear in the sum leaves the sum's loop out of the replay, which then saves nothing and may keep.
            let term = linear ? $"{sum} * 0.5# + x[{outer}]" : $"$M.Sqrt(1# + {sum} * {sum})"
            select $"{{ $T[] {scratch} = new $T[y.Length]; $T[] {terms} = new $T[x.Length]; "
                + $"for (int {outer} = 0; {outer} < x.Length; {outer}++) {{ "
                + $"for (int {inner} = 0; {inner} < y.Length; {inner}++) {{ {scratch}[{inner}] = x[{outer}] * {fill}; }} "
                + $"$T {sum} = 0#; for (int {inner} = 0; {inner} < y.Length; {inner}++) {{ {sum} += {scratch}[{inner}] * {scratch}[{inner}] * {use}; }} "
                + $"{terms}[{outer}] = {term}; }} "
                + $"for (int {outer} = 0; {outer} < x.Length; {outer}++) {{ v{target} += {terms}[{outer}]; }} }}";
    }

    private static Gen<string> LaneExpression(Scope scope, string array, string counter, int depth)
    {
        var leaf = Gen.Int[0, 7].SelectMany(choice => choice switch
        {
            0 => Gen.OneOf("a", "b"),
            1 => Gen.OneOf(Constants),
            2 or 3 or 4 => Gen.Const($"{array}[{counter}]"),
            5 => Gen.Const($"($T){counter} * 0.5#"),
            6 => from c in Gen.Int[0, 3] from other in Gen.OneOf("x", "y") select $"{other}[lab[{c}] % {other}.Length]",
            _ => Gen.Const("h.Scale"),
        });
        if (depth == 0) return leaf;
        var sub = LaneExpression(scope, array, counter, depth - 1);
        return Gen.Int[0, 13].SelectMany(choice => choice switch
        {
            <= 3 => leaf,
            4 => from l in sub from r in sub select $"({l} + {r})",
            5 => from l in sub from r in sub select $"({l} - {r})",
            6 or 7 => from l in sub from r in sub select $"({l} * {r})",
            8 => from l in sub from r in sub select $"{l} / (2# + {r} * {r})",
            9 => sub.Select(e => $"-({e})"),
            10 => sub.Select(e => $"$M.Sqrt(1# + {e} * {e})"),
            11 => from f in Gen.OneOf("Max", "Min") from l in sub from r in sub select $"$M.{f}({l}, {r})",
            12 => sub.Select(e => $"$M.Pow({e}, 2)"),
            _ => from l in sub from r in sub from c in Gen.OneOf(Constants) select $"({l} > {c} ? {l} : {r})",
        });
    }

    /// <summary>A check of the inputs that never fails at the points the fuzzer tries: the generated methods repeat it.</summary>
    private static Gen<string> Guard(Scope scope) =>
        from kind in Gen.Int[0, 3]
        from target in Gen.Int[0, scope.Locals - 1]
        from value in Expression(scope, 1)
        select kind switch
        {
            0 => "if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), \"n must not be negative\");",
            1 => "ArgumentOutOfRangeException.ThrowIfNegative(n);",
            2 => "ArgumentOutOfRangeException.ThrowIfGreaterThan(h.Shift, x.Length + 100);",
            _ => $"v{target} = a > -10# ? {value} : throw new InvalidOperationException(\"a out of range\");",
        };

    /// <summary>A new array in every iteration: written by stores (or a call), read, and gone at the end of the block.</summary>
    private static Gen<string> ScratchPerIteration(Scope scope)
    {
        var t = $"t{scope.Loops}";
        return
            from length in Gen.Int[1, 3]
            from index in Gen.Int[0, 2]
            from value in Expression(scope, 1)
            from target in Gen.Int[0, scope.Locals - 1]
            from filled in Gen.Int[0, scope.Calls ? 2 : 1]
            from input in Gen.OneOf(Gen.Const("x"), Gen.Const("y"), Window(scope, "x", scope.LengthX, false), Window(scope, "y", scope.LengthY, true))
            let at = index % length
            let fill = filled switch
            {
                0 => $"{t}[{at}] = {value};",
                1 => $"{t}[{at}] += {value} * {t}[{(at + 1) % length}];",
                _ => $"$H.V({input}, {t}); {t}[{at}] += {value};",
            }
            select $"{{ var {t} = new $T[{length}]; {fill} v{target} += {t}[{at}] * {t}[{length - 1}]; }}";
    }

    /// <summary>The void helper writing a window of the local array (at a place that moves with the loop, in loops).</summary>
    private static Gen<string> WindowCall(Scope scope) =>
        from input in Gen.OneOf(Gen.Const("x"), Window(scope, "x", scope.LengthX, false), Window(scope, "y", scope.LengthY, true))
        from output in Window(scope, "buf", scope.LengthBuffer, scope.BufferIsSpan)
        select $"$H.V({input}, {output});";

    /// <summary>
    /// A non-empty window of an array or span in one of its spellings: a constant start and length, a start
    /// that moves with a loop counter, ranges, Slice, ^ from the end.
    /// </summary>
    private static Gen<string> Window(Scope scope, string array, int length, bool isSpan) =>
        from start in Gen.Int[0, Math.Max(0, length - 1)]
        from count in Gen.Int[1, Math.Max(1, length)]
        from form in Gen.Int[0, 5]
        let n = Math.Min(count, length - start)
        let asSpan = isSpan ? "Slice" : "AsSpan"
        select form switch
        {
            0 => $"{array}.{asSpan}({start}, {n})",
            1 => $"{array}.{asSpan}({start})",
            2 when isSpan || array != "buf" => $"{array}[{start}..{start + n}]", // a range of an array is a copy: an input only
            3 when scope.InLoop => $"{array}.{asSpan}((i{scope.Loops - 1} + {start}) % {array}.Length)",
            4 => isSpan ? $"{array}[^{length - start}..]" : $"{array}.AsSpan(^{length - start}..)",
            _ => $"{array}.{asSpan}({start}, {n}).Slice(0, {n})",
        };

    private static Gen<string> Assignment(Scope scope, int depth) =>
        from target in Gen.Int[0, scope.Locals - 1]
        from op in Gen.OneOf("=", "=", "+=", "-=", "*=")
        from value in Expression(scope, 2)
        select $"v{target} {op} {value};";

    /// <summary>
    /// A reduction a loop may fuse (<c>v += f(x[i])</c>), a look-alike that reads the total, or a running maximum or
    /// minimum (<c>v = Max(v, f(x[i]))</c>, LogSumExp's first loop) whose old value the reverse sweep needs only for its branch.
    /// </summary>
    private static Gen<string> Reduction(Scope scope) =>
        from target in Gen.Int[0, scope.Locals - 1]
        from array in Gen.OneOf("x", "y")
        from form in Gen.Int[0, 3]
        from factor in Expression(scope, 1)
        from extreme in Gen.OneOf("Max", "Min")
        select form switch
        {
            0 => $"v{target} += {array}[{LoopIndex(scope, array)}] * v{target} * 0.25#;",
            1 => $"v{target} = $M.{extreme}(v{target}, {array}[{LoopIndex(scope, array)}] * {factor});",
            _ => $"v{target} += {array}[{LoopIndex(scope, array)}] * {factor};",
        };

    private static string LoopIndex(Scope scope, string array) =>
        scope.Limits[scope.Loops - 1] == array[0] ? $"i{scope.Loops - 1}" : $"(i{scope.Loops - 1}) % {array}.Length";

    private static Gen<string> Store(Scope scope) =>
        from index in Index(scope, "buf", scope.LengthBuffer)
        from op in Gen.OneOf("=", "+=")
        from value in Expression(scope, 2)
        select $"buf[{index}] {op} {value};";

    private static Gen<string> Branch(Scope scope, int depth) =>
        from condition in Condition(scope)
        from then in Block(scope, depth - 1, 1, 3)
        from otherwise in Block(scope, depth - 1, 0, 2)
        select otherwise.Length == 0
            ? $"if ({condition}) {{ {string.Join(" ", then)} }}"
            : $"if ({condition}) {{ {string.Join(" ", then)} }} else {{ {string.Join(" ", otherwise)} }}";

    /// <summary>
    /// A counted loop; in a quarter of them the counter is declared before the <c>for</c> (<c>int i = 0; for (i = 0; ...)</c>
    /// or <c>int i; for (i = 0; ...)</c>) and, half of those, read after it, where it holds the trip count.
    /// </summary>
    private static Gen<string> Loop(Scope scope, int depth)
    {
        var counter = $"i{scope.Loops}";
        return
            from bound in Gen.Int[0, 4]
            let inside = scope.Inside(bound switch { 1 => 'x', 2 => 'y', _ => '-' })
            from condition in Condition(inside)
            from body in Block(inside, depth - 1, 1, 3)
            from declaration in Gen.Int[0, 7]
            from target in Gen.Int[0, scope.Locals - 1]
            let limit = bound switch
            {
                0 => "n",
                1 => "x.Length",
                2 => "y.Length",
                3 => $"3 && {condition}", // a data-dependent trip count
                _ => "2",
            }
            let loop = $"for ({(declaration <= 1 ? "" : "int ")}{counter} = 0; {counter} < {limit}; {counter}++) {{ {string.Join(" ", body)} }}"
            select declaration switch
            {
                0 => $"{{ int {counter} = 0; {loop} v{target} += ($T){counter} * 0.25#; }}",
                1 => $"{{ int {counter}; {loop} }}",
                _ => loop,
            };
    }

    private static Gen<string> Condition(Scope scope) =>
        from left in Expression(scope, 1)
        from op in Gen.OneOf("<", ">")
        from right in Gen.OneOf(Gen.OneOf(Constants), Expression(scope, 1))
        select $"{left} {op} {right}";

    private static Gen<string> Index(Scope scope, string array, int length) =>
        scope.Loops == 0
            ? Gen.Int[0, length - 1].Select(c => c.ToString())
            : from c in Gen.Int[0, length - 1]
              from loop in Gen.Int[0, scope.Loops - 1]
              from form in Gen.Int[0, 2]
              select form switch
              {
                  0 => c.ToString(),
                  // The loop's own index where the array's length bounds the loop: a loop NameTangent may run in lanes.
                  1 when scope.Limits[loop] == array[0] => $"i{loop}",
                  _ => $"(i{loop} + {c}) % {array}.Length",
              };

    private static Gen<string> Leaf(Scope scope) =>
        Gen.Int[0, 12].SelectMany(choice => choice switch
        {
            0 => Gen.Const("a"),
            1 => Gen.Const("b"),
            2 or 3 when scope.Locals > 0 => Gen.Int[0, scope.Locals - 1].Select(k => $"v{k}"),
            4 => Gen.OneOf(Constants),
            5 or 6 => Index(scope, "x", scope.LengthX).Select(i => $"x[{i}]"),
            7 => Index(scope, "y", scope.LengthY).Select(i => $"y[{i}]"),
            8 when scope.LengthBuffer > 0 => Index(scope, "buf", scope.LengthBuffer).Select(i => $"buf[{i}]"),
            9 when scope.InLoop => Gen.Int[0, scope.Loops - 1].Select(k => $"($T)i{k} * 0.5#"),
            10 => from c in Gen.Int[0, 3] from array in Gen.OneOf("x", "y") select $"{array}[lab[{c}] % {array}.Length]",
            11 => Gen.OneOf("h.Scale", "x[(h.Shift + 1) % x.Length] * h.Scale"),
            _ => Gen.Const("a"),
        });

    private static Gen<string> Expression(Scope scope, int depth)
    {
        if (depth == 0) return Leaf(scope);
        var sub = Expression(scope, depth - 1);
        return Gen.Int[0, 26].SelectMany(choice => choice switch
        {
            <= 5 => Leaf(scope),
            6 => from l in sub from r in sub select $"({l} + {r})",
            7 => from l in sub from r in sub select $"({l} - {r})",
            8 or 9 => from l in sub from r in sub select $"({l} * {r})",
            10 => from l in sub from r in sub select $"{l} / (2# + {r} * {r})",
            11 => sub.Select(e => $"-({e})"),
            12 => from f in Gen.OneOf("Sin", "Cos", "Tanh", "Atan") from e in sub select $"$M.{f}({e})",
            13 => sub.Select(e => $"$M.Exp($M.Tanh({e}))"),
            14 => sub.Select(e => $"$M.Sqrt(1# + {e} * {e})"),
            15 => sub.Select(e => $"$M.Log(2# + $M.Sin({e}))"),
            16 => sub.Select(e => $"$M.Tan(0.5# * $M.Sin({e}))"),
            17 => sub.Select(e => $"$M.Cbrt(2# + $M.Sin({e}))"),
            18 => sub.Select(e => $"$M.Pow({e}, 2)"),
            19 => from c in Condition(scope) from l in sub from r in sub select $"({c} ? {l} : {r})",
            20 when scope.Calls => from e in sub from array in Arrays(scope) select $"$H.H1({e}, {array})",
            21 when scope.Calls => from l in sub from r in sub select $"$H.H2({l}, {r})",
            22 when scope.Calls => sub.Select(e => $"$H.Sq({e})"),
            23 when scope.Calls => Arrays(scope).Select(array => $"$H.SumSq({array})"),
            24 => from f in Gen.OneOf("Max", "Min") from l in sub from r in sub select $"$M.{f}({l}, {r})",
            25 when scope.Calls => from e in sub from array in Arrays(scope) select $"$H.H3({e}, {array})",
            _ => from l in sub from r in sub select $"{l} / (1.5# + $M.Sin({r}))",
        });
    }

    private static Gen<string> Arrays(Scope scope) =>
        Gen.Int[0, 2].SelectMany(choice => choice switch
        {
            0 when scope.LengthBuffer > 0 => Gen.OneOf(Gen.Const("buf"), Window(scope, "buf", scope.LengthBuffer, scope.BufferIsSpan)),
            1 => Gen.OneOf(Window(scope, "x", scope.LengthX, false), Window(scope, "y", scope.LengthY, true)),
            _ => Gen.OneOf("x", "y"),
        });
}
