using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Diagnostics;
using AutoGrad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGrad.Generators.Lowering;

internal sealed partial class Lowerer
{
    /// <summary>Lowers one statement, preceded by what its expressions need done first (<see cref="_pending"/>).</summary>
    private void LowerStatement(StatementSyntax statement, List<Stmt> output)
    {
        var outer = _pending;
        _pending = new List<Stmt>();
        var lowered = new List<Stmt>();
        LowerStatementItself(statement, lowered);
        if (_loopDepth == 0)
        {
            output.AddRange(_hoisted);
            _hoisted.Clear();
        }
        output.AddRange(_pending);
        output.AddRange(lowered);
        _pending = outer;
    }

    /// <summary>
    /// A loop condition or step runs at every iteration, so a guard in it cannot be checked once
    /// before the loop: reported. (Window starts and lengths stay expressions there; see <see cref="Fix"/>.)
    /// </summary>
    private T LowerEachIteration<T>(ExpressionSyntax syntax, System.Func<T> lower)
    {
        var before = _pending.Count;
        _eachIteration++;
        var lowered = lower();
        _eachIteration--;
        if (_pending.Count > before)
        {
            _pending.RemoveRange(before, _pending.Count - before);
            Report(DiagnosticDescriptors.UnsupportedExpression, LocationInfo.From(syntax),
                "a guard throw in a loop condition or step; check it with an if statement in the loop body");
        }
        return lowered;
    }

    private void LowerStatementItself(StatementSyntax statement, List<Stmt> output)
    {
        _cancellation.ThrowIfCancellationRequested();
        switch (statement)
        {
            case BlockSyntax block:
                foreach (var inner in block.Statements) LowerStatement(inner, output);
                break;
            case EmptyStatementSyntax:
                break;
            case LocalDeclarationStatementSyntax declaration:
                if (declaration.IsConst) break; // constants are folded where they are read
                if (!declaration.UsingKeyword.IsKind(SyntaxKind.None))
                {
                    UnsupportedStatement(declaration.UsingKeyword, "using", "resources cannot be disposed inside differentiable code");
                    break;
                }
                LowerDeclaration(declaration.Declaration, output);
                break;
            case ExpressionStatementSyntax expression:
                LowerExpressionStatement(expression.Expression, output);
                break;
            case ReturnStatementSyntax { Expression: { } value }:
                if (LowerValue(value, ReturnType) is { } returned) output.Add(new Return(returned));
                break;
            case ReturnStatementSyntax when _method.ReturnsVoid:
                output.Add(new Return(null));
                break;
            case IfStatementSyntax ifStatement:
                var condition = LowerValue(ifStatement.Condition, ScalarType.Bool);
                var then = LowerBlock(ifStatement.Statement);
                var otherwise = ifStatement.Else is { } elseClause ? LowerBlock(elseClause.Statement) : Block.Empty;
                if (condition is not null) output.Add(new If(condition, then, otherwise));
                break;
            case ForStatementSyntax forStatement:
                LowerFor(forStatement, output);
                break;
            case WhileStatementSyntax whileStatement:
                var whileCondition = LowerEachIteration(whileStatement.Condition, () => LowerValue(whileStatement.Condition, ScalarType.Bool));
                var whileBody = LowerLoopBody(whileStatement.Statement);
                if (whileCondition is not null) output.Add(new While(whileCondition, whileBody, Block.Empty) { Site = LoopSite(whileStatement) });
                break;
            case DoStatementSyntax doStatement:
                LowerDo(doStatement, output);
                break;
            case ForEachStatementSyntax forEach:
                LowerForEach(forEach, output);
                break;
            case BreakStatementSyntax:
                output.Add(new Break());
                break;
            case ContinueStatementSyntax:
                output.Add(new Continue());
                break;
            case LocalFunctionStatementSyntax localFunction:
                UnsupportedStatement(localFunction.Identifier, "local function", "move it out as a static method marked [Differentiable]");
                break;
            case TryStatementSyntax tryStatement:
                UnsupportedStatement(tryStatement.TryKeyword, "try", "exceptions cannot be differentiated; validate inputs before calling the differentiable method");
                break;
            case SwitchStatementSyntax switchStatement:
                UnsupportedStatement(switchStatement.SwitchKeyword, "switch", "use if/else");
                break;
            case GotoStatementSyntax gotoStatement:
                UnsupportedStatement(gotoStatement.GotoKeyword, "goto", "use loops with break and continue");
                break;
            case LabeledStatementSyntax labeled:
                UnsupportedStatement(labeled.Identifier, "labeled", "labels only serve goto; use loops with break and continue");
                LowerStatement(labeled.Statement, output);
                break;
            case ThrowStatementSyntax { Expression: { } thrown }:
                if (LowerThrow(thrown) is { } check) output.Add(check);
                break;
            case ThrowStatementSyntax throwStatement:
                UnsupportedStatement(throwStatement.ThrowKeyword, "throw", "a rethrow has no exception to catch here; throw a new exception");
                break;
            default:
                UnsupportedStatement(statement.GetFirstToken(), StatementKindName(statement), "rewrite it with the supported statements");
                break;
        }
    }

    private ScalarType ReturnType => Symbols.ScalarOf(_method.ReturnType) ?? ScalarType.Double;

    private Block LowerBlock(StatementSyntax statement)
    {
        var statements = new List<Stmt>();
        LowerStatement(statement, statements);
        return new Block(statements.ToEquatableArray());
    }

    private Block LowerLoopBody(StatementSyntax statement)
    {
        if (_loopDepth == 0) _outermostLoop = statement.Parent;
        _loopDepth++;
        try
        {
            return LowerBlock(statement);
        }
        finally
        {
            _loopDepth--;
        }
    }

    private void LowerDeclaration(VariableDeclarationSyntax declaration, List<Stmt> output)
    {
        foreach (var declarator in declaration.Variables)
        {
            if (_model.GetDeclaredSymbol(declarator, _cancellation) is not ILocalSymbol local) continue;
            if (declarator.Initializer?.Value is { } initial && IsSpanType(local.Type) && LowerArray(initial) is { } window)
            {
                // var row = q.AsSpan(k * d, d): a name for a window, whose start and length are fixed here.
                _spans[local] = window;
                continue;
            }
            if (Symbols.LocalArrayOf(local.Type) is { } element)
            {
                LowerBuffer(declarator, local, element, output);
                continue;
            }
            if (Symbols.ScalarOf(local.Type) is not { } type)
            {
                ReportLocal(declarator.Identifier, local, Symbols.ArrayOf(local.Type) is null ? LocalTypeAdvice : SliceAdvice);
                continue;
            }
            var name = DeclareLocal(local, type);
            if (declarator.Initializer is { } initializer && LowerValue(initializer.Value, type) is { } value)
                output.Add(new Assign(name, value, IsDeclaration: true));
        }
    }

    private const string LocalTypeAdvice =
        "use double, float, int, long or bool, or an array of double or float created here (new T[n], an initialiser, or stackalloc into a Span<T>)";

    private const string SliceAdvice =
        "a span local may be a new array (stackalloc T[n]) or a window of one (x.AsSpan(i, n), x.Slice(i, n), span[a..b]); an array local x[a..b] is a copy, so take a window with x.AsSpan(a..b)";

    private static bool IsSpanType(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, Name: "Span" or "ReadOnlySpan" } named && named.ContainingNamespace?.ToDisplayString() == "System";

    /// <summary>Reports a local that cannot be lowered; its later uses stay silent, since they share this one cause.</summary>
    private void ReportLocal(SyntaxToken identifier, ILocalSymbol local, string advice)
    {
        _unlowered.Add(local);
        Report(DiagnosticDescriptors.UnsupportedLocalType, LocationInfo.From(identifier), local.Name, local.Type.ToDisplayString(), advice);
    }

    /// <summary>
    /// A local array: <c>new T[n]</c>, <c>stackalloc T[n]</c>, or an initialiser (<c>[a, b]</c>, <c>{ a, b }</c>,
    /// <c>new T[] { a, b }</c>). Generated code takes it from a pool, zeroed, and stores the initial elements.
    /// </summary>
    private void LowerBuffer(VariableDeclaratorSyntax declarator, ILocalSymbol local, ScalarType element, List<Stmt> output)
    {
        if (declarator.Initializer?.Value is not { } creation || BufferShape(creation) is not { } shape)
        {
            ReportLocal(declarator.Identifier, local, declarator.Initializer is null
                ? $"create a local array where it is declared, as 'new {element.Keyword()}[n]', 'stackalloc {element.Keyword()}[n]' or with an initialiser such as '[1.0, 2.0]'"
                : $"{SliceAdvice}; or create a new array as 'new {element.Keyword()}[n]' or with an initialiser such as '[1.0, 2.0]'");
            return;
        }
        if (_loopDepth > 0 && shape.Length is { } loopLength && ChangesInLoop(loopLength) is { } changing)
        {
            ReportLocal(declarator.Identifier, local,
                $"its length reads '{changing}', which changes inside the loop; allocate the largest size before the loop and use a window of it (t.AsSpan(0, m))");
            return;
        }
        var length = shape.Length is { } size ? LowerValue(size, ScalarType.Int) : ConstantOf(ScalarType.Int, shape.Elements!.Count);
        var values = shape.Elements?.Select(e => LowerValue(e, element)).ToList() ?? new List<Expr?>();
        var name = _assignedNames.Contains(local.Name) ? Fresh(local.Name) : local.Name;
        _assignedNames.Add(name);
        var buffer = new ArraySource(name, element, ArrayKind.Buffer);
        _buffers[local] = buffer;
        _bufferInfos.Add(new BufferInfo(name, element));
        if (length is null || values.Any(v => v is null)) return;
        if (_loopDepth == 0)
        {
            output.Add(new Allocate(name, element, length));
        }
        else
        {
            // A new array in every iteration is one pooled array, rented before the loops and zeroed at every
            // declaration: element stores, so the reverse sweep restores what an earlier iteration left in it.
            _hoisted.Add(new Allocate(name, element, length));
            if (values.Count == 0) output.AddRange(ZeroElements(buffer));
        }
        for (var i = 0; i < values.Count; i++) output.Add(new Store(buffer, ConstantOf(ScalarType.Int, i)!, values[i]!));
    }

    /// <summary><c>for (int i = 0; i &lt; t.Length; i++) t[i] = 0;</c></summary>
    private IEnumerable<Stmt> ZeroElements(ArraySource buffer)
    {
        var index = NewVariable("index", ScalarType.Int);
        var at = new VarRef(ScalarType.Int, index);
        yield return new Assign(index, ConstantOf(ScalarType.Int, 0)!, IsDeclaration: true);
        yield return new While(
            new Binary(ScalarType.Bool, BinaryOp.Less, at, new LengthOf(buffer)),
            new Block(EquatableArray.Of<Stmt>(new Store(buffer, at, ConstantOf(buffer.Element, 0)!))),
            new Block(EquatableArray.Of<Stmt>(new Increment(index, 1))));
    }

    /// <summary>A variable the expression reads that the outermost loop around it writes, or null.</summary>
    private string? ChangesInLoop(ExpressionSyntax expression)
    {
        if (_outermostLoop is not StatementSyntax loop) return null;
        var written = _model.AnalyzeDataFlow(loop)?.WrittenInside ?? default;
        if (written.IsDefaultOrEmpty) return null;
        foreach (var name in expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            var symbol = _model.GetSymbolInfo(name, _cancellation).Symbol;
            if (symbol is ILocalSymbol or IParameterSymbol && written.Contains(symbol, SymbolEqualityComparer.Default)) return name.Identifier.ValueText;
        }
        return null;
    }

    /// <summary>The length or the initial elements of an array creation; null for any other initial value.</summary>
    private static (ExpressionSyntax? Length, IReadOnlyList<ExpressionSyntax>? Elements)? BufferShape(ExpressionSyntax creation)
    {
        static (ExpressionSyntax?, IReadOnlyList<ExpressionSyntax>?)? Sized(ArrayTypeSyntax type, InitializerExpressionSyntax? initializer)
        {
            if (initializer is not null) return (null, initializer.Expressions);
            return type.RankSpecifiers.Count == 1 && type.RankSpecifiers[0].Sizes is { Count: 1 } sizes && sizes[0] is not OmittedArraySizeExpressionSyntax
                ? (sizes[0], null)
                : null;
        }
        return creation switch
        {
            ArrayCreationExpressionSyntax array => Sized(array.Type, array.Initializer),
            StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax type } stackAllocation => Sized(type, stackAllocation.Initializer),
            ImplicitArrayCreationExpressionSyntax implicitArray => (null, implicitArray.Initializer.Expressions),
            ImplicitStackAllocArrayCreationExpressionSyntax implicitStackalloc => (null, implicitStackalloc.Initializer.Expressions),
            InitializerExpressionSyntax initializer => (null, initializer.Expressions),
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) =>
                (null, collection.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression).ToList()),
            _ => null,
        };
    }

    private void LowerExpressionStatement(ExpressionSyntax expression, List<Stmt> output)
    {
        switch (expression)
        {
            case InvocationExpressionSyntax when _model.GetSymbolInfo(expression, _cancellation).Symbol is IMethodSymbol { Name: "Assert", ContainingType: var type }
                && type.ToDisplayString() is "System.Diagnostics.Debug" or "System.Diagnostics.Trace":
                break; // a check of the primal code: the generated derivative neither needs nor repeats it
            case InvocationExpressionSyntax invocation when _model.GetSymbolInfo(expression, _cancellation).Symbol is IMethodSymbol { IsStatic: true, ReturnsVoid: true } helper
                && helper.Name.StartsWith("Throw", System.StringComparison.Ordinal) && IsException(helper.ContainingType):
                if (LowerThrowHelper(invocation, helper) is { } guard) output.Add(guard);
                break;
            case AssignmentExpressionSyntax assignment:
                LowerAssignment(assignment, output);
                break;
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix:
                LowerStep(postfix.Operand, postfix.IsKind(SyntaxKind.PostIncrementExpression) ? 1 : -1, output);
                break;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix:
                LowerStep(prefix.Operand, prefix.IsKind(SyntaxKind.PreIncrementExpression) ? 1 : -1, output);
                break;
            case InvocationExpressionSyntax invocation when _model.GetSymbolInfo(invocation, _cancellation).Symbol is IMethodSymbol { ReturnsVoid: true }:
                LowerInvocationStatement(invocation, output);
                break;
            case InvocationExpressionSyntax when _model.GetSymbolInfo(expression, _cancellation).Symbol is null:
                _compilerErrors = true;
                break;
            case InvocationExpressionSyntax:
                UnsupportedStatement(expression.GetFirstToken(), "call", "a call whose result is discarded has no effect on the gradient; use its result or remove it", expression);
                break;
            default:
                UnsupportedStatement(expression.GetFirstToken(), "expression", "only assignments and ++/-- may stand as statements", expression);
                break;
        }
    }

    private void LowerStep(ExpressionSyntax operand, int delta, List<Stmt> output)
    {
        if (AssignmentTarget(operand) is not { } target) return;
        if (target.Type is ScalarType.Int or ScalarType.Long)
        {
            output.Add(new Increment(target.Name, delta));
            return;
        }
        var one = ConstantOf(target.Type, 1)!;
        output.Add(new Assign(target.Name, new Binary(target.Type, delta > 0 ? BinaryOp.Add : BinaryOp.Subtract, target, one), IsDeclaration: false));
    }

    private void LowerAssignment(AssignmentExpressionSyntax assignment, List<Stmt> output)
    {
        if (assignment.Left is ElementAccessExpressionSyntax element && LowerArray(element.Expression) is { Kind: ArrayKind.Output or ArrayKind.Buffer } written)
        {
            LowerStore(assignment, element, written, output);
            return;
        }
        if (assignment.Left is DeclarationExpressionSyntax or TupleExpressionSyntax)
        {
            LowerDeconstruction(assignment, output);
            return;
        }
        if (AssignmentTarget(assignment.Left) is not { } target) return;
        if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            if (LowerValue(assignment.Right, target.Type) is { } value) output.Add(new Assign(target.Name, value, IsDeclaration: false));
            return;
        }
        if (CompoundOperator(assignment) is not { } op) return;
        if (LowerExpression(assignment.Right) is not { } right) return;

        // An integer stepped by a constant stays invertible, so loops over indices need no saved values.
        if (target.Type is ScalarType.Int or ScalarType.Long && op is BinaryOp.Add or BinaryOp.Subtract
            && _model.GetConstantValue(assignment.Right, _cancellation) is { HasValue: true, Value: int or long } step)
        {
            var delta = System.Convert.ToInt64(step.Value, System.Globalization.CultureInfo.InvariantCulture);
            output.Add(new Increment(target.Name, op == BinaryOp.Add ? delta : -delta));
            return;
        }
        // C# evaluates x op= y in the wider of the two types, then converts back to x's type.
        var wide = Wider(target.Type, right.Type);
        var combined = new Binary(wide, op, Convert(target, wide), Convert(right, wide));
        output.Add(new Assign(target.Name, Convert(combined, target.Type), IsDeclaration: false));
    }

    private void LowerStore(AssignmentExpressionSyntax assignment, ElementAccessExpressionSyntax element, ArraySource array, List<Stmt> output)
    {
        if (element.ArgumentList.Arguments.Count != 1)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, LocationInfo.From(element.ArgumentList), "only a single integer index is supported");
            return;
        }
        var index = LowerValue(element.ArgumentList.Arguments[0].Expression, ScalarType.Int);
        var right = LowerValue(assignment.Right, array.Element);
        if (index is null || right is null) return;
        (array, index) = InWhole(array, index);
        if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            output.Add(new Store(array, index, right));
            return;
        }
        if (CompoundOperator(assignment) is not { } op) return;
        var current = new ElementRead(array.Element, array, index);
        output.Add(new Store(array, index, new Binary(array.Element, op, current, right)));
    }

    /// <summary>
    /// <c>var (s, c) = (a, b);</c> and <c>(x, y) = (a, b);</c>: every value is computed before any target is
    /// written (as C# does), so <c>(x, y) = (y, x)</c> swaps.
    /// </summary>
    private void LowerDeconstruction(AssignmentExpressionSyntax assignment, List<Stmt> output)
    {
        var targets = new List<ExpressionSyntax>();
        var designations = new List<SyntaxNode>();
        void Flatten(SyntaxNode node)
        {
            switch (node)
            {
                case TupleExpressionSyntax tuple: foreach (var argument in tuple.Arguments) Flatten(argument.Expression); break;
                case DeclarationExpressionSyntax declaration: Flatten(declaration.Designation); break;
                case ParenthesizedVariableDesignationSyntax designation: foreach (var variable in designation.Variables) Flatten(variable); break;
                case SingleVariableDesignationSyntax or DiscardDesignationSyntax: designations.Add(node); break;
                case ExpressionSyntax expression: targets.Add(expression); designations.Add(node); break;
            }
        }
        Flatten(assignment.Left);
        var values = assignment.Right is TupleExpressionSyntax tupleValue && tupleValue.Arguments.Count == designations.Count
            ? tupleValue.Arguments.Select(a => a.Expression).ToList()
            : null;
        if (values is null || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            foreach (var designation in designations)
                if (_model.GetDeclaredSymbol(designation, _cancellation) is ILocalSymbol local) _unlowered.Add(local);
            Report(DiagnosticDescriptors.UnsupportedExpression, LocationInfo.From(assignment),
                "deconstructing anything but a tuple literal such as (a, b); assign each variable in its own statement");
            return;
        }
        var temporaries = new List<(string Target, Expr Value)>();
        for (var i = 0; i < designations.Count; i++)
        {
            string? name = null;
            ScalarType type;
            if (designations[i] is DiscardDesignationSyntax || designations[i] is IdentifierNameSyntax { Identifier.ValueText: "_" } && _model.GetSymbolInfo(designations[i], _cancellation).Symbol is null)
                continue;
            if (_model.GetDeclaredSymbol(designations[i], _cancellation) is ILocalSymbol local)
            {
                if (Symbols.ScalarOf(local.Type) is not { } localType)
                {
                    ReportLocal(((SingleVariableDesignationSyntax)designations[i]).Identifier, local, LocalTypeAdvice);
                    continue;
                }
                name = DeclareLocal(local, localType);
                type = localType;
            }
            else if (AssignmentTarget((ExpressionSyntax)designations[i]) is { } target)
            {
                name = target.Name;
                type = target.Type;
            }
            else continue;
            if (LowerValue(values[i], type) is not { } value) continue;
            var temporary = NewVariable("value", type);
            output.Add(new Assign(temporary, value, IsDeclaration: true));
            temporaries.Add((name, new VarRef(type, temporary)));
        }
        foreach (var (target, value) in temporaries) output.Add(new Assign(target, value, IsDeclaration: false));
    }

    /// <summary>The operator of <c>x op= y</c>, or null (reported) for one AutoGrad does not differentiate.</summary>
    private BinaryOp? CompoundOperator(AssignmentExpressionSyntax assignment)
    {
        BinaryOp? op = assignment.Kind() switch
        {
            SyntaxKind.AddAssignmentExpression => BinaryOp.Add,
            SyntaxKind.SubtractAssignmentExpression => BinaryOp.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => BinaryOp.Multiply,
            SyntaxKind.DivideAssignmentExpression => BinaryOp.Divide,
            SyntaxKind.ModuloAssignmentExpression => BinaryOp.Remainder,
            _ => null,
        };
        if (op is null) Report(DiagnosticDescriptors.UnsupportedExpression, LocationInfo.From(assignment.OperatorToken), $"the '{assignment.OperatorToken.ValueText}' assignment");
        return op;
    }

    /// <summary>The variable an assignment writes, or null (reported) when it writes anything else.</summary>
    private VarRef? AssignmentTarget(ExpressionSyntax target)
    {
        var symbol = _model.GetSymbolInfo(target, _cancellation).Symbol;
        if (IsUnlowered(target)) return null;
        if (target is IdentifierNameSyntax && symbol is ILocalSymbol or IParameterSymbol && _names.TryGetValue(symbol, out var name)
            && _variables.FirstOrDefault(v => v.Name == name) is { } variable)
        {
            return new VarRef(variable.Type, variable.Name);
        }
        if (target is ElementAccessExpressionSyntax access && _model.GetSymbolInfo(access.Expression, _cancellation).Symbol is IParameterSymbol array)
        {
            Report(DiagnosticDescriptors.WriteToInput, LocationInfo.From(target), array.Name);
            return null;
        }
        Report(DiagnosticDescriptors.UnsupportedExpression, LocationInfo.From(target), "only local variables and scalar parameters can be assigned");
        return null;
    }

    /// <summary>Numbers a loop the user wrote, so a diagnostic about it can point at its keyword.</summary>
    private int LoopSite(StatementSyntax loop)
    {
        var site = _loopSites.Count;
        var keyword = loop switch
        {
            ForStatementSyntax forStatement => forStatement.ForKeyword,
            ForEachStatementSyntax forEach => forEach.ForEachKeyword,
            DoStatementSyntax doStatement => doStatement.DoKeyword,
            _ => ((WhileStatementSyntax)loop).WhileKeyword,
        };
        _loopSites.Add(new CallSite(site, LocationInfo.From(keyword)));
        return site;
    }

    private void LowerFor(ForStatementSyntax forStatement, List<Stmt> output)
    {
        if (forStatement.Declaration is { } declaration) LowerDeclaration(declaration, output);
        foreach (var initializer in forStatement.Initializers) LowerExpressionStatement(initializer, output);
        var condition = forStatement.Condition is { } c ? LowerEachIteration(c, () => LowerValue(c, ScalarType.Bool)) : ConstantOf(ScalarType.Bool, true);
        var body = LowerLoopBody(forStatement.Statement);
        var step = new List<Stmt>();
        foreach (var incrementor in forStatement.Incrementors) LowerEachIteration(incrementor, () => { LowerExpressionStatement(incrementor, step); return 0; });
        if (condition is not null) output.Add(new While(condition, body, new Block(step.ToEquatableArray())) { Site = LoopSite(forStatement) });
    }

    private void LowerDo(DoStatementSyntax doStatement, List<Stmt> output)
    {
        // do { body } while (c)  ==  first = true; while (first || c) { first = false; body }
        var condition = LowerEachIteration(doStatement.Condition, () => LowerValue(doStatement.Condition, ScalarType.Bool));
        var body = LowerLoopBody(doStatement.Statement);
        if (condition is null) return;
        var first = NewVariable("firstIteration", ScalarType.Bool);
        output.Add(new Assign(first, ConstantOf(ScalarType.Bool, true)!, IsDeclaration: true));
        var statements = new List<Stmt> { new Assign(first, ConstantOf(ScalarType.Bool, false)!, IsDeclaration: false) };
        statements.AddRange(body.Statements);
        var loopCondition = new Binary(ScalarType.Bool, BinaryOp.Or, new VarRef(ScalarType.Bool, first), condition);
        output.Add(new While(loopCondition, new Block(statements.ToEquatableArray()), Block.Empty) { Site = LoopSite(doStatement) });
    }

    private void LowerForEach(ForEachStatementSyntax forEach, List<Stmt> output)
    {
        var source = LowerArray(forEach.Expression);
        if (source is null)
        {
            UnsupportedStatement(forEach.ForEachKeyword, "foreach", $"foreach works over an array or span parameter, not over '{forEach.Expression}'; use a for loop", forEach.Expression);
            return;
        }
        if (_model.GetDeclaredSymbol(forEach, _cancellation) is not ILocalSymbol local) return;
        if (Symbols.ScalarOf(local.Type) is not { } type)
        {
            ReportLocal(forEach.Identifier, local, LocalTypeAdvice);
            return;
        }
        var element = DeclareLocal(local, type);
        var index = NewVariable("index", ScalarType.Int);
        output.Add(new Assign(index, ConstantOf(ScalarType.Int, 0)!, IsDeclaration: true));
        var (whole, at) = InWhole(source, new VarRef(ScalarType.Int, index));
        var body = new List<Stmt>
        {
            new Assign(element, Convert(new ElementRead(source.Element, whole, at), type), IsDeclaration: true),
        };
        body.AddRange(LowerLoopBody(forEach.Statement).Statements);
        var condition = new Binary(ScalarType.Bool, BinaryOp.Less, new VarRef(ScalarType.Int, index), LengthOf(source));
        output.Add(new While(condition, new Block(body.ToEquatableArray()), new Block(EquatableArray.Of<Stmt>(new Increment(index, 1)))) { Site = LoopSite(forEach) });
    }

    private void UnsupportedStatement(SyntaxToken at, string kind, string advice, SyntaxNode? node = null) =>
        Report(DiagnosticDescriptors.UnsupportedStatement, node is null ? LocationInfo.From(at) : LocationInfo.From(node), kind, advice);

    private static string StatementKindName(StatementSyntax statement) => statement switch
    {
        LockStatementSyntax => "lock",
        UsingStatementSyntax => "using",
        FixedStatementSyntax => "fixed",
        CheckedStatementSyntax => "checked",
        UnsafeStatementSyntax => "unsafe",
        YieldStatementSyntax => "yield",
        ReturnStatementSyntax => "empty return",
        _ => statement.Kind().ToString(),
    };
}
