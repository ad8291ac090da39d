/**
 * The learner's path through the exercises: in the student edition, no exercise
 * needs a `Matrix` member, a function or a TypeScript construct that no earlier
 * cell or markdown introduced.
 *
 * For each exercise cell of notebooks 01..08 (nbgrader `solution: true`), the code
 * between `// BEGIN SOLUTION` and `// END SOLUTION` (what the learner writes) is read
 * on TypeScript's syntax tree, and what it needs is listed: (a) the identifiers it
 * uses that neither it nor its function's frame declares (`matmul`, `RandomState`),
 * (b) the property names it reads or writes (`.rows`, `.data`, the keys of an object
 * it builds), (c) the constructs it uses from {@link CONSTRUCTS} (array
 * destructuring, `?.()`, `!`, ...). Each need must be introduced before it, in the
 * student edition (`cli/student.ts`) of this notebook or of an earlier one:
 *
 * - by an earlier code cell: an identifier as a word (in code or comment; an import
 *   declaration does not count, it does not teach what it imports), a property as
 *   a property on the syntax tree (`M.rows`, `{ rows }`, `p["rows"]`), a construct
 *   on the syntax tree;
 * - by earlier markdown: an identifier or property inside backticks (`` `sumRows(M)` ``,
 *   `` `.rows` ``, `` `{ APrev, W, b }` ``), a construct by a marker of its (the
 *   words "array destructuring", ...) or inside backticks;
 * - by the exercise's own frame (its cell in the student edition: signature,
 *   docstring, loop headers): any word it shows, any construct it uses.
 *
 * {@link exerciseNeeds} returns the whole listing, to inspect it. The test prints
 * nothing when it passes; when it fails, its message lists each exercise with what
 * it needs that nothing earlier introduced.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import ts from "typescript";
import { MARKERS, type Notebook, sourceOf } from "../cli/nbgrader.ts";
import { courseNotebooks } from "../cli/notebooks.ts";
import { studentEdition } from "../cli/student.ts";

const NOTEBOOKS = new URL("../notebooks/", import.meta.url).pathname;

/**
 * What a learner who knows "a little TypeScript" knows without being told: kept
 * short, since each entry is a need the test no longer checks.
 *
 * - `Math` and its functions below: JavaScript's standard mathematics, the
 *   functions of the formulas the markdown writes ($\log$, $\sqrt{}$, $e^x$);
 * - `undefined`: JavaScript's "no value";
 * - `.length` and `.push`: the length of an array (or typed array) and adding to
 *   an array, the first things one learns about arrays.
 *
 * The basic statements and expressions are not in {@link CONSTRUCTS} at all, so
 * they are never needs: `const`, `let`, `if`, `for (let i = 0; ...)`, `return`,
 * `function`, calls, `new`, arithmetic, comparison and logical operators, `+=` and
 * the like, indexing `a[i]`, array and object literals, and type annotations
 * (`: Matrix`, `number[]`).
 */
const KNOWN = {
  identifiers: new Set(["Math", "undefined"]),
  members: new Set(["length", "push"]),
  math: new Set(["sqrt", "log", "exp", "max", "min", "abs"]),
};

/** A TypeScript or JavaScript construct an exercise may need. */
interface Construct {
  /** Its plain name, as the report gives it. */
  name: string;
  /** Whether a node of the syntax tree is one. */
  is: (node: ts.Node) => boolean;
  /** Strings whose presence in earlier markdown counts as teaching it (any case). */
  markers: string[];
}

const isDestructuringAssignment = (node: ts.Node, pattern: (n: ts.Node) => boolean) =>
  (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    pattern(node.left)) ||
  ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && pattern(node.initializer));

/** Whether a node is a binary expression with one of these operators. */
const isBinary = (node: ts.Node, ...operators: ts.SyntaxKind[]) =>
  ts.isBinaryExpression(node) && operators.includes(node.operatorToken.kind);

const typeNamed = (node: ts.Node, name: string) =>
  ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === name;

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** The constructs the test looks for, beyond the basic ones {@link KNOWN} describes. */
export const CONSTRUCTS: Construct[] = [
  {
    name: "array destructuring (`const [a, b] = f()`)",
    is: (n) =>
      ts.isArrayBindingPattern(n) || isDestructuringAssignment(n, ts.isArrayLiteralExpression),
    markers: ["array destructuring", "destructuring an array", "destructure the array"],
  },
  {
    name: "skipping an element in array destructuring (`const [, b] = f()`)",
    is: (n) => ts.isOmittedExpression(n),
    markers: ["[, ", "skips an element", "skip an element", "skipping an element"],
  },
  {
    name: "object destructuring (`const { a, b } = o`)",
    is: (n) =>
      ts.isObjectBindingPattern(n) || isDestructuringAssignment(n, ts.isObjectLiteralExpression),
    markers: ["object destructuring", "destructuring an object", "destructure the object"],
  },
  {
    name: "a default in destructuring (`{ a = 1 }`)",
    is: (n) => ts.isBindingElement(n) && n.initializer !== undefined,
    markers: ["destructuring default", "default in destructuring", "defaults in destructuring"],
  },
  {
    name: "renaming in destructuring (`{ a: b }`)",
    is: (n) =>
      ts.isBindingElement(n) && n.propertyName !== undefined && ts.isObjectBindingPattern(n.parent),
    markers: ["renaming in destructuring", "renames it", "under another name"],
  },
  {
    name: "rest element or parameter (`...rest`)",
    is: (n) => (ts.isBindingElement(n) || ts.isParameter(n)) && n.dotDotDotToken !== undefined,
    markers: ["rest parameter", "rest element"],
  },
  {
    name: "spread (`f(...xs)`, `[...xs]`, `{ ...o }`)",
    is: (n) => ts.isSpreadElement(n) || ts.isSpreadAssignment(n),
    markers: ["spread"],
  },
  {
    name: "template literal (`` `W${l}` ``)",
    is: (n) => ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n),
    markers: ["template literal", "template string"],
  },
  {
    name: "optional call (`f?.(x)`)",
    is: (n) => ts.isCallExpression(n) && n.questionDotToken !== undefined,
    markers: ["?.(", "optional call", "optional chaining"],
  },
  {
    name: "optional chaining (`o?.a`)",
    is: (n) =>
      (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) &&
      n.questionDotToken !== undefined,
    markers: ["optional chaining"],
  },
  {
    name: "nullish coalescing (`a ?? b`)",
    is: (n) =>
      isBinary(n, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.QuestionQuestionEqualsToken),
    markers: ["??", "nullish"],
  },
  {
    name: "non-null assertion (`x!`)",
    is: (n) => ts.isNonNullExpression(n),
    markers: ["non-null"],
  },
  {
    name: "type assertion (`x as T`)",
    is: (n) => ts.isAsExpression(n) || ts.isTypeAssertionExpression(n),
    markers: ["type assertion", "as const"],
  },
  {
    name: "`await`",
    is: (n) => ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier !== undefined),
    markers: ["await"],
  },
  {
    name: "`async` function",
    is: (n) => ts.isFunctionLike(n) && hasModifier(n, ts.SyntaxKind.AsyncKeyword),
    markers: ["async"],
  },
  {
    name: "arrow function (`(x) => ...`)",
    is: (n) => ts.isArrowFunction(n),
    markers: ["arrow function", "=>"],
  },
  {
    name: "conditional operator (`c ? a : b`)",
    is: (n) => ts.isConditionalExpression(n),
    markers: ["conditional operator", "conditional expression", "ternary"],
  },
  {
    name: "`for...of` loop",
    is: (n) => ts.isForOfStatement(n),
    markers: ["for...of", "for-of", "for (const "],
  },
  {
    name: "`for...in` loop",
    is: (n) => ts.isForInStatement(n),
    markers: ["for...in", "for-in"],
  },
  {
    name: "exponent operator (`a ** b`)",
    is: (n) =>
      isBinary(n, ts.SyntaxKind.AsteriskAsteriskToken, ts.SyntaxKind.AsteriskAsteriskEqualsToken),
    markers: ["exponent operator", "`**`"],
  },
  {
    name: "`typeof` or `instanceof`",
    is: (n) =>
      ts.isTypeOfExpression(n) ||
      isBinary(n, ts.SyntaxKind.InstanceOfKeyword),
    markers: ["typeof", "instanceof"],
  },
  {
    name: "class (`class C { ... }`)",
    is: (n) => ts.isClassDeclaration(n) || ts.isClassExpression(n),
    markers: ["a class", "classes"],
  },
  {
    name: "`Record<K, V>` type",
    is: (n) => typeNamed(n, "Record"),
    markers: ["Record<"],
  },
  {
    name: "generic type (`Promise<T>`, `Array<T>`)",
    is: (n) =>
      ts.isTypeReferenceNode(n) && n.typeArguments !== undefined && !typeNamed(n, "Record"),
    markers: ["generic"],
  },
  {
    name: "union type (`A | B`)",
    is: (n) => ts.isUnionTypeNode(n),
    markers: ["union type", "| undefined"],
  },
  {
    name: "tuple type (`[A, B]`)",
    is: (n) => ts.isTupleTypeNode(n),
    markers: ["tuple"],
  },
  {
    name: "shorthand property (`{ a, b }` for `{ a: a, b: b }`)",
    is: (n) => ts.isShorthandPropertyAssignment(n),
    markers: ["shorthand"],
  },
];

/** What one exercise needs, and which of it nothing before it introduced. */
export interface ExerciseNeeds {
  /** The notebook's file name. */
  notebook: string;
  /** The exercise's `grade_id`: its function's name. */
  exercise: string;
  /** The exercise's cell, 1-based, as Jupyter counts. */
  cell: number;
  /** The identifiers the solution uses that neither it nor its frame declares. */
  identifiers: string[];
  /** The property names the solution reads or writes. */
  members: string[];
  /** The constructs of {@link CONSTRUCTS} the solution uses, by name. */
  constructs: string[];
  /** What of the above no earlier cell, markdown or the frame introduced (and not {@link KNOWN}). */
  missing: { identifiers: string[]; members: string[]; constructs: string[] };
}

/** What a stretch of code (a cell, or a part of one) shows or uses. */
interface Names {
  /** Identifiers used, not declared, not property names. */
  referenced: Set<string>;
  /** Property names read or written (`.a`, `{ a }`, `{ a: 1 }`, `o["a"]`), less the known ones. */
  members: Set<string>;
  /** Names declared: variables, parameters, functions, ... */
  declared: Set<string>;
  /** Names of the constructs used. */
  constructs: Set<string>;
}

const emptyNames = (): Names => ({
  referenced: new Set(),
  members: new Set(),
  declared: new Set(),
  constructs: new Set(),
});

const parse = (source: string) =>
  ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

const parsesCleanly = (file: ts.SourceFile) =>
  ((file as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? []).length ===
    0;

const propertyName = (name: ts.Node | undefined): string | undefined =>
  name !== undefined && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ||
      ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name))
    ? name.text
    : undefined;

/**
 * The names and constructs of the nodes of `file` that `take` accepts (by the
 * node's start), import declarations left out.
 */
function namesIn(file: ts.SourceFile, take: (pos: number) => boolean = () => true): Names {
  const out = emptyNames();
  const member = (name: ts.Node | undefined, on?: ts.Expression) => {
    const text = propertyName(name);
    if (text === undefined || !take(name!.getStart(file))) return;
    if (KNOWN.members.has(text)) return;
    if (on !== undefined && ts.isIdentifier(on) && on.text === "Math" && KNOWN.math.has(text)) {
      return;
    }
    out.members.add(text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return;
    const start = node.getStart(file);
    if (take(start)) {
      for (const c of CONSTRUCTS) if (c.is(node)) out.constructs.add(c.name);
    }
    if (ts.isPropertyAccessExpression(node)) member(node.name, node.expression);
    else if (ts.isQualifiedName(node)) member(node.right);
    else if (
      ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
    ) {
      member(node.argumentExpression); // `p["W1"]`, not `p[name]`
    } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      member(node.propertyName ?? node.name);
    } else if (
      ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) ||
      ts.isPropertySignature(node) || ts.isPropertyDeclaration(node) ||
      ts.isMethodDeclaration(node) || ts.isMethodSignature(node) ||
      ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)
    ) {
      member(node.name);
    }
    if (ts.isIdentifier(node) && take(start)) {
      const role = identifierRole(node);
      if (role === "declared") out.declared.add(node.text);
      else if (role === "referenced") out.referenced.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** Whether an identifier is declared there, used there, or is a property's or label's name. */
function identifierRole(id: ts.Identifier): "declared" | "referenced" | "other" {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return "other";
  if (ts.isQualifiedName(p) && p.right === id) return "other";
  if (ts.isBindingElement(p)) return p.propertyName === id ? "other" : "declared";
  if (ts.isShorthandPropertyAssignment(p)) return "referenced";
  if (
    (ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)) && p.name === id
  ) {
    return "other";
  }
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return "other";
  if (
    (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) ||
      ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p) ||
      ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isEnumDeclaration(p) ||
      ts.isTypeParameterDeclaration(p) || ts.isModuleDeclaration(p)) && p.name === id
  ) {
    return "declared";
  }
  return "referenced";
}

/** The character ranges of the lines inside a text's solution regions (markers left out). */
function solutionRanges(text: string): [number, number][] {
  const [begin, end] = MARKERS.solution;
  const ranges: [number, number][] = [];
  let pos = 0, from: number | undefined;
  for (const line of text.split("\n")) {
    const next = pos + line.length + 1;
    if (from === undefined && line.trim() === begin) from = next;
    else if (from !== undefined && line.trim() === end) {
      ranges.push([from, pos]);
      from = undefined;
    }
    pos = next;
  }
  return ranges;
}

const WORD = /[A-Za-z_$][\w$]*/g;
const words = (text: string) => new Set(text.match(WORD) ?? []);

/** The text of a code's comments. */
function comments(source: string): string {
  const file = parse(source);
  const out: string[] = [];
  const seen = new Set<number>();
  const visit = (node: ts.Node): void => {
    for (const r of ts.getLeadingCommentRanges(source, node.getFullStart()) ?? []) {
      if (!seen.has(r.pos)) seen.add(r.pos), out.push(source.slice(r.pos, r.end));
    }
    for (const r of ts.getTrailingCommentRanges(source, node.getEnd()) ?? []) {
      if (!seen.has(r.pos)) seen.add(r.pos), out.push(source.slice(r.pos, r.end));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out.join("\n");
}

/** A code cell's text without its import declarations. */
function withoutImports(source: string): string {
  const file = parse(source);
  let text = source;
  for (const s of [...file.statements].reverse()) {
    if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s)) {
      text = text.slice(0, s.getStart(file)) + text.slice(s.getEnd());
    }
  }
  return text;
}

/** The code a markdown cell shows: its fenced blocks and its inline code spans. */
function markdownCode(markdown: string): { fenced: string[]; inline: string[] } {
  const fenced: string[] = [];
  const rest = markdown.replace(/^(```+|~~~+)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm, (_m, _f, body) => {
    fenced.push(body);
    return " ";
  });
  const inline = [...rest.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2].trim());
  return { fenced, inline };
}

/** What the cells before an exercise introduced, as they add up. */
class Introduced {
  /** Identifiers: words of code cells, and of markdown's code. */
  readonly identifiers = new Set<string>();
  /** Properties, on the syntax tree of code cells and of markdown's code. */
  readonly members = new Set<string>();
  /** Constructs, by name. */
  readonly constructs = new Set<string>();

  addCode(source: string): void {
    const text = withoutImports(source);
    for (const w of words(text)) this.identifiers.add(w);
    const names = namesIn(parse(text));
    for (const m of names.members) this.members.add(m);
    for (const c of names.constructs) this.constructs.add(c);
  }

  addMarkdown(markdown: string): void {
    const lower = markdown.toLowerCase();
    for (const c of CONSTRUCTS) {
      if (c.markers.some((m) => lower.includes(m.toLowerCase()))) this.constructs.add(c.name);
    }
    const { fenced, inline } = markdownCode(markdown);
    for (const code of [...fenced, ...inline]) {
      for (const w of words(code)) this.identifiers.add(w);
      for (const m of code.matchAll(/\.\s*([A-Za-z_$][\w$]*)/g)) this.members.add(m[1]);
      // A span that is a name alone (`` `rows` ``) names a property as much as `.rows`.
      if (/^[A-Za-z_$][\w$]*$/.test(code)) this.members.add(code);
      // `{ APrev, W, b }` is an object only inside parentheses, a statement only outside;
      // a fragment (`for (const W of Ws)`, no body) is read as far as it goes.
      const raw = parse(code);
      const names = namesIn([parse(`(${code}\n)`), raw].find(parsesCleanly) ?? raw);
      for (const m of names.members) this.members.add(m);
      for (const c of names.constructs) this.constructs.add(c);
    }
  }
}

const sorted = (names: Iterable<string>) => [...names].sort((a, b) => a.localeCompare(b));

/**
 * What each exercise of the course needs, and what of it nothing before it
 * introduced, in the order of the course.
 *
 * @param notebooks the notebooks, in order, with their solutions (default: `notebooks/NN_*.ipynb`)
 */
export function exerciseNeeds(
  notebooks: { name: string; notebook: Notebook }[] = courseNotebooks().map((name) => ({
    name,
    notebook: JSON.parse(Deno.readTextFileSync(join(NOTEBOOKS, name))),
  })),
): ExerciseNeeds[] {
  const introduced = new Introduced();
  const listing: ExerciseNeeds[] = [];
  for (const { name, notebook } of notebooks) {
    const student = studentEdition(notebook);
    notebook.cells.forEach((cell, n) => {
      const shown = sourceOf(student.cells[n]);
      if (cell.cell_type === "markdown") return introduced.addMarkdown(shown);
      if (cell.cell_type !== "code") return;
      const nbgrader = cell.metadata.nbgrader;
      if (nbgrader?.solution) {
        const source = sourceOf(cell);
        const ranges = solutionRanges(source);
        const inside = (pos: number) => ranges.some(([a, b]) => pos >= a && pos < b);
        const file = parse(source);
        const needs = namesIn(file, inside);
        const frame = namesIn(file, (pos) => !inside(pos));
        const identifiers = sorted(
          [...needs.referenced].filter((id) => !needs.declared.has(id) && !frame.declared.has(id)),
        );
        const members = sorted(needs.members), constructs = sorted(needs.constructs);
        // The frame introduces whatever word it shows, and whatever construct it uses; a
        // property, as code does or as a word of its comments (its docstring says what
        // the function returns): its local `rows` is not the property `.rows`.
        const frameWords = words(shown);
        const frameNames = namesIn(parse(shown));
        const frameMembers = new Set([...frameNames.members, ...words(comments(shown))]);
        listing.push({
          notebook: name,
          exercise: nbgrader.grade_id,
          cell: n + 1,
          identifiers,
          members,
          constructs,
          missing: {
            identifiers: identifiers.filter((id) =>
              !KNOWN.identifiers.has(id) && !introduced.identifiers.has(id) && !frameWords.has(id)
            ),
            members: members.filter((m) => !introduced.members.has(m) && !frameMembers.has(m)),
            constructs: constructs.filter((c) =>
              !introduced.constructs.has(c) && !frameNames.constructs.has(c)
            ),
          },
        });
      }
      introduced.addCode(shown);
    });
  }
  return listing;
}

/** What is missing, one line per exercise that misses something; none when nothing is. */
export function missingReport(listing: ExerciseNeeds[]): string[] {
  return listing.flatMap(({ notebook, exercise, cell, missing }) => {
    const parts = [
      missing.identifiers.length ? `identifiers ${missing.identifiers.join(", ")}` : "",
      missing.members.length ? `members ${missing.members.map((m) => `.${m}`).join(", ")}` : "",
      missing.constructs.length ? `constructs ${missing.constructs.join("; ")}` : "",
    ].filter((p) => p !== "");
    return parts.length ? [`${notebook}, ${exercise} (cell ${cell}): ${parts.join(" | ")}`] : [];
  });
}

Deno.test("no exercise needs what no earlier cell or markdown of the student edition introduced", () => {
  const listing = exerciseNeeds();
  assert.ok(listing.length > 0, "no exercise cell found in the course's notebooks");
  const lines = missingReport(listing);
  assert.ok(
    lines.length === 0,
    `${lines.length} of ${listing.length} exercises need what nothing before them introduced ` +
      `(teach it in an earlier cell or markdown, or in the exercise's frame):\n` +
      lines.map((l) => `  - ${l}`).join("\n"),
  );
});

/** A one-notebook course: `cells` as [type, source] pairs; an exercise cell is "exercise". */
function course(...cells: [string, string][]): { name: string; notebook: Notebook }[] {
  return [{
    name: "99_test.ipynb",
    notebook: {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map(([type, source]) => ({
        cell_type: type === "exercise" ? "code" : type,
        source,
        metadata: type === "exercise"
          ? {
            nbgrader: {
              grade: false,
              grade_id: "total",
              locked: false,
              schema_version: 3,
              solution: true,
              task: false,
            },
          }
          : {},
        outputs: [],
      })),
    },
  }];
}

const EXERCISE = [
  "function total(M: Matrix): [number, number] {",
  "  const rows = [];",
  "  // BEGIN SOLUTION",
  "  const [s] = sumRows(M).data;",
  "  rows.push(M.rows);",
  "  return [s, Math.sqrt(rows.length)];",
  "  // END SOLUTION",
  "}",
].join("\n");

Deno.test("an exercise needing what nothing showed before is reported; once taught, it is not", () => {
  const untaught = exerciseNeeds(course(
    ["code", 'import { Matrix, sumRows } from "@dnn/lib";'],
    ["exercise", EXERCISE],
  ));
  assert.equal(untaught.length, 1);
  const [needs] = untaught;
  // `rows` and `M` belong to the frame, `s` to the solution: they are no needs.
  assert.deepEqual(needs.identifiers, ["Math", "sumRows"]);
  assert.deepEqual(needs.members, ["data", "rows"]);
  assert.deepEqual(needs.constructs, ["array destructuring (`const [a, b] = f()`)"]);
  // An import does not teach `sumRows`; `Math.sqrt`, `.push` and `.length` are known.
  assert.deepEqual(needs.missing, {
    identifiers: ["sumRows"],
    members: ["data", "rows"],
    constructs: ["array destructuring (`const [a, b] = f()`)"],
  });
  assert.match(
    missingReport(untaught)[0],
    /^99_test\.ipynb, total \(cell 2\): identifiers sumRows \| members \.data, \.rows \| constructs array destructuring/,
  );

  const taught = exerciseNeeds(course(
    ["code", 'import { Matrix, sumRows } from "@dnn/lib";'],
    ["markdown", "`sumRows(M)` sums each row; a matrix has `.rows` and its entries in `M.data`."],
    ["code", "const [first] = [1, 2];"],
    ["exercise", EXERCISE],
  ));
  assert.deepEqual(missingReport(taught), []);
});

Deno.test("markdown teaches by backticks and markers, not by prose words", () => {
  const [needs] = exerciseNeeds(course(
    ["markdown", "The rows of the matrix; sumRows adds them. An array destructuring unpacks."],
    ["exercise", EXERCISE],
  ));
  assert.deepEqual(needs.missing, {
    identifiers: ["sumRows"],
    members: ["data", "rows"],
    constructs: [],
  });
});
