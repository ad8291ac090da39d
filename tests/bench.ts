/**
 * `deno task bench`: milliseconds per training iteration of both models on data
 * of the course's shapes (12288 features, 209 examples), for every way the
 * matrix products can run, side by side with the NumPy reference
 * (tests/reference/dnn_numpy.py) run in the same invocation; then how far the
 * costs of each way drift from the float64 fast run over a whole training run.
 *
 * ```sh
 * deno task bench [--iterations 40] [--rounds 3] [--drift-iterations 2500] [--data DIR]
 *                  [--python /usr/bin/python3]
 * ```
 *
 * The drift runs use the course's files when they are found (`--data`,
 * `$DNN_DATA_DIR`, `data/`), else the synthetic dataset of the same shapes.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fail, UsageError } from "../cli/errors.ts";
import { defaultThreads } from "../lib/fast/backend.ts";
import {
  accuracy,
  type BackendOptions,
  flatten,
  labelsRow,
  lLayerModel,
  loadDataset,
  Matrix,
  predict,
  RandomState,
  twoLayerModel,
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
    { label: `fast f32, ${threads} threads`, options: { ...all, precision: "f32" } },
    {
      label: `fast f32 + FMA, ${threads} threads`,
      options: { ...all, precision: "f32", fma: true },
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

/** NumPy's milliseconds per iteration, or why it could not be measured. */
async function numpy(
  python: string,
  model: Model,
  iterations: number,
): Promise<{ ms: number; version: string } | string> {
  const script = new URL("./reference/dnn_numpy.py", import.meta.url).pathname;
  const args = [script, "--bench", `${iterations}`, "--model", model.name];
  try {
    const out = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
    if (!out.success) {
      return new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "failed";
    }
    const result = JSON.parse(new TextDecoder().decode(out.stdout));
    return { ms: result.msPerIteration, version: result.numpy };
  } catch (e) {
    return `${python}: ${(e as Error).message}`;
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
      rounds: { type: "string", default: "3" },
      "drift-iterations": { type: "string", default: "2500" },
      data: { type: "string" },
      python: { type: "string", default: Deno.env.get("DNN_PYTHON") ?? "/usr/bin/python3" },
    },
  });
  const count = (name: "iterations" | "drift-iterations" | "rounds", min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) {
      throw new UsageError(`--${name} must be an integer from ${min}, not "${values[name]}"`);
    }
    return n;
  };
  const iterations = count("iterations", 1), driftIterations = count("drift-iterations", 0);
  const rounds = count("rounds", 1);
  const threads = defaultThreads();
  console.log(
    `Training iterations on data of the course's shapes (12288, 209), ${iterations} timed each, ` +
      `median of ${rounds} rounds, ${navigator.hardwareConcurrency} cores. ` +
      `NumPy: ${values.python}, its BLAS's own threads.\n`,
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
      const ref = await numpy(values.python, model, iterations);
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
  if (version !== undefined) notes.push(`NumPy ${version}`);
  if (notes.length) console.log(`${notes.join("\n")}\n`);
  if (driftIterations > 0) await drift(driftIterations, threads, values.data);
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
