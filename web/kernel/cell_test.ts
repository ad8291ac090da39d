import assert from "node:assert/strict";
import { CellSyntaxError, compileCell } from "./cell.ts";

/** A page's scope and a runner of its cells, as the page's kernel has them. */
function page(modules: Record<string, Record<string, unknown>> = {}) {
  const scope: Record<string, unknown> = Object.create(null);
  const imported: string[] = [];
  const importModule = (name: string) => {
    imported.push(name);
    if (!(name in modules)) throw new Error(`no module ${name}`);
    return Promise.resolve(modules[name]);
  };
  let n = 0;
  const run = (source: string): Promise<unknown> =>
    (0, eval)(`${compileCell(source)}\n//# sourceURL=cell-${++n}.ts`)(scope, importModule);
  return { scope, run, imported };
}

Deno.test("top-level const, let, var, function and class are seen by later cells", async () => {
  const { run } = page();
  await run(`const a: number = 1;
let b = 2;
var c = 3;
function add(x: number, y: number): number { return x + y; }
class Box<T> { constructor(readonly value: T) {} }`);
  assert.equal(await run("add(a, b) + c"), 6);
  assert.equal(await run("new Box<string>('x').value"), "x");
});

Deno.test("a let changed later in its cell, or in a later cell, is the scope's", async () => {
  const { run, scope } = page();
  await run("let n = 0;\nfor (let i = 0; i < 3; i++) n += i;");
  assert.equal(scope.n, 3);
  await run("n = 10;");
  assert.equal(await run("n"), 10);
});

Deno.test("a function declared in a cell reads names the scope gets later", async () => {
  const { run } = page();
  await run("function twice() { return 2 * later; }");
  await run("const later = 21;");
  assert.equal(await run("twice()"), 42);
});

Deno.test("a cell run again declares its names again", async () => {
  const { run, scope } = page();
  await run("const x = 1;\nclass K {}\nfunction f() { return 1; }");
  await run("const x = 2;\nclass K {}\nfunction f() { return 2; }");
  assert.equal(scope.x, 2);
  assert.equal(await run("f()"), 2);
});

Deno.test("destructuring declarations keep their patterns", async () => {
  const { run, scope } = page();
  await run(`const { a, b: [c, , d = 4], ...rest } = { a: 1, b: [2, 9], e: 5, f: 6 };
const [, second, ...others] = [1, 2, 3, 4];
let { ["k" + 1]: computed } = { k1: "v" } as Record<string, string>;`);
  assert.deepEqual(
    { a: scope.a, c: scope.c, d: scope.d, rest: scope.rest },
    { a: 1, c: 2, d: 4, rest: { e: 5, f: 6 } },
  );
  assert.deepEqual([scope.second, scope.others, scope.computed], [2, [3, 4], "v"]);
});

Deno.test("imports, type-only ones left out, become the scope's names", async () => {
  const lib = { Matrix: class Matrix {}, train: () => "trained", default: "d" };
  const { run, scope, imported } = page({ "@dnn/lib": lib });
  await run(`import {
  type ModelOptions,
  Matrix,
  train as fit,
} from "@dnn/lib";
import * as all from "@dnn/lib";
import byDefault from "@dnn/lib";
import type { Parameters } from "@dnn/lib";`);
  assert.equal(scope.Matrix, lib.Matrix);
  assert.equal(await run("fit()"), "trained");
  assert.equal(scope.all, lib);
  assert.equal(scope.byDefault, "d");
  assert.equal("ModelOptions" in scope, false);
  assert.deepEqual(imported, ["@dnn/lib", "@dnn/lib", "@dnn/lib"]);
});

Deno.test("the last expression is the cell's value, awaited at the top level", async () => {
  const { run } = page();
  assert.equal(await run("const p = Promise.resolve(5);\nawait p"), 5);
  assert.equal(await run("const q = 1;"), undefined);
  assert.equal(await run("if (true) { 3; }"), undefined);
  assert.equal(await run("// just a comment"), undefined);
});

Deno.test("cells run in strict mode, as modules do", async () => {
  const { run } = page();
  await assert.rejects(run("undeclared = 1;"), ReferenceError);
});

Deno.test("an error's line is the cell's line, after types are removed", async () => {
  const { run } = page();
  const error = await run(`interface Shape {
  rows: number;
}
type Pair = [number, number];
const s: Shape = { rows: 1 };

throw new Error("on line 7");`).catch((e: Error) => e) as Error;
  assert.match(error.stack ?? "", /cell-1\.ts\b[^\n]*:7:\d+/);
});

Deno.test("a syntax error or an export names its line", () => {
  assert.throws(() => compileCell("const a = 1;\nconst b = ;"), (e: unknown) => {
    assert.ok(e instanceof CellSyntaxError);
    assert.equal(e.line, 2);
    return true;
  });
  assert.throws(
    () => compileCell("const a = 1;\n\nexport const b = 2;"),
    /a cell cannot export.*\(line 3\)/,
  );
});
