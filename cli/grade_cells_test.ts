import assert from "node:assert/strict";
import { analyzeCell, importedNames } from "./grade_cells.ts";

Deno.test("analyzeCell: every form of import is refused, with its line", () => {
  const cases: [string, RegExp][] = [
    ['import { a } from "@dnn/lib";', /^an import at line 1,/],
    ['\nimport "./x.ts";', /^an import at line 2,/],
    ['import fs = require("fs");', /^an import at line 1,/],
    ['export { a } from "@dnn/lib";', /^an export from another module at line 1,/],
    ['export * from "../lib/mod.ts";', /^an export from another module at line 1,/],
    ['const m = await import("@dnn/lib");', /^an import\(\) at line 1,/],
    ["function f(p: string) {\n  return import(p);\n}", /^an import\(\) at line 2,/],
    ["const u = import.meta.url;", /^import\.meta at line 1,/],
    ['let t: typeof import("../lib/mod.ts");', /^an import type at line 1,/],
    ["export default 1;", /^an export default at line 1,/],
  ];
  for (const [source, says] of cases) {
    assert.match(analyzeCell(source).problem ?? "", says, source);
    assert.match(analyzeCell(source).problem ?? "", /which is not allowed in a graded cell/);
  }
});

Deno.test("analyzeCell: a syntax error is found with its line; good code has no problem", () => {
  assert.match(
    analyzeCell("const a = 1;\nfunction f(x: number {\n}").problem!,
    /^a syntax error at line 2: ',' expected/,
  );
  assert.equal(analyzeCell("function f(x: number): number {\n  return x;\n}").problem, undefined);
});

Deno.test("analyzeCell: the top-level values a cell declares, and what it mentions", () => {
  const cell = analyzeCell(
    [
      "export function f(a: Matrix) { const inner = 1; return g(a, inner); }",
      "class C {}",
      "const [x, { y, z: [w] }] = [1, { y: 2, z: [3] }];",
      "let v = 1, u = 2;",
      "enum E { A }",
      "type T = number;",
      "interface I {}",
      "declare const ambient: number;",
    ].join("\n"),
  );
  assert.deepEqual(cell.declared, ["f", "C", "x", "y", "w", "v", "u", "E"]);
  assert.deepEqual(cell.exported, ["f"]);
  for (const name of ["Matrix", "g", "inner"]) assert.ok(cell.mentioned.has(name), name);
});

Deno.test("importedNames: values, renamed values and a namespace; no types", () => {
  const names = importedNames(
    'import * as lib from "@dnn/lib";\n' +
      'import { type A, b, c as d, Matrix } from "@dnn/lib";\n' +
      'import type { E } from "@dnn/lib";',
  );
  assert.deepEqual(names, [
    { name: "lib", imported: "*" },
    { name: "b", imported: "b" },
    { name: "d", imported: "c" },
    { name: "Matrix", imported: "Matrix" },
  ]);
});
