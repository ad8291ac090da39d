/**
 * What grading reads in a submission's exercise cell before any of it runs, on its
 * syntax tree (TypeScript's parser): a syntax error, with its line; anything that
 * would load code (an `import` of any form, `export ... from`, `import.meta`),
 * which grading does not allow; the names the cell declares at its top level; and
 * every name it mentions, so that a later cell can be given the earlier cells'
 * functions it uses, as in the notebook, and nothing else.
 *
 * @module
 */

import ts from "typescript";

/** What {@link analyzeCell} found in one cell. */
export interface CellAnalysis {
  /** Why the cell cannot run, with its line (1-based, in the cell), if it cannot. */
  problem?: string;
  /** Values the cell declares at its top level: functions, classes, variables, enums. */
  declared: string[];
  /** The names it declares with `export` already. */
  exported: string[];
  /** Every identifier in it (a superset of the names it uses from outside). */
  mentioned: Set<string>;
}

/**
 * Reads one cell's TypeScript source.
 *
 * @param source the cell's source
 * @returns what it declares and mentions, and its first problem
 */
export function analyzeCell(source: string): CellAnalysis {
  const file = ts.createSourceFile(
    "cell.ts",
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const line = (pos: number) => file.getLineAndCharacterOfPosition(pos).line + 1;
  const declared: string[] = [], exported: string[] = [];
  const mentioned = new Set<string>();
  let problem: string | undefined;
  const syntax = (file as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) {
    const d = syntax[0];
    problem = `a syntax error at line ${line(d.start ?? 0)}: ${
      ts.flattenDiagnosticMessageText(d.messageText, " ")
    }`;
  }
  const notAllowed = (node: ts.Node, what: string) => {
    problem ??= `${what} at line ${line(node.getStart(file))}, which is not allowed in a graded ` +
      "cell (what the exercise may use is already there)";
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) {
      notAllowed(node, "an import");
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      notAllowed(node, "an export from another module");
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      notAllowed(node, "an import()");
    } else if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
      notAllowed(node, "import.meta");
    } else if (ts.isImportTypeNode(node)) {
      notAllowed(node, "an import type");
    } else if (ts.isExportAssignment(node)) {
      notAllowed(node, "an export default");
    }
    if (ts.isIdentifier(node)) mentioned.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const statement of file.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    const isExported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const names: string[] = [];
    if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) && statement.name
    ) {
      names.push(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) names.push(...bindingNames(d.name));
    }
    for (const name of names) {
      if (!declared.includes(name)) declared.push(name);
      if (isExported && !exported.includes(name)) exported.push(name);
    }
  }
  return { problem, declared, exported, mentioned };
}

/** The names a binding declares: `a`, or those inside `{ a, b: [c] }`. */
function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => ts.isOmittedExpression(e) ? [] : bindingNames(e.name));
}

/**
 * The value names a course cell imports: `{ a, type B, c as d }` gives `a` and
 * `d`; `* as lib` gives `lib`; type-only imports give nothing.
 *
 * @param source the course's import cell
 */
export function importedNames(source: string): { name: string; imported: string }[] {
  const file = ts.createSourceFile("imports.ts", source, ts.ScriptTarget.Latest, true);
  const out: { name: string; imported: string }[] = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const clause = statement.importClause;
    if (clause === undefined || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      out.push({ name: bindings.name.text, imported: "*" });
    } else if (bindings) {
      for (const e of bindings.elements) {
        if (!e.isTypeOnly) {
          out.push({ name: e.name.text, imported: (e.propertyName ?? e.name).text });
        }
      }
    }
  }
  return out;
}
