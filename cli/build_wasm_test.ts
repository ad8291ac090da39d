import assert from "node:assert/strict";
import { buildKernels, buildKernelsText, WASM } from "./build_wasm.ts";

Deno.test("deno task build-wasm reproduces the committed kernels.wasm byte for byte", async () => {
  const built = await buildKernels();
  const committed = Deno.readFileSync(WASM);
  assert.ok(built.length > 1000, `a real module: ${built.length} bytes`);
  assert.deepEqual(built, committed, "rebuild with `deno task build-wasm` and commit the result");
});

Deno.test("the kernels are the ones the backend calls, on a shared memory", () => {
  const module = new WebAssembly.Module(Deno.readFileSync(WASM));
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of ["matmulF64", "matmulTransBF64Fused", "matmulTransAF32", "peakF32Fused"]) {
    assert.ok(exported.includes(name), name);
  }
  const [memory] = WebAssembly.Module.imports(module);
  assert.deepEqual([memory.module, memory.name, memory.kind], ["env", "memory", "memory"]);
});

Deno.test("the peak loop keeps its twelve multiply-adds a step in the compiled code", async () => {
  // Each function of the text runs from its "(func $name" to the next one.
  const functions = new Map<string, string>();
  for (const f of (await buildKernelsText()).split("\n (func ").slice(1)) {
    functions.set(f.slice(0, f.indexOf(" ")), f);
  }
  const count = (body: string, op: string) => body.split(op).length - 1;
  for (const [name, op] of [["F64", "f64x2.mul"], ["F32", "f32x4.mul"]]) {
    const body = functions.get(`$assembly/kernels/peak${name}`);
    assert.ok(body !== undefined, `peak${name} is in the text`);
    // Twelve multiplies and twelve adds in the loop, eleven adds to sum the chains after it.
    assert.equal(count(body, op), 12, `peak${name}: ${op}`);
    assert.equal(count(body, op.replace("mul", "add")), 23, `peak${name}: adds`);
    const fused = functions.get(`$assembly/kernels/peak${name}Fused`) ?? "";
    assert.equal(count(fused, op.replace("mul", "relaxed_madd")), 12, `peak${name}Fused`);
  }
});
