/**
 * A notebook cell, made runnable in a page with the Deno kernel's semantics: its
 * TypeScript becomes JavaScript (sucrase, which keeps every line where it was),
 * and its top-level declarations and imports become properties of the page's
 * scope, so that later cells see them and a cell run twice declares them again.
 * The rewriting is done on acorn's syntax tree of the cell, never on its text.
 *
 * What a cell becomes, for `const { a, b } = f(); a + b`:
 *
 * ```js ignore
 * (function (__scope, __import) { with (__scope) { return (async () => { "use strict";
 * ({ a: __scope.a, b: __scope.b } = f()); return (a + b); })(); } })
 * ```
 *
 * all on the cell's own lines (the wrapper's start shares line 1), so that an
 * error's line is the cell's. `with` makes the scope's names visible to the
 * cell's code; inside it the cell runs in strict mode, as a module does.
 *
 * @module
 */

import { type Node, parse } from "acorn";
import { transform } from "sucrase";

/** The name the compiled cell gives the page's scope (an object of its top-level names). */
export const SCOPE = "__scope";
/** The name the compiled cell gives the function that imports a module for it. */
export const IMPORT = "__import";

/** A cell that cannot be compiled: its message names the line. */
export class CellSyntaxError extends SyntaxError {
  /** The line of the cell (1-based). */
  readonly line: number;
  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = "SyntaxError";
    this.line = line;
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

// The parts of ESTree nodes the rewriting reads.
interface AnyNode extends Node {
  [key: string]: unknown;
}
type Pattern = AnyNode & { type: string };

/**
 * Compiles a cell's TypeScript into JavaScript that evaluates to a function of
 * `(scope, importModule)`, which runs the cell and resolves to the value of its
 * last expression statement (or `undefined`).
 *
 * @param source the cell's TypeScript
 * @returns the JavaScript of that function's expression, line for line the cell's
 * @throws {CellSyntaxError} naming the line of a syntax error, or of an `export`
 * @example
 * ```ts
 * import { compileCell } from "./cell.ts";
 * import assert from "node:assert/strict";
 *
 * const scope = Object.create(null);
 * const run = (source: string) => (0, eval)(compileCell(source))(scope, () => ({}));
 * await run("const x: number = 20;");
 * assert.equal(await run("x + 1"), 21);
 * await run("const x = 1;"); // run again, as a learner does
 * assert.equal(scope.x, 1);
 * ```
 */
export function compileCell(source: string): string {
  let js: string;
  try {
    js = transform(source, {
      transforms: ["typescript"],
      disableESTransforms: true,
      // A notebook imports in one cell what later cells use.
      keepUnusedImports: true,
    }).code;
  } catch (e) {
    const message = (e as Error).message;
    const line = Number(message.match(/\((\d+):\d+\)/)?.[1] ?? 1);
    throw new CellSyntaxError(message.replace(/\s*\(\d+:\d+\)$/, ""), line);
  }
  let program: AnyNode;
  try {
    program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
      locations: true,
    }) as unknown as AnyNode;
  } catch (e) {
    const error = e as SyntaxError & { loc?: { line: number } };
    throw new CellSyntaxError(error.message.replace(/\s*\(\d+:\d+\)$/, ""), error.loc?.line ?? 1);
  }
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const body = program.body as AnyNode[];
  for (const [i, statement] of body.entries()) {
    const last = i === body.length - 1;
    const replace = (text: string) =>
      edits.push({ start: statement.start, end: statement.end, text });
    switch (statement.type) {
      case "ImportDeclaration":
        replace(_import(statement, js));
        break;
      case "VariableDeclaration":
        replace(_declaration(statement, js));
        break;
      case "FunctionDeclaration":
        hoisted.push(_name(statement.id as AnyNode));
        break;
      case "ClassDeclaration": {
        const name = _name(statement.id as AnyNode);
        replace(`${SCOPE}.${name} = ${js.slice(statement.start, statement.end)};`);
        break;
      }
      case "ExportNamedDeclaration":
      case "ExportDefaultDeclaration":
      case "ExportAllDeclaration":
        throw new CellSyntaxError(
          "a cell cannot export: declare the name, and later cells see it",
          (statement.loc as { start: { line: number } }).start.line,
        );
      case "ExpressionStatement":
        if (last && !statement.directive) {
          const expression = statement.expression as AnyNode;
          replace(`return (${js.slice(expression.start, expression.end)});`);
        }
        break;
    }
  }
  let out = js;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  // Function declarations are hoisted: they are in the scope before the cell's first line runs.
  const functions = hoisted.map((name) => `${SCOPE}.${name} = ${name}; `).join("");
  return `(function (${SCOPE}, ${IMPORT}) { with (${SCOPE}) { return (async () => { ` +
    `"use strict"; ${functions}${out}\n})(); } })`;
}

/** An identifier's name. */
function _name(node: AnyNode): string {
  return node.name as string;
}

/** `import ... from "m"` as assignments of the module's exports to the scope. */
function _import(statement: AnyNode, js: string): string {
  const from = js.slice((statement.source as AnyNode).start, (statement.source as AnyNode).end);
  const specifiers = statement.specifiers as AnyNode[];
  const module = `(await ${IMPORT}(${from}))`;
  if (specifiers.length === 0) return `${module};`;
  const named: string[] = [];
  const parts: string[] = [];
  for (const s of specifiers) {
    const local = _name(s.local as AnyNode);
    if (s.type === "ImportNamespaceSpecifier") parts.push(`${SCOPE}.${local} = __m;`);
    else if (s.type === "ImportDefaultSpecifier") parts.push(`${SCOPE}.${local} = __m.default;`);
    else {
      const imported = s.imported as AnyNode;
      const key = imported.type === "Literal" ? JSON.stringify(imported.value) : _name(imported);
      named.push(`${key}: ${SCOPE}.${local}`);
    }
  }
  if (named.length) parts.push(`({ ${named.join(", ")} } = __m);`);
  return `{ const __m = ${module}; ${parts.join(" ")} }`;
}

/** `const/let/var` declarators as assignments to the scope, their patterns kept. */
function _declaration(statement: AnyNode, js: string): string {
  return (statement.declarations as AnyNode[]).map((d) => {
    const target = _target(d.id as Pattern, js);
    const init = d.init
      ? js.slice((d.init as AnyNode).start, (d.init as AnyNode).end)
      : "undefined";
    return (d.id as Pattern).type === "Identifier"
      ? `${target} = ${init};`
      : `(${target} = ${init});`;
  }).join(" ");
}

/** A binding pattern as an assignment target whose names are the scope's properties. */
function _target(node: Pattern, js: string): string {
  const text = (n: AnyNode) => js.slice(n.start, n.end);
  switch (node.type) {
    case "Identifier":
      return `${SCOPE}.${_name(node)}`;
    case "AssignmentPattern":
      return `${_target(node.left as Pattern, js)} = ${text(node.right as AnyNode)}`;
    case "RestElement":
      return `...${_target(node.argument as Pattern, js)}`;
    case "ArrayPattern":
      return `[${
        (node.elements as (Pattern | null)[]).map((e) => e ? _target(e, js) : "").join(", ")
      }]`;
    case "ObjectPattern":
      return `{ ${
        (node.properties as Pattern[]).map((p) => {
          if (p.type === "RestElement") return _target(p, js);
          const key = p.key as AnyNode;
          const name = p.computed ? `[${text(key)}]` : text(key);
          return `${name}: ${_target(p.value as Pattern, js)}`;
        }).join(", ")
      } }`;
    default:
      throw new CellSyntaxError(
        `cannot declare ${node.type} at a cell's top level`,
        (node.loc as { start: { line: number } }).start.line,
      );
  }
}
