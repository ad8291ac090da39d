/**
 * `deno task bench`: milliseconds per training iteration of both models on data
 * of the course's shapes (12288 features, 209 examples), side by side with the
 * NumPy reference (tests/reference/dnn_numpy.py) run in the same invocation.
 *
 * ```sh
 * deno task bench [--iterations 40] [--python /usr/bin/python3]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fail, UsageError } from "../lib/cli/errors.ts";
import { lLayerModel, Matrix, RandomState, twoLayerModel } from "../lib/mod.ts";

const MODELS = [
  { name: "deep", layersDims: [12288, 20, 7, 5, 1], train: lLayerModel },
  { name: "two", layersDims: [12288, 7, 1], train: twoLayerModel },
] as const;

/** Random inputs in [0, 1) and labels (35% ones), of the course's training shapes. */
function courseShapedData(): { X: Matrix; Y: Matrix } {
  const rng = new RandomState(0);
  const X = new Matrix(12288, 209), Y = new Matrix(1, 209);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.random();
  for (let j = 0; j < Y.data.length; j++) Y.data[j] = rng.random() < 0.35 ? 1 : 0;
  return { X, Y };
}

/** Our milliseconds per iteration, after a warm-up run so the JIT has compiled the kernels. */
function ours(model: (typeof MODELS)[number], iterations: number): number {
  const { X, Y } = courseShapedData();
  model.train(X, Y, model.layersDims, { numIterations: 10 });
  const start = performance.now();
  model.train(X, Y, model.layersDims, { numIterations: iterations });
  return (performance.now() - start) / iterations;
}

/** NumPy's milliseconds per iteration, or why it could not be measured. */
async function numpy(
  python: string,
  model: (typeof MODELS)[number],
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      iterations: { type: "string", default: "40" },
      python: { type: "string", default: Deno.env.get("DNN_PYTHON") ?? "/usr/bin/python3" },
    },
  });
  const iterations = Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new UsageError(`--iterations must be a positive integer, not "${values.iterations}"`);
  }
  console.log(
    `Training iterations on data of the course's shapes (12288, 209), ${iterations} timed each.`,
  );
  console.log(
    `Ours: TypeScript, float64, 1 thread. NumPy: ${values.python}, its BLAS's own threads.\n`,
  );
  const rows = [["model", "layersDims", "ours ms/it", "NumPy ms/it", "ours/NumPy"]];
  const notes: string[] = [];
  for (const model of MODELS) {
    const ms = ours(model, iterations);
    const ref = await numpy(values.python, model, iterations);
    if (typeof ref === "string") notes.push(`NumPy not measured for ${model.name}: ${ref}`);
    else if (!notes.some((n) => n.startsWith("NumPy"))) notes.push(`NumPy ${ref.version}`);
    rows.push([
      model.name,
      model.layersDims.join(","),
      ms.toFixed(2),
      typeof ref === "string" ? "-" : ref.ms.toFixed(2),
      typeof ref === "string" ? "-" : `${(ms / ref.ms).toFixed(2)}x`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join("  "));
  if (notes.length) console.log(`\n${notes.join("\n")}`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    fail("bench", e);
  }
}
