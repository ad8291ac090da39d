/**
 * `deno task train`: trains the two-layer or the L-layer model on the cat /
 * non-cat data and prints the costs and accuracies, as the course's notebook does.
 *
 * ```sh
 * deno task train [--model deep|two] [--layers-dims 12288,20,7,5,1] [--iterations 2500]
 *                 [--learning-rate 0.0075] [--data DIR] [--save FILE] [--json]
 *                 [--backend fast|plain] [--threads N] [--precision f64|f32] [--fma]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  accuracy,
  flatten,
  labelsRow,
  lLayerModel,
  loadDataset,
  predict,
  saveParameters,
  twoLayerModel,
} from "../mod.ts";
import { computeFor, type ComputeOptions } from "../compute.ts";
import { fail, UsageError } from "./errors.ts";
import { Progress } from "./progress.ts";

const USAGE = `Usage: deno task train [options]

Trains a cat / non-cat classifier and prints its cost every 100 iterations and its accuracies.

Options:
  --model deep|two        the L-layer model (default) or the two-layer model
  --layers-dims SIZES     layer sizes, input first (default 12288,20,7,5,1; two: 12288,7,1)
  --iterations N          gradient-descent steps (default 2500)
  --learning-rate R       step size (default 0.0075)
  --data DIR              folder of train_catvnoncat.h5 and test_catvnoncat.h5
                          (default: $DNN_DATA_DIR, then data/)
  --save FILE             save the trained parameters to FILE as HDF5
  --json                  end with one line of JSON: costs, accuracies, time
  --backend fast|plain    where the matrix products run: WebAssembly SIMD on every core
                          (default; the same numbers as plain) or the plain TypeScript loops
  --threads N             threads of the fast backend (default: the machine's cores)
  --precision f64|f32     opt-in: f32 computes the products in float32, faster; the
                          costs drift from the f64 run by about 1e-6 relative
  --fma                   opt-in: fused multiply-add in the products; the costs differ
                          from the f64 run in the last digits
  --help                  show this help`;

const DEFAULT_DIMS = { deep: [12288, 20, 7, 5, 1], two: [12288, 7, 1] };

/** The options of a run, checked. */
interface TrainArgs {
  model: "deep" | "two";
  layersDims?: number[];
  iterations: number;
  learningRate: number;
  data?: string;
  save?: string;
  json: boolean;
  compute: ComputeOptions;
}

/**
 * Joins `--option -0.01` into `--option=-0.01`: parseArgs would take a value
 * that starts with a dash for another option.
 */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (
      args[i].startsWith("--") && !args[i].includes("=") && next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

function parse(args: string[]): TrainArgs | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(args),
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: "string", default: "deep" },
        "layers-dims": { type: "string" },
        iterations: { type: "string", default: "2500" },
        "learning-rate": { type: "string", default: "0.0075" },
        data: { type: "string" },
        save: { type: "string" },
        json: { type: "boolean", default: false },
        backend: { type: "string", default: "fast" },
        threads: { type: "string" },
        precision: { type: "string", default: "f64" },
        fma: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (see --help)`);
  }
  if (values.help) return undefined;
  if (values.model !== "deep" && values.model !== "two") {
    throw new UsageError(`--model must be deep or two, not "${values.model}"`);
  }
  const iterations = Number(values.iterations);
  if (
    !/^\s*\d+\s*$/.test(values.iterations) || !Number.isSafeInteger(iterations) || iterations < 1
  ) {
    throw new UsageError(`--iterations must be a positive integer, not "${values.iterations}"`);
  }
  const learningRate = Number(values["learning-rate"]);
  if (
    values["learning-rate"].trim() === "" || !Number.isFinite(learningRate) || learningRate <= 0
  ) {
    throw new UsageError(
      `--learning-rate must be a positive finite number, not "${values["learning-rate"]}"`,
    );
  }
  let layersDims;
  if (values["layers-dims"] !== undefined) {
    const text = values["layers-dims"];
    layersDims = text.split(",").map((s) => Number(s.trim()));
    if (
      text.trim() === "" ||
      layersDims.some((n, i) => !/^\s*\d+\s*$/.test(text.split(",")[i]) || n < 1)
    ) {
      throw new UsageError(
        `--layers-dims must be positive integers separated by commas, not "${text}"`,
      );
    }
    if (values.model === "two" && layersDims.length !== 3) {
      throw new UsageError(
        `--layers-dims for --model two must have 3 sizes (input, hidden, output), not "${text}"`,
      );
    }
    if (layersDims.length < 2) {
      throw new UsageError(`--layers-dims needs at least 2 sizes, not "${text}"`);
    }
    if (layersDims[layersDims.length - 1] !== 1) {
      throw new UsageError(
        `--layers-dims must end with 1, the size of the output layer, not "${text}"`,
      );
    }
  }
  if (values.save !== undefined && values.save.trim() === "") {
    throw new UsageError("--save needs a file name");
  }
  if (values.backend !== "fast" && values.backend !== "plain") {
    throw new UsageError(`--backend must be fast or plain, not "${values.backend}"`);
  }
  if (values.precision !== "f64" && values.precision !== "f32") {
    throw new UsageError(`--precision must be f64 or f32, not "${values.precision}"`);
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (
    threads !== undefined &&
    (!/^\s*\d+\s*$/.test(values.threads!) || !Number.isSafeInteger(threads) || threads < 1 ||
      threads > 64)
  ) {
    throw new UsageError(`--threads must be an integer from 1 to 64, not "${values.threads}"`);
  }
  if (values.backend === "plain" && (values.precision !== "f64" || values.fma || threads)) {
    throw new UsageError("--threads, --precision f32 and --fma need --backend fast");
  }
  return {
    model: values.model,
    layersDims,
    iterations,
    learningRate,
    data: values.data,
    save: values.save,
    json: values.json,
    compute: { backend: values.backend, threads, precision: values.precision, fma: values.fma },
  };
}

async function main(args: string[]): Promise<void> {
  const options = parse(args);
  if (options === undefined) {
    console.log(USAGE);
    return;
  }
  const data = await loadDataset({ dataDir: options.data });
  if (data.source === "synthetic") {
    console.error(
      `Course files not found in ${data.dir}: training on a synthetic dataset of the same shapes ` +
        `(see data/README.md)`,
    );
  }
  const X = flatten(data.train), Y = labelsRow(data.train);
  const testX = flatten(data.test), testY = labelsRow(data.test);
  const layersDims = options.layersDims ?? DEFAULT_DIMS[options.model];
  if (layersDims[0] !== X.rows) {
    throw new UsageError(
      `--layers-dims must start with ${X.rows}, the number of values in one ` +
        `${data.train.height}x${data.train.width}x${data.train.channels} image, not ${
          layersDims[0]
        }`,
    );
  }

  const products = computeFor(options.compute).description;
  console.log(`Matrix products: ${products}`);
  const printed: [number, number][] = [];
  const progress = new Progress(options.iterations);
  const model = options.model === "two" ? twoLayerModel : lLayerModel;
  const start = performance.now();
  const { parameters } = model(X, Y, layersDims, {
    ...options.compute,
    learningRate: options.learningRate,
    numIterations: options.iterations,
    onIteration: (i, cost) => {
      if (i % 100 === 0 || i === options.iterations - 1) {
        printed.push([i, cost]);
        progress.print(`Cost after iteration ${i}: ${cost}`);
      }
      progress.update(i, cost);
    },
  });
  const seconds = (performance.now() - start) / 1000;
  progress.done();

  const trainAccuracy = accuracy(predict(X, parameters), Y);
  const testAccuracy = accuracy(predict(testX, parameters), testY);
  console.log(`Train accuracy: ${trainAccuracy}`);
  console.log(`Test accuracy: ${testAccuracy}`);
  if (options.save !== undefined) {
    await saveParameters(options.save, parameters, layersDims);
    console.log(`Saved the parameters to ${options.save}`);
  }
  if (options.json) {
    console.log(JSON.stringify({
      model: options.model,
      costs: printed,
      trainAccuracy,
      testAccuracy,
      layersDims,
      iterations: options.iterations,
      learningRate: options.learningRate,
      seconds,
      dataset: data.source,
      products,
    }));
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    fail("train", e);
  }
}
