import assert from "node:assert/strict";
import { buildKernels, WASM } from "./build_wasm.ts";

Deno.test("deno task build-wasm reproduces the committed kernels.wasm byte for byte", async () => {
  const built = await buildKernels();
  const committed = Deno.readFileSync(WASM);
  assert.ok(built.length > 1000, `a real module: ${built.length} bytes`);
  assert.deepEqual(built, committed, "rebuild with `deno task build-wasm` and commit the result");
});

Deno.test("the kernels are the ones the backend calls, on a shared memory", () => {
  const module = new WebAssembly.Module(Deno.readFileSync(WASM));
  const exported = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of ["matmulF64", "matmulTransBF64Fused", "matmulTransAF32", "transposePadF64"]) {
    assert.ok(exported.includes(name), name);
  }
  const [memory] = WebAssembly.Module.imports(module);
  assert.deepEqual([memory.module, memory.name, memory.kind], ["env", "memory", "memory"]);
});
