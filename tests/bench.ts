/**
 * `deno task bench`: milliseconds per training iteration of both models on data
 * of the course's shapes (12288 features, 209 examples), for every way the
 * matrix products can run, side by side with the NumPy reference
 * (tests/reference/dnn_numpy.py) run in the same invocation; then where one
 * iteration's time goes (each product, beside NumPy's time for the two big ones
 * and a peak loop's ceiling, and the rest); then whole runs,
 * `deno task train` (float64, and float32 with FMA) against the NumPy script,
 * wall time of each process; then how far the costs of each way drift from the
 * float64 fast run over a whole training run.
 *
 * ```sh
 * deno task bench [--iterations 40] [--numpy-iterations 200] [--rounds 3]
 *                 [--profile-iterations 20] [--whole-runs 3] [--whole-iterations 2500]
 *                 [--drift-iterations 2500] [--data DIR] [--python PYTHON]
 * ```
 *
 * NumPy at its best: the first of `--python`, else `python3` on the PATH, else
 * Debian's `/usr/bin/python3`, with NumPy 2 or later (a NumPy 1 is the fallback,
 * and the table says so), run with `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE`
 * unset, which would hold OpenBLAS to older kernels. The bench prints its
 * version and the BLAS kernel it ran. The whole runs give it the course's
 * arrays as `.npy` files, so it needs no h5py. The drift runs and whole runs use
 * the course's files when they are found (`--data`, `$DNN_DATA_DIR`, `data/`),
 * else the synthetic dataset of the same shapes.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fail, UsageError } from "../cli/errors.ts";
import { defaultThreads, FastBackend } from "../lib/fast/backend.ts";
import {
  accuracy,
  type Backend,
  type BackendOptions,
  computeCost,
  flatten,
  initializeParametersDeep,
  labelsRow,
  lLayerModel,
  lModelBackward,
  lModelForward,
  loadDataset,
  Matrix,
  type Precision,
  predict,
  RandomState,
  twoLayerModel,
  updateParameters,
  useBackend,
} from "../lib/mod.ts";
import { handWrittenLoop } from "./hand_written_loop.ts";

const MODELS = [
  { name: "deep", layersDims: [12288, 20, 7, 5, 1], train: lLayerModel },
  { name: "two", layersDims: [12288, 7, 1], train: twoLayerModel },
] as const;
type Model = (typeof MODELS)[number];

/** The ways to run the products, as rows of the table. */
function ways(threads: number): { label: string; options: BackendOptions }[] {
  const all = { threads };
  return [
    { label: "plain TypeScript", options: { backend: "plain" } },
    { label: "fast f64, 1 thread", options: { threads: 1 } },
    { label: `fast f64, ${threads} threads (default)`, options: all },
    { label: `fast f64 + FMA, ${threads} threads`, options: { ...all, fma: true } },
    {
      label: `fast f32 + FMA, ${threads} threads (f32's default)`,
      options: { ...all, precision: "f32" },
    },
    {
      label: `fast f32 without FMA, ${threads} threads`,
      options: { ...all, precision: "f32", fma: false },
    },
  ];
}

/** Random inputs in [0, 1) and labels (35% ones), of the course's training shapes. */
function courseShapedData(): { X: Matrix; Y: Matrix } {
  const rng = new RandomState(0);
  const X = new Matrix(12288, 209), Y = new Matrix(1, 209);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.random();
  for (let j = 0; j < Y.data.length; j++) Y.data[j] = rng.random() < 0.35 ? 1 : 0;
  return { X, Y };
}

/** Our milliseconds per iteration, after a warm-up run so the JIT has compiled the kernels. */
async function ours(model: Model, options: BackendOptions, iterations: number): Promise<number> {
  const { X, Y } = courseShapedData();
  useBackend(options);
  await model.train(X, Y, model.layersDims, { numIterations: 10 });
  const start = performance.now();
  await model.train(X, Y, model.layersDims, { numIterations: iterations });
  return (performance.now() - start) / iterations;
}

/**
 * The milliseconds per iteration of the deep model trained by a loop written
 * by hand from the building blocks, on the default backend.
 */
function handWritten(iterations: number): number {
  const { X, Y } = courseShapedData();
  useBackend();
  handWrittenLoop(X, Y, MODELS[0].layersDims, 10);
  const start = performance.now();
  handWrittenLoop(X, Y, MODELS[0].layersDims, iterations);
  return (performance.now() - start) / iterations;
}

const SCRIPT = new URL("./reference/dnn_numpy.py", import.meta.url).pathname;

/**
 * The environment NumPy runs in: ours without `OPENBLAS_CORETYPE` and
 * `OPENBLAS_L2_SIZE`, which, where set, hold OpenBLAS to kernels older than the CPU's.
 */
function numpyEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** The NumPy the bench compares with: its Python, version and BLAS, and a note if a fallback. */
interface NumPy {
  python: string;
  version: string;
  blas: string;
  note?: string;
}

/**
 * Finds NumPy at its best: the first of the candidates with NumPy 2 or later,
 * else the first with any NumPy (said in `note`).
 */
async function findNumPy(candidates: string[]): Promise<NumPy | string> {
  const found: NumPy[] = [];
  const problems: string[] = [];
  for (const python of candidates) {
    const out = await runScript(python, ["--blas"]);
    if (typeof out === "string") {
      problems.push(`${python}: ${out}`);
      continue;
    }
    const { numpy, blas } = out as { numpy: string; blas: string };
    found.push({ python, version: numpy, blas });
    if (Number(numpy.split(".")[0]) >= 2) return found.at(-1)!;
  }
  if (found.length === 0) return problems.join("; ") || "no Python to try";
  return { ...found[0], note: `no NumPy 2 found (${candidates.join(", ")}): a fallback, slower` };
}

/**
 * Runs the NumPy reference script with `python` in NumPy's environment
 * ({@link numpyEnv}); returns the JSON it printed, or why it failed.
 */
async function runScript(
  python: string,
  args: string[],
): Promise<Record<string, unknown> | string> {
  try {
    const out = await new Deno.Command(python, {
      args: [SCRIPT, ...args],
      env: numpyEnv(),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      return new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "failed";
    }
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch (e) {
    return (e as Error).message;
  }
}

/** NumPy's milliseconds per iteration, or why it could not be measured. */
async function numpy(
  python: string,
  model: Model,
  iterations: number,
): Promise<{ ms: number; version: string } | string> {
  const out = await runScript(python, ["--bench", `${iterations}`, "--model", model.name]);
  if (typeof out === "string") return out;
  return { ms: out.msPerIteration as number, version: out.numpy as string };
}

/** The deep model's two big products, as the profile names them, and their floating-point operations. */
const BIG_PRODUCTS = [
  { name: "W1 @ X", key: "matmul 20x12288x209", numpy: "W1 @ X" },
  { name: "dZ1 @ Xᵀ", key: "matmulTransB 20x209x12288", numpy: "dZ1 @ X.T" },
];
const BIG_PRODUCT_FLOPS = 2 * 20 * 12288 * 209;

/**
 * Milliseconds of each part of one iteration of the deep model on the fast
 * backend in `precision`, median over `iterations`: every product, timed
 * through the backend in use and named by kernel and shape (`matmul 20x12288x209`);
 * the four steps of the iteration, timed as the loop of `hand_written_loop.ts`
 * runs them; and their sum, `total`.
 */
function profileIteration(precision: Precision, iterations: number): Map<string, number> {
  const { X, Y } = courseShapedData();
  const backend = useBackend({ precision }) as { -readonly [K in keyof Backend]: Backend[K] };
  const spent = new Map<string, number>(); // this iteration's time in each product
  for (const name of ["matmul", "matmulTransB", "matmulTransA"] as const) {
    const run = backend[name];
    backend[name] = (a, b, c, n, k, m) => {
      const start = performance.now();
      run(a, b, c, n, k, m);
      const key = `${name} ${n}x${k}x${m}`;
      spent.set(key, (spent.get(key) ?? 0) + performance.now() - start);
    };
  }
  const samples = new Map<string, number[]>();
  const record = (key: string, ms: number) => samples.set(key, [...samples.get(key) ?? [], ms]);
  let parameters = initializeParametersDeep(MODELS[0].layersDims, { seed: 1 });
  for (let i = -5; i < iterations; i++) { // 5 to warm up
    spent.clear();
    const t = [performance.now()];
    const [AL, caches] = lModelForward(X, parameters);
    t.push(performance.now());
    computeCost(AL, Y);
    t.push(performance.now());
    const grads = lModelBackward(AL, Y, caches);
    t.push(performance.now());
    parameters = updateParameters(parameters, grads, 0.0075);
    t.push(performance.now());
    if (i < 0) continue;
    ["forward", "cost", "backward", "update"].forEach((step, s) => record(step, t[s + 1] - t[s]));
    record("total", t[4] - t[0]);
    for (const [key, ms] of spent) record(key, ms);
  }
  useBackend(); // a new backend object, unwrapped
  return new Map([...samples].map(([key, ms]) => [key, median(ms)]));
}

/**
 * GFLOP/s of the fast backend's peak loop (`peak` in
 * `lib/fast/assembly/kernels.ts`) on `threads` threads: the best of 9 runs
 * after 3 to warm up (the engine compiles the loop's fast code while the first
 * runs), as a ceiling is the most the machine did.
 */
function peakGflops(precision: Precision, threads: number): number {
  const fast = FastBackend.create({ threads });
  try {
    fast.waitForWorkers();
    const rates: number[] = [];
    for (let run = 0; run < 12; run++) {
      const start = performance.now();
      const flops = fast.peak({ precision }, 64 * threads);
      if (run >= 3) rates.push(flops / (performance.now() - start) / 1e6);
    }
    return Math.max(...rates);
  } finally {
    fast.close();
  }
}

/**
 * Where one iteration goes, float64 and float32: the two big products beside
 * NumPy's time for them (`dnn_numpy.py --products`) and beside the peak loop's
 * ceiling, then the rest of the iteration.
 */
async function profile(python: string, iterations: number, threads: number): Promise<void> {
  const ref = await runScript(python, ["--products", `${Math.max(iterations, 5)}`]);
  const numpyMs = typeof ref === "string" ? undefined : ref.ms as Record<string, number>;
  console.log(
    `Where one iteration of the deep model goes, fast backend, ${threads} threads (f32 with ` +
      `FMA, its default), median of ${iterations} iterations; NumPy's time for the same ` +
      `products beside (np.dot, float64 and float32` +
      `${numpyMs === undefined ? `: not measured, ${ref}` : ""}).\n`,
  );
  for (const precision of ["f64", "f32"] as const) {
    const parts = profileIteration(precision, iterations);
    const peak = peakGflops(precision, threads);
    const gflops = (ms: number) => (BIG_PRODUCT_FLOPS / ms / 1e6).toFixed(1);
    const rows = [[`${precision}`, "ms", "GFLOP/s", "NumPy ms", "NumPy GFLOP/s"]];
    let big = 0;
    for (const { name, key, numpy } of BIG_PRODUCTS) {
      const ms = parts.get(key) ?? 0,
        np = numpyMs?.[`${numpy} ${precision === "f64" ? "float64" : "float32"}`];
      big += ms;
      rows.push([name, ms.toFixed(2), gflops(ms), np?.toFixed(2) ?? "-", np ? gflops(np) : "-"]);
    }
    const products = [...parts].filter(([key]) => key.startsWith("matmul"));
    const small = products.reduce((sum, [, ms]) => sum + ms, 0) - big;
    const total = parts.get("total")!;
    rows.push([`the other ${products.length - 2} products`, small.toFixed(2), "", "", ""]);
    rows.push([
      "the rest: element-wise passes, new arrays",
      (total - big - small).toFixed(2),
      "",
      "",
      "",
    ]);
    rows.push(["one iteration", total.toFixed(2), "", "", ""]);
    rows.push([
      `peak loop, ${threads} threads (the ceiling)`,
      (2 * BIG_PRODUCT_FLOPS / peak / 1e6).toFixed(2),
      peak.toFixed(1),
      "",
      "",
    ]);
    table(rows);
    console.log(
      `The peak loop's line: the two big products' time at its rate. By step: forward ${
        parts.get("forward")!.toFixed(2)
      } ms, cost ${parts.get("cost")!.toFixed(2)}, backward ${
        parts.get("backward")!.toFixed(2)
      }, update ${parts.get("update")!.toFixed(2)}.\n`,
    );
  }
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b), mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Prints rows as a table with aligned columns. */
function table(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join("  "));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      iterations: { type: "string", default: "40" },
      "numpy-iterations": { type: "string", default: "200" },
      rounds: { type: "string", default: "3" },
      "drift-iterations": { type: "string", default: "2500" },
      "whole-runs": { type: "string", default: "3" },
      "whole-iterations": { type: "string", default: "2500" },
      "profile-iterations": { type: "string", default: "20" },
      data: { type: "string" },
      python: { type: "string", default: Deno.env.get("DNN_PYTHON") },
    },
  });
  type Count =
    | "iterations"
    | "numpy-iterations"
    | "drift-iterations"
    | "rounds"
    | "whole-runs"
    | "whole-iterations"
    | "profile-iterations";
  const count = (name: Count, min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) {
      throw new UsageError(`--${name} must be an integer from ${min}, not "${values[name]}"`);
    }
    return n;
  };
  const iterations = count("iterations", 1), driftIterations = count("drift-iterations", 0);
  const rounds = count("rounds", 1), numpyIterations = count("numpy-iterations", 1);
  const wholeRuns = count("whole-runs", 0), wholeIterations = count("whole-iterations", 1);
  const profileIterations = count("profile-iterations", 0);
  const threads = defaultThreads();
  const found = await findNumPy(values.python ? [values.python] : ["python3", "/usr/bin/python3"]);
  if (typeof found === "string") throw new Error(`no NumPy to compare with: ${found}`);
  const python = found.python;
  console.log(
    `NumPy ${found.version} (${python}), ${found.blas}; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE ` +
      `unset for it.${found.note ? ` ${found.note}.` : ""}\n` +
      `Training iterations on data of the course's shapes (12288, 209), ${iterations} timed each ` +
      `(NumPy's ${numpyIterations}, enough for a steady figure), median of ${rounds} rounds, ` +
      `${navigator.hardwareConcurrency} cores.\n`,
  );
  const notes: string[] = [];
  let version: string | undefined;
  for (const model of MODELS) {
    // Rounds of NumPy then every way, so that a slow spell of the machine hits all alike;
    // each figure is the median of its rounds.
    const ourMs: number[][] = ways(threads).map(() => []), numpyMs: number[] = [];
    const handMs: number[] = [];
    let failed: string | undefined;
    for (let round = 0; round < rounds; round++) {
      const ref = await numpy(python, model, numpyIterations);
      if (typeof ref === "string") failed = ref;
      else numpyMs.push(ref.ms), version = ref.version;
      for (const [w, { options }] of ways(threads).entries()) {
        ourMs[w].push(await ours(model, options, iterations));
      }
      if (model.name === "deep") handMs.push(handWritten(iterations));
    }
    if (failed !== undefined) notes.push(`NumPy not measured for ${model.name}: ${failed}`);
    const ref = failed === undefined ? median(numpyMs) : undefined;
    const rows = [[`${model.name} [${model.layersDims}]`, "ms/iteration", "x NumPy"]];
    ways(threads).forEach(({ label }, w) => {
      const ms = median(ourMs[w]);
      rows.push([label, ms.toFixed(2), ref === undefined ? "-" : `${(ms / ref).toFixed(2)}x`]);
    });
    if (handMs.length > 0) {
      const ms = median(handMs);
      rows.push([
        `hand-written loop, fast f64, ${threads} threads`,
        ms.toFixed(2),
        ref === undefined ? "-" : `${(ms / ref).toFixed(2)}x`,
      ]);
    }
    rows.push(["NumPy", ref === undefined ? "-" : ref.toFixed(2), "1.00x"]);
    table(rows);
    console.log();
  }
  if (version !== undefined) notes.push(`NumPy ${version}, ${found.blas}`);
  if (notes.length) console.log(`${notes.join("\n")}\n`);
  if (profileIterations > 0) await profile(python, profileIterations, threads);
  if (wholeRuns > 0) await wholeRun(python, wholeRuns, wholeIterations, values.data);
  if (driftIterations > 0) await drift(driftIterations, threads, values.data);
}

/** A matrix as a `.npy` file (format 1.0, little-endian float64, C order), which NumPy loads. */
export function npy(M: Matrix): Uint8Array {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${M.rows}, ${M.cols}), }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = new TextEncoder().encode(dict + " ".repeat(pad % 64) + "\n");
  const out = new Uint8Array(10 + header.length + M.data.byteLength);
  out.set([
    0x93,
    ...new TextEncoder().encode("NUMPY"),
    1,
    0,
    header.length & 255,
    header.length >> 8,
  ]);
  out.set(header, 10);
  out.set(new Uint8Array(M.data.buffer, M.data.byteOffset, M.data.byteLength), 10 + header.length);
  return out;
}

/** Seconds of wall time a command takes, from start to exit; fails if it fails. */
async function wallTime(command: string, args: string[], env?: Record<string, string>) {
  const start = performance.now();
  const out = await new Deno.Command(command, {
    args,
    cwd: new URL("..", import.meta.url).pathname,
    ...(env ? { env, clearEnv: true } : {}),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
    throw new Error(`${command} ${args.join(" ")} failed: ${why}`);
  }
  return seconds;
}

/**
 * Whole runs of the deep model, each a process timed from start to exit:
 * `deno task train` (float64, the default, and float32) against the NumPy script
 * on the same arrays, in interleaved rounds; prints the medians and their ratios.
 */
async function wholeRun(
  python: string,
  runs: number,
  iterations: number,
  dataDir?: string,
): Promise<void> {
  const data = await loadDataset({ dataDir });
  const dir = await Deno.makeTempDir({ prefix: "bench-npy-" });
  try {
    const arrays = {
      train_x: flatten(data.train),
      train_y: labelsRow(data.train),
      test_x: flatten(data.test),
      test_y: labelsRow(data.test),
    };
    for (const [name, M] of Object.entries(arrays)) {
      await Deno.writeFile(`${dir}/${name}.npy`, npy(M));
    }
    const train = ["task", "--quiet", "train", "--iterations", `${iterations}`];
    if (dataDir) train.push("--data", dataDir);
    const commands = [
      {
        label: "NumPy",
        run: () =>
          wallTime(python, [SCRIPT, "--npy", dir, "--iterations", `${iterations}`], numpyEnv()),
      },
      {
        label: "deno task train (fast f64, the default)",
        run: () => wallTime(Deno.execPath(), train),
      },
      {
        label: "deno task train --precision f32 (fast f32 + FMA)",
        run: () => wallTime(Deno.execPath(), [...train, "--precision", "f32"]),
      },
    ];
    const seconds: number[][] = commands.map(() => []);
    for (let round = 0; round < runs; round++) {
      for (const [c, { run }] of commands.entries()) seconds[c].push(await run());
    }
    const ref = median(seconds[0]);
    console.log(
      `Whole runs: the deep model [12288,20,7,5,1], ${iterations} iterations on the ${data.source} ` +
        `dataset, wall time of each process from start to exit, median of ${runs} interleaved rounds.\n`,
    );
    const rows = [["command", "seconds", "x NumPy"]];
    for (const [c, { label }] of commands.entries()) {
      const s = median(seconds[c]);
      rows.push([label, s.toFixed(1), `${(s / ref).toFixed(2)}x`]);
    }
    table(rows);
    console.log();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Trains each model `iterations` times every way, and prints the largest
 * relative difference of each way's costs from the default's (fast float64)
 * over every iteration, with its last cost and its accuracies.
 */
async function drift(iterations: number, threads: number, dataDir?: string): Promise<void> {
  const data = await loadDataset({ dataDir });
  const X = flatten(data.train), Y = labelsRow(data.train);
  const testX = flatten(data.test), testY = labelsRow(data.test);
  console.log(
    `Whole runs of ${iterations} iterations on the ${data.source} dataset: the largest relative ` +
      `difference of the costs from the default's (fast f64, ${threads} threads), over every ` +
      `iteration; the last cost; the accuracies.\n`,
  );
  for (const model of MODELS) {
    const run = (options: BackendOptions) => {
      useBackend(options);
      return model.train(X, Y, model.layersDims, { numIterations: iterations });
    };
    const reference = (await run({ threads })).costs;
    const rows = [[
      `${model.name} [${model.layersDims}]`,
      "max relative difference",
      "last cost",
      "train / test accuracy",
    ]];
    for (const { label, options } of ways(threads)) {
      const { costs, parameters } = await run(options);
      let worst = 0;
      costs.forEach((c, i) => worst = Math.max(worst, Math.abs(c - reference[i]) / reference[i]));
      const trainAccuracy = accuracy(predict(X, parameters), Y);
      const testAccuracy = accuracy(predict(testX, parameters), testY);
      rows.push([
        label,
        worst === 0 ? "0 (bit for bit)" : worst.toExponential(1),
        costs.at(-1)!.toFixed(6),
        `${trainAccuracy.toFixed(3)} / ${testAccuracy.toFixed(2)}`,
      ]);
    }
    table(rows);
    console.log();
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    fail("bench", e);
  }
}
