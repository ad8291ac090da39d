import assert from "node:assert/strict";
import {
  evenRows,
  FastBackend,
  type FastMode,
  packedRowsIndex,
  packRows,
  RESIDENT_MIN,
} from "./backend.ts";
import {
  matmulKernel,
  matmulTransAKernel,
  matmulTransBKernel,
  type ProductKernels,
} from "../kernels.ts";

/** The textbook loops, the reference for every product. */
const plainKernels: ProductKernels = {
  matmul: matmulKernel,
  matmulTransB: matmulTransBKernel,
  matmulTransA: matmulTransAKernel,
};

// One backend per thread count for the whole file: each starts its workers once.
const backends = new Map<number, FastBackend>();
function fast(threads: number): FastBackend {
  let backend = backends.get(threads);
  if (backend === undefined) {
    backend = FastBackend.create({ threads });
    assert.ok(backend.waitForWorkers(), `the ${threads - 1} workers start`);
    backends.set(threads, backend);
  }
  return backend;
}

/** Values in [-1, 1) from a seed, by a small generator of this file's own. */
function random(length: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const data = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 2 ** 31 - 1;
  }
  return data;
}

type Product = keyof ProductKernels;
const PRODUCTS: Product[] = ["matmul", "matmulTransB", "matmulTransA"];

/** Lengths of `a` and `b` for product `name` of result (n, m) and inner size k. */
function operandLengths(_name: Product, n: number, k: number, m: number): [number, number] {
  return [n * k, k * m]; // (n, k) or (k, n); (k, m) or (m, k): the same lengths
}

/** `Σ_p |a_ip b_pj|` for each entry: the scale of any rounding error of the product. */
function sizes(name: Product, a: Float64Array, b: Float64Array, n: number, k: number, m: number) {
  const absA = a.map(Math.abs), absB = b.map(Math.abs), out = new Float64Array(n * m);
  plainKernels[name](absA, absB, out, n, k, m);
  return out;
}

// Shapes that do not divide the SIMD width (2 or 4 lanes), the register blocks
// (blocks of 5 rows, 1 to 4 left over; panels of 4 or 8 columns), the two steps
// a turn of the loop (odd k, padded), or the thread split; 1 x 1; one long row;
// and the course's own first layer.
const SHAPES: [n: number, k: number, m: number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [2, 1, 3],
  [3, 5, 7],
  [5, 9, 3],
  [7, 20, 209],
  [1, 3, 1001],
  [9, 257, 13],
  [20, 1031, 67],
  [4, 2, 4100],
  [20, 12288, 209],
];

for (const threads of [1, 2, 3]) {
  Deno.test(`float64 products on ${threads} thread(s) equal the plain kernels bit for bit`, () => {
    const kernels = fast(threads).kernels();
    for (const name of PRODUCTS) {
      for (const [n, k, m] of SHAPES) {
        const [la, lb] = operandLengths(name, n, k, m);
        const a = random(la, n * 7 + k), b = random(lb, m * 3 + k);
        const expected = new Float64Array(n * m), actual = new Float64Array(n * m).fill(NaN);
        plainKernels[name](a, b, expected, n, k, m);
        kernels[name](a, b, actual, n, k, m);
        assert.deepEqual(actual, expected, `${name} (n, k, m) = (${n}, ${k}, ${m})`);
      }
    }
    if (threads > 1) assert.ok(fast(threads).workerChunks > 0, "the workers took part");
  });
}

Deno.test("a large operand is copied in once and kept; a change made to it in place is seen", () => {
  const backend = fast(2),
    kernels = backend.kernels(),
    kernels32 = backend.kernels({ precision: "f32" });
  const [n, k, m] = [20, 12288, 100]; // b: 1,228,800 entries, at least RESIDENT_MIN
  assert.ok(k * m >= RESIDENT_MIN);
  const a = random(n * k, 14), b = random(k * m, 15);
  const check = (what: string) => {
    const expected = new Float64Array(n * m), actual = new Float64Array(n * m);
    plainKernels.matmul(a, b, expected, n, k, m);
    kernels.matmul(a, b, actual, n, k, m);
    assert.deepEqual(actual, expected, what);
    const f32 = new Float64Array(n * m);
    kernels32.matmul(a, b, f32, n, k, m);
    f32.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-3, `${what}, f32 [${i}]`));
  };
  check("first product: b copied in");
  const size = backend.memoryBytes;
  check("second product: b's kept copy");
  assert.equal(backend.memoryBytes, size, "no new copy");
  for (let i = 0; i < b.length; i++) b[i] *= -2; // every entry changed in place
  check("after b changed in place");
});

Deno.test("packedRowsIndex finds each entry where packRows put it; the padding is zeros", () => {
  for (const [n, k] of [[1, 1], [3, 4], [5, 7], [7, 2], [20, 209], [23, 12]]) {
    const a = random(n * k, n + k), out = new Float64Array(n * evenRows(k)).fill(NaN);
    packRows(a, out, n, k);
    const placed = new Set<number>();
    for (let i = 0; i < a.length; i++) {
      const at = packedRowsIndex(i, n, k);
      assert.equal(out[at], a[i], `(${n}, ${k}): entry ${i}`);
      placed.add(at);
    }
    assert.equal(placed.size, a.length, `(${n}, ${k}): no two entries in one place`);
    const rest = [...out.keys()].filter((at) => !placed.has(at)).map((at) => out[at]);
    assert.deepEqual(rest, new Array(k % 2 ? n : 0).fill(0), `(${n}, ${k}): the padding`);
  }
});

Deno.test("a large left factor is packed in blocks of rows once, kept, and seen changed in place", () => {
  // a (103, 10181): 103 rows, two left over after the blocks of 5; k odd, padded with zeros.
  const backend = fast(2), kernels = backend.kernels();
  const [n, k, m] = [103, 10181, 9];
  const a = random(n * k, 21), b = random(k * m, 22), bT = random(m * k, 23);
  assert.ok(a.length >= RESIDENT_MIN);
  const check = (what: string) => {
    for (const name of ["matmul", "matmulTransB"] as const) {
      const expected = new Float64Array(n * m), actual = new Float64Array(n * m).fill(NaN);
      plainKernels[name](a, name === "matmul" ? b : bT, expected, n, k, m);
      kernels[name](a, name === "matmul" ? b : bT, actual, n, k, m);
      assert.deepEqual(actual, expected, `${name}, ${what}`);
    }
  };
  check("first products: a packed");
  const size = backend.memoryBytes;
  check("again: a's kept copy");
  assert.equal(backend.memoryBytes, size, "no new copy");
  for (let i = 0; i < a.length; i++) a[i] = -a[i];
  check("after a changed in place");
});

Deno.test("a large operand read as two shapes gives the plain products in each", () => {
  // 101 x 12288 packs into panels with no padding, 12288 x 101 into more entries, padded:
  // each shape has its own packed copy, kept side by side.
  const kernels = fast(2).kernels();
  const x = random(101 * 12288, 16);
  assert.ok(x.length >= RESIDENT_MIN);
  for (const [n, k, m] of [[3, 101, 12288], [5, 12288, 101], [3, 101, 12288]]) {
    const a = random(n * k, 17 + n);
    const expected = new Float64Array(n * m), actual = new Float64Array(n * m);
    plainKernels.matmul(a, x, expected, n, k, m);
    kernels.matmul(a, x, actual, n, k, m);
    assert.deepEqual(actual, expected, `x as (${k}, ${m})`);
    // The same array as B of A @ Bᵀ: B (m', k') is x as (m, k) read by rows.
    const t = new Float64Array(n * k);
    const expectedT = new Float64Array(n * k), bT = random(n * m, 20 + n);
    plainKernels.matmulTransB(bT, x, expectedT, n, m, k);
    kernels.matmulTransB(bT, x, t, n, m, k);
    assert.deepEqual(t, expectedT, `x as Bᵀ, (${k}, ${m})`);
  }
});

Deno.test("the kept copy of a large operand is freed once its array is collected", async () => {
  // 40 arrays of 16 MB, each multiplied once then dropped: kept for ever, they would
  // take 640 MB of the shared memory; freed as they are collected, a few at a time.
  const backend = new URL("./backend.ts", import.meta.url).href;
  const code = `
    import { FastBackend } from "${backend}";
    const fast = FastBackend.create({ threads: 1 }), kernels = fast.kernels();
    const c = new Float64Array(1);
    for (let i = 0; i < 40; i++) {
      const x = new Float64Array(2_000_000).fill(1);
      kernels.matmul(new Float64Array(2_000_000).fill(1), x, c, 1, 2_000_000, 1);
      if (c[0] !== 2_000_000) throw new Error("wrong product " + c[0]);
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 10)); // the finalizers run
    }
    console.log(fast.memoryBytes);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", "--v8-flags=--expose-gc", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const bytes = Number(new TextDecoder().decode(out.stdout).trim());
  assert.ok(bytes <= 256 * 2 ** 20, `the shared memory grew to ${bytes / 2 ** 20} MiB`);
});

/**
 * The opt-in modes, against the exact float64 product: `|c - exact| <= bound * Σ|a b|`.
 * - fused multiply-add in float64: each of the `k` steps rounds once, by at most
 *   2⁻⁵³ relative, so the sum is within `k 2⁻⁵³ Σ|a b|` of the exact one; the plain
 *   result is within `2 k 2⁻⁵³` (two roundings a step), so they differ by at most
 *   `3 k 2⁻⁵³`.
 * - float32: rounding `a` and `b` to float32 moves each product by at most
 *   `2 · 2⁻²⁴` relative (plus a negligible `2⁻⁴⁸`), and the `k` steps round by
 *   `k 2⁻²⁴` (`k 2⁻²⁴ / 2` fused), so `(k + 3) 2⁻²⁴ Σ|a b|` covers both; the
 *   float64 reference adds `2 k 2⁻⁵³`, far less.
 */
const MODES: { mode: FastMode; bound: (k: number) => number }[] = [
  { mode: { fma: true }, bound: (k) => 3 * k * 2 ** -53 },
  { mode: { precision: "f32" }, bound: (k) => (k + 3) * 2 ** -24 }, // fused, the default
  { mode: { precision: "f32", fma: false }, bound: (k) => (k + 3) * 2 ** -24 },
];

for (const { mode, bound } of MODES) {
  Deno.test(`${JSON.stringify(mode)} products stay within their rounding bound`, () => {
    for (const threads of [1, 2]) {
      const kernels = fast(threads).kernels(mode);
      for (const name of PRODUCTS) {
        for (const [n, k, m] of SHAPES) {
          const [la, lb] = operandLengths(name, n, k, m);
          const a = random(la, n + 5 * k), b = random(lb, 11 * m + k);
          const reference = new Float64Array(n * m), actual = new Float64Array(n * m).fill(NaN);
          plainKernels[name](a, b, reference, n, k, m);
          kernels[name](a, b, actual, n, k, m);
          const size = sizes(name, a, b, n, k, m);
          let worst = 0;
          for (let i = 0; i < actual.length; i++) {
            const ratio = Math.abs(actual[i] - reference[i]) / (bound(k) * size[i] || 1);
            assert.ok(Number.isFinite(actual[i]), `${name} (${n}, ${k}, ${m})[${i}] is finite`);
            worst = Math.max(worst, ratio);
          }
          assert.ok(worst <= 1, `${name} (${n}, ${k}, ${m}), ${threads} thread(s): ${worst}`);
        }
      }
    }
  });
}

Deno.test("the opt-in modes really change the rounding (the tests above can tell them apart)", () => {
  const [n, k, m] = [20, 1031, 67];
  const a = random(n * k, 8), b = random(k * m, 9), plain = new Float64Array(n * m);
  plainKernels.matmul(a, b, plain, n, k, m);
  for (const { mode } of MODES) {
    const out = new Float64Array(n * m);
    fast(2).kernels(mode).matmul(a, b, out, n, k, m);
    assert.notDeepEqual(out, plain, JSON.stringify(mode));
  }
});

Deno.test("float32 fuses multiply-adds by default: fma: true's bits, not fma: false's", () => {
  const [n, k, m] = [20, 1031, 67];
  const a = random(n * k, 10), b = random(k * m, 11);
  const run = (mode: FastMode) => {
    const out = new Float64Array(n * m);
    fast(2).kernels(mode).matmul(a, b, out, n, k, m);
    return out;
  };
  const byDefault = run({ precision: "f32" });
  assert.deepEqual(byDefault, run({ precision: "f32", fma: true }));
  assert.notDeepEqual(byDefault, run({ precision: "f32", fma: false }));
});

Deno.test("an empty dimension gives zeros (empty sums) or an empty result", () => {
  const kernels = fast(2).kernels();
  for (const [n, k, m] of [[0, 3, 2], [2, 0, 2], [2, 3, 0]]) {
    for (const name of PRODUCTS) {
      const c = new Float64Array(n * m).fill(NaN);
      kernels[name](new Float64Array(n * k), new Float64Array(k * m), c, n, k, m);
      assert.deepEqual(c, new Float64Array(n * m), `${name} (${n}, ${k}, ${m})`);
    }
  }
});

Deno.test("bad options are refused", () => {
  assert.throws(
    () => FastBackend.create({ threads: 0 }),
    /threads must be a positive integer, not 0/,
  );
  assert.throws(
    () => fast(1).kernels({ precision: "f16" as "f32" }),
    /precision must be "f64" or "f32", not "f16"/,
  );
});

Deno.test("a finished program using two threads exits at once: the workers do not hold it", async () => {
  const backend = new URL("./backend.ts", import.meta.url).href;
  const code = `
    import { FastBackend } from "${backend}";
    const fast = FastBackend.create({ threads: 2 });
    if (!fast.waitForWorkers()) throw new Error("no worker");
    const a = new Float64Array(20 * 4000).fill(1), c = new Float64Array(20 * 300);
    fast.kernels().matmul(a, new Float64Array(4000 * 300).fill(2), c, 20, 4000, 300);
    console.log(fast.readyWorkers, c[0]);`;
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "1 8000");
  assert.ok(performance.now() - started < 20_000);
});

Deno.test("after the memory grows, the same workers compute on the whole of it", () => {
  const backend = FastBackend.create({ threads: 2 });
  try {
    assert.ok(backend.waitForWorkers());
    const [n, k, m] = [4, 20_000, 1000]; // b: 160 MB, kept past the first 64 MiB
    const a = random(n * k, 12), b = random(k * m, 13);
    const expected = new Float64Array(n * m);
    plainKernels.matmul(a, b, expected, n, k, m);
    const before = backend.memoryBytes, c = new Float64Array(n * m);
    backend.kernels().matmul(a, b, c, n, k, m);
    assert.ok(backend.memoryBytes > before, "the memory grew");
    assert.deepEqual(c, expected);
    assert.equal(backend.readyWorkers, 1, "the worker was not replaced");
    // b's kept copy lies in the grown pages: a worker that saw the old size would trap there
    // (the product would then throw "a worker stopped answering"), or skip its chunks.
    const chunks = backend.workerChunks;
    for (let round = 0; round < 5; round++) {
      c.fill(NaN);
      backend.kernels().matmul(a, b, c, n, k, m); // nothing more to allocate
      assert.deepEqual(c, expected, `round ${round}`);
    }
    assert.ok(backend.workerChunks > chunks, "the worker took part");
  } finally {
    backend.close();
  }
});

Deno.test("thousands of products in a row, of changing kernels and shapes, are all right", () => {
  // Short jobs back to back: a worker waking late for one job must never compute
  // a chunk of the next one with the wrong description.
  const kernels = fast(2).kernels();
  const cases = [[16, 300, 257], [8, 1200, 131], [33, 100, 400]].flatMap(([n, k, m]) =>
    PRODUCTS.map((name) => {
      const a = random(n * k, n + k), b = random(k * m, k + m);
      const expected = new Float64Array(n * m);
      plainKernels[name](a, b, expected, n, k, m);
      return { name, n, k, m, a, b, expected };
    })
  );
  const before = fast(2).workerChunks;
  for (let round = 0; round < 300; round++) {
    for (const { name, n, k, m, a, b, expected } of cases) {
      const out = new Float64Array(n * m);
      kernels[name](a, b, out, n, k, m);
      assert.deepEqual(out, expected, `round ${round}: ${name} (${n}, ${k}, ${m})`);
    }
  }
  assert.ok(fast(2).workerChunks > before, "the worker took part");
});
