/**
 * A training run as the notebooks show it: one call that trains a model with a
 * live progress line, prints the cost every 100 iterations as the course's
 * `print_cost = True` does, and measures the train and test accuracy along the
 * way (through the model's `onIteration`), so that overfitting is seen. Its
 * result can be saved and read back by a later notebook.
 *
 * @module
 */

import { dirname } from "node:path";
import { liveProgress } from "./display.ts";
import { DataError } from "./errors.ts";
import type { Parameters } from "./initialization.ts";
import type { Matrix } from "./matrix.ts";
import { accuracy, type ModelOptions, type ModelResult, predict } from "./models.ts";

/** A model the notebooks train: `twoLayerModel`, `lLayerModel`, or a learner's own. */
export type Model = (
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions,
) => Promise<ModelResult> | ModelResult;

/** Options of {@link train}: the model's, and how the run is shown and measured. */
export interface TrainOptions extends ModelOptions {
  /** Test examples `X` (nX, mTest) and labels `Y` (1, mTest), to measure the test accuracy too. */
  test?: { X: Matrix; Y: Matrix };
  /** Print "Cost after iteration i: cost" every this many iterations, and after the last. 0: never. Default 100. */
  printEvery?: number;
  /** Measure the accuracies every this many iterations, and after the last. Default 100. */
  trackEvery?: number;
  /** The progress line's label. Default "Training". */
  label?: string;
  /** Where the printed lines go. Default `console.log`. */
  say?: (line: string) => void;
}

/** The accuracies of the parameters after a number of iterations. */
export interface AccuracyPoint {
  /** How many iterations (updates) the parameters have had. */
  iteration: number;
  /** The fraction of the training examples predicted right. */
  train: number;
  /** The fraction of the test examples predicted right, if a test set was given. */
  test?: number;
}

/** What a run gives: the model's result, the accuracies along the way and at the end, the time. */
export interface TrainResult extends ModelResult {
  /** The layer sizes trained. */
  layersDims: number[];
  /** The accuracies every `trackEvery` iterations and after the last. */
  accuracies: AccuracyPoint[];
  /** The final parameters' training accuracy. */
  trainAccuracy: number;
  /** The final parameters' test accuracy, if a test set was given. */
  testAccuracy?: number;
  /** The wall time of the run, in seconds. */
  seconds: number;
}

/**
 * Trains `model` on `X`, `Y`, showing a live progress line in a notebook,
 * printing the cost every `printEvery` iterations, and measuring the accuracies
 * every `trackEvery`.
 *
 * @param model the model to train, e.g. `lLayerModel`
 * @param X training inputs, shape (layersDims[0], m)
 * @param Y training labels, 0 or 1, shape (1, m)
 * @param layersDims the layer sizes, input first
 * @param options the model's options, and `test`, `printEvery`, `trackEvery`, `label`, `say`
 * @returns the parameters, costs, accuracies along the way and at the end, and the seconds
 * @throws {RangeError} if `printEvery` or `trackEvery` is not a whole number (0 or more for
 *   `printEvery`, 1 or more for `trackEvery`); whatever the model throws
 * @example
 * ```ts
 * import { lLayerModel, Matrix, train } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3], [1, 1, 0, 0]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const lines: string[] = [];
 * const run = await train(lLayerModel, X, Y, [2, 3, 1], {
 *   numIterations: 800,
 *   learningRate: 0.5,
 *   say: (line) => lines.push(line),
 * });
 * assert.match(lines[0], /^Cost after iteration 0: 0\.\d+/);
 * assert.equal(run.accuracies.length, 8); // after 100, 200, ..., 800 iterations
 * assert.equal(run.trainAccuracy, 1);
 * ```
 */
export async function train(
  model: Model,
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: TrainOptions = {},
): Promise<TrainResult> {
  const { test, printEvery = 100, trackEvery = 100, label, say = console.log, ...rest } = options;
  if (!Number.isInteger(printEvery) || printEvery < 0) {
    throw new RangeError(`printEvery must be a whole number, 0 or more, not ${printEvery}`);
  }
  if (!Number.isInteger(trackEvery) || trackEvery < 1) {
    throw new RangeError(`trackEvery must be a whole number, 1 or more, not ${trackEvery}`);
  }
  const numIterations = rest.numIterations ?? 3000; // the models' default
  const progress = liveProgress(numIterations, { label });
  const accuracies: AccuracyPoint[] = [];
  const measure = (iteration: number, parameters: Parameters): AccuracyPoint => ({
    iteration,
    train: accuracy(predict(X, parameters), Y),
    ...(test && { test: accuracy(predict(test.X, parameters), test.Y) }),
  });
  const start = performance.now();
  const result = await model(X, Y, layersDims, {
    ...rest,
    onIteration: async (i, cost, parameters) => {
      await progress.update(i, cost); // the progress line first, above the costs
      const last = i === numIterations - 1;
      if (printEvery && (i % printEvery === 0 || last)) say(`Cost after iteration ${i}: ${cost}`);
      if ((i + 1) % trackEvery === 0 || last) accuracies.push(measure(i + 1, parameters));
      await rest.onIteration?.(i, cost, parameters);
    },
  });
  await progress.done();
  const seconds = (performance.now() - start) / 1000;
  const final = measure(result.costs.length, result.parameters);
  if (accuracies.at(-1)?.iteration !== final.iteration) accuracies.push(final);
  return {
    ...result,
    layersDims: [...layersDims],
    accuracies,
    trainAccuracy: final.train,
    ...(final.test !== undefined && { testAccuracy: final.test }),
    seconds,
  };
}

/** A run as {@link saveRun} keeps it: everything but the parameters (saved as HDF5 apart). */
export type SavedRun = Omit<TrainResult, "parameters">;

/**
 * Saves a run's costs, accuracies and time as JSON, for a later notebook to
 * compare with (the parameters are left out: `saveParameters` keeps those).
 * The file is written beside the target and renamed into place, so a failed
 * write leaves an earlier file as it was.
 *
 * @param path the JSON file, e.g. `"../out/two_layer_result.json"` (its folder is made)
 * @param run what {@link train} returned
 * @example
 * ```ts
 * import { loadRun, saveRun } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const run = { layersDims: [2, 1], costs: [0.7, 0.6], accuracies: [], trainAccuracy: 1, seconds: 0.1 };
 * await saveRun(`${dir}/run.json`, { ...run, parameters: {} });
 * assert.deepEqual(await loadRun(`${dir}/run.json`), run);
 * assert.equal(await loadRun(`${dir}/missing.json`), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveRun(path: string, run: TrainResult): Promise<void> {
  const { parameters: _, ...saved } = run;
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${crypto.randomUUID()}.partial`;
  try {
    await Deno.writeTextFile(temporary, JSON.stringify(saved) + "\n");
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * Reads a run {@link saveRun} saved.
 *
 * @param path the JSON file
 * @returns the run, or `undefined` if there is no such file
 * @throws {DataError} naming the file if it is not a saved run
 */
export async function loadRun(path: string): Promise<SavedRun | undefined> {
  let text;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new DataError(path, `cannot be read (${(error as Error).message})`);
  }
  let run;
  try {
    run = JSON.parse(text);
  } catch {
    throw new DataError(path, "is not JSON: not a run saved by saveRun");
  }
  const numbers = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "number");
  if (
    !numbers(run?.layersDims) || !numbers(run?.costs) || !Array.isArray(run?.accuracies) ||
    typeof run?.trainAccuracy !== "number" || typeof run?.seconds !== "number"
  ) {
    throw new DataError(path, "is not a run saved by saveRun (layersDims, costs, ... missing)");
  }
  return run;
}
