/**
 * `deno task train`: trains the two-layer or the L-layer model on the cat /
 * non-cat data and prints the costs and accuracies, as the course's notebook does.
 *
 * ```sh
 * deno task train [--model deep|two] [--layers-dims 12288,20,7,5,1] [--iterations 2500]
 *                 [--learning-rate 0.0075] [--data DIR] [--save FILE] [--json]
 *                 [--backend fast|plain] [--threads N] [--precision f64|f32] [--[no-]fma]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
// The library's modules this command needs, not all of `lib/mod.ts`: the plots' and
// pictures' packages would add a quarter of a second to every start.
import { type BackendOptions, useBackend } from "../lib/backend.ts";
import { flatten, labelsRow, loadDataset } from "../lib/data.ts";
import { OptionError } from "../lib/errors.ts";
import { saveParameters } from "../lib/hdf5.ts";
import { accuracy, lLayerModel, predict, twoLayerModel } from "../lib/models.ts";
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
  --precision f64|f32     opt-in: f32, the fast lane, computes the products in float32
                          with fused multiply-add; the costs drift from the f64 run, a
                          little at first, then the training can take another path to
                          about the same accuracy
  --fma, --no-fma         fused multiply-add in the products: on with f32, opt-in with f64
                          (the costs then differ from the plain run in the last digits)
  --help                  show this help`;

const DEFAULT_DIMS = { deep: [12288, 20, 7, 5, 1], two: [12288, 7, 1] };

/**
 * The options of a run, as the library takes them. Only what is the command's
 * own is checked here (the model's name, a file to save); the library checks
 * the rest, and {@link asUsageError} says its refusals of the flags.
 */
interface TrainArgs {
  model: "deep" | "two";
  layersDims?: number[];
  iterations: number;
  learningRate: number;
  data?: string;
  save?: string;
  json: boolean;
  backend: BackendOptions;
  /** Each library option's text as given on the command line. */
  given: Record<string, string>;
}

/** The flag of each option the library checks. */
const FLAGS: Record<string, string> = {
  numIterations: "--iterations",
  learningRate: "--learning-rate",
  layersDims: "--layers-dims",
  backend: "--backend",
  precision: "--precision",
  threads: "--threads",
};

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

/** A number as written on the command line: NaN unless it is one, so the library refuses it. */
function numberOf(text: string): number {
  return text.trim() === "" ? NaN : Number(text);
}

function parse(args: string[]): TrainArgs | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(args),
      strict: true,
      allowPositionals: false,
      allowNegative: true,
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
        fma: { type: "boolean" }, // --no-fma too; unset: the library's default
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
  if (values.save !== undefined && values.save.trim() === "") {
    throw new UsageError("--save needs a file name");
  }
  const dims = values["layers-dims"];
  return {
    model: values.model,
    layersDims: dims === undefined ? undefined : dims.split(",").map(numberOf),
    iterations: numberOf(values.iterations),
    learningRate: numberOf(values["learning-rate"]),
    data: values.data,
    save: values.save,
    json: values.json,
    backend: {
      backend: values.backend as BackendOptions["backend"],
      threads: values.threads === undefined ? undefined : numberOf(values.threads),
      precision: values.precision as BackendOptions["precision"],
      fma: values.fma,
    },
    given: {
      numIterations: values.iterations,
      learningRate: values["learning-rate"],
      layersDims: dims ?? "",
      backend: values.backend,
      precision: values.precision,
      threads: values.threads ?? "",
    },
  };
}

/** The library's refusal of an option, said of the flag it came from: a usage error. */
function asUsageError(error: unknown, given: Record<string, string>): unknown {
  if (!(error instanceof OptionError) || !(error.option in FLAGS)) return error;
  return new UsageError(`${FLAGS[error.option]} ${error.rule}, not "${given[error.option]}"`);
}

async function main(args: string[]): Promise<void> {
  const options = parse(args);
  if (options === undefined) {
    console.log(USAGE);
    return;
  }
  try {
    await train(options);
  } catch (error) {
    throw asUsageError(error, options.given);
  }
}

async function train(options: TrainArgs): Promise<void> {
  // Chosen first: the fast backend's workers start while the data loads.
  const products = useBackend(options.backend).description;
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

  console.log(`Matrix products: ${products}`);
  const printed: [number, number][] = [];
  const progress = new Progress(options.iterations);
  const model = options.model === "two" ? twoLayerModel : lLayerModel;
  const start = performance.now();
  const { parameters } = await model(X, Y, layersDims, {
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
