/**
 * The checks of the notebooks' exercises: each runs a learner's function on the
 * course's own test case and compares what comes out with what the course
 * expects, entry by entry.
 *
 * The test cases and their expected outputs are in `exercise_cases.json`,
 * written by `tests/reference/make_exercise_cases.py` with NumPy from the
 * course's `*_test_case()` helpers (the same seeds, the same draws).
 *
 * Used in `notebooks/02_building_blocks.ipynb`, `03_two_layer_model.ipynb`
 * and `04_l_layer_model.ipynb`.
 *
 * @module
 */

import { linearActivationBackward, linearBackward, lModelBackward } from "./backward.ts";
import { computeCost } from "./cost.ts";
import { flatten, labelsRow, loadDataset } from "./data.ts";
import {
  type LayerCache,
  linearActivationForward,
  linearForward,
  lModelForward,
} from "./forward.ts";
import { mistakeHint } from "./hints.ts";
import { flushOutputs } from "./kernel.ts";
import {
  initializeParameters,
  initializeParametersDeep,
  type Parameters,
} from "./initialization.ts";
import { addColumn, Matrix, shapeOf, subtract } from "./matrix.ts";
import { lLayerModel, twoLayerModel } from "./models.ts";
import { RandomState } from "./random.ts";
import { updateParameters } from "./update.ts";
import cases from "./exercise_cases.json" with { type: "json" };

/** The functions the learner writes, by name, with the library's signatures. */
export interface Exercises {
  /** Notebook 2, exercise 0a: element-wise `A - B`, with a matrix or a number. */
  subtract: typeof subtract;
  /** Notebook 2, exercise 0b: the broadcast `A + b` of a column. */
  addColumn: typeof addColumn;
  /** Notebook 2, exercise 1. */
  initializeParameters: typeof initializeParameters;
  /** Notebook 2, exercise 2. */
  initializeParametersDeep: typeof initializeParametersDeep;
  /** Notebook 2, exercise 3. */
  linearForward: typeof linearForward;
  /** Notebook 2, exercise 4. */
  linearActivationForward: typeof linearActivationForward;
  /** Notebook 2, exercise 5. */
  lModelForward: typeof lModelForward;
  /** Notebook 2, exercise 6. */
  computeCost: typeof computeCost;
  /** Notebook 2, exercise 7. */
  linearBackward: typeof linearBackward;
  /** Notebook 2, exercise 8. */
  linearActivationBackward: typeof linearActivationBackward;
  /** Notebook 2, exercise 9. */
  lModelBackward: typeof lModelBackward;
  /** Notebook 2, exercise 10. */
  updateParameters: typeof updateParameters;
  /** Notebook 3's exercise. */
  twoLayerModel: typeof twoLayerModel;
  /** Notebook 4's exercise. */
  lLayerModel: typeof lLayerModel;
}

/** The model answers: the library's own functions. */
const LIBRARY: Exercises = {
  subtract,
  addColumn,
  initializeParameters,
  initializeParametersDeep,
  linearForward,
  linearActivationForward,
  lModelForward,
  computeCost,
  linearBackward,
  linearActivationBackward,
  lModelBackward,
  updateParameters,
  twoLayerModel,
  lLayerModel,
};

/** The name of an exercise: the name of the function the learner writes. */
export type ExerciseName = keyof Exercises;

/**
 * A check that failed: its message names the exercise, the value and what differs.
 * Its stack is that one line: where in the library the check noticed is not the
 * learner's to read.
 */
export class ExerciseError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "ExerciseError";
    this.stack = _shownLines(`${this.name}: ${message}`);
  }
}

/**
 * The widest line of a failed check as the front ends show it: the classic
 * Notebook's output area holds about 70 characters in a window 800 pixels wide,
 * and cuts a longer line anywhere, mid-word (Bootstrap's `pre { word-break:
 * break-all }`). The kernel sends the stack as what is shown, so the stack is the
 * message in lines: what differs and the hint each on a line of their own, every
 * line cut at a space, the lines after the first indented. The message itself
 * stays one line, for whoever reads it (`deno task grade`, a test).
 */
const SHOWN_COLUMNS = 70;

function _shownLines(text: string): string {
  const paragraphs = text.replace(" differs: ", " differs:\n").replace(". Hint: ", ".\nHint: ");
  const lines: string[] = [];
  for (const paragraph of paragraphs.split("\n")) {
    let line = lines.length === 0 ? "" : "  ";
    for (const word of paragraph.split(" ")) {
      if (line.trim() !== "" && line.length + 1 + word.length > SHOWN_COLUMNS) {
        lines.push(line);
        line = "  ";
      }
      line += line.trim() === "" ? word : ` ${word}`;
    }
    lines.push(line);
  }
  return lines.join("\n");
}

/**
 * An entry is right when it is within `RTOL * |expected| + ATOL` of the course's
 * value. A right answer summed in another order differs from NumPy's in its last
 * bits (about 1e-16 relative; after the model exercises' three iterations on the
 * course data, below 1e-14); every mistake the tests try differs by 1e-3 or more.
 */
export const TOLERANCE = { rtol: 1e-9, atol: 1e-12 } as const;

type Rows = number[][];
/** One value to compare: a matrix, a number, or a list of numbers. */
type Expected = { label: string; expected: Rows | number | number[]; got: unknown };

/**
 * Runs a learner's function on the course's test case of the exercise, prints
 * each expected value and what came, and throws if any differs.
 *
 * @param name the exercise: the name of the function, e.g. `"linearForward"`
 * @param fn the learner's function
 * @param say where the lines go (default: `console.log`)
 * @returns when every value is within {@link TOLERANCE} of the course's
 * @throws {ExerciseError} naming what differs: a shape mismatch, the first entry
 *   that differs (and how many do), a value missing, or what the function threw
 * @example
 * ```ts
 * import { checkExercise, linearForward } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * await checkExercise("linearForward", linearForward, (line) => lines.push(line));
 * assert.match(lines.at(-1)!, /linearForward: all tests passed/);
 *
 * // A mistake: W and APrev swapped in the product gives Z of another shape.
 * await assert.rejects(
 *   checkExercise("linearForward", (APrev, W, b) => linearForward(W, APrev, b), () => {}),
 *   /linearForward/,
 * );
 * ```
 */
export async function checkExercise<K extends ExerciseName>(
  name: K,
  fn: Exercises[K],
  say: (line: string) => void = console.log,
): Promise<void> {
  await _outputsFirst(() => _checkExercise(name, fn, say));
}

async function _checkExercise<K extends ExerciseName>(
  name: K,
  fn: Exercises[K],
  say: (line: string) => void,
): Promise<void> {
  const values = await _learners(name, fn, () => RUNNERS[name](fn as never));
  for (const { label, expected, got } of values) {
    say(`${label} expected ${show(expected)}`);
    say(`${" ".repeat(label.length)} got      ${show(got)}`);
  }
  for (const { label, expected, got } of values) {
    const difference = differs(label, expected, got);
    if (difference !== undefined) {
      const hint = mistakeHint(expected, got);
      throw new ExerciseError(`${name}: ${difference}${hint ? `. Hint: ${hint}` : ""}`);
    }
  }
  const rules = await _learners(name, fn, () => RULES[name]?.(fn as never) ?? []);
  for (const { rule, broken } of rules) {
    if (broken !== undefined) throw new ExerciseError(`${name}: ${broken}`);
    say(`✔ ${rule}`);
  }
  // The two warm-ups are not the course's: their test cases are NumPy's alone.
  const whose = name === "subtract" || name === "addColumn" ? "NumPy's" : "the course's";
  say(`✔ ${name}: all tests passed (${count(values.length, "value")} ${whose})`);
}

/**
 * The inputs of an exercise's test case, as fresh matrices: change them freely.
 *
 * @param name the exercise
 * @returns the inputs by the names of the function's arguments
 * @example
 * ```ts
 * import { exerciseCase, linearForward } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const { APrev, W, b } = exerciseCase("linearForward");
 * assert.deepEqual(APrev.shape, [3, 2]); // np.random.seed(1); A = np.random.randn(3, 2)
 * const [Z] = linearForward(APrev, W, b);
 * assert.equal(Z.get(0, 0).toFixed(8), "3.26295337");
 * ```
 */
export function exerciseCase(name: ExerciseName): Record<string, Matrix> {
  const inputs = (CASES[name] as { inputs: Record<string, unknown> }).inputs;
  const out: Record<string, Matrix> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (isRows(value)) out[key] = Matrix.from(value);
  }
  return out;
}

// deno-lint-ignore no-explicit-any
const CASES: Record<ExerciseName, any> = cases.cases;

function isRows(value: unknown): value is Rows {
  return Array.isArray(value) && value.length > 0 && Array.isArray(value[0]);
}

function matrices(record: Record<string, Rows>): Record<string, Matrix> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Matrix.from(v)]));
}

function caches(list: Record<string, Rows>[]): LayerCache[] {
  return list.map(({ APrev, W, b, Z }) => ({
    linear: { APrev: Matrix.from(APrev), W: Matrix.from(W), b: Matrix.from(b) },
    Z: Matrix.from(Z),
  }));
}

/** A rule of the exercise beyond the course's values: what it asks, and how it was broken. */
type Rule = { rule: string; broken?: string };

/** The first difference between a record of matrices and the library's, in a phrase. */
function recordDiffers(what: string, got: unknown, want: Record<string, Matrix>) {
  for (const [key, value] of Object.entries(want)) {
    const d = differs(`${what}.${key}`, value.toArray(), (got as Record<string, unknown>)?.[key]);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** The seed option of the initialisations: the same draws as the library's with that seed. */
function seedRule(what: string, got: unknown, want: Record<string, Matrix>): Rule {
  const d = recordDiffers("parameters", got, want);
  return {
    rule: `${what} with { seed: 3 } draws what new RandomState(3) draws`,
    broken: d && `with { seed: 3 }, ${d}: the seed option must seed the RandomState`,
  };
}

/**
 * The model's options: `onIteration(i, cost, parameters)` after each iteration, with
 * the parameters after its update, and `seed` to the initialisation.
 */
async function modelRules(
  name: "twoLayerModel" | "lLayerModel",
  fn: typeof lLayerModel,
  layersDims: number[],
): Promise<Rule[]> {
  const r = draw(20);
  const X = r.uniform(layersDims[0], 8, 0, 1), Y = r.labels(8);
  const options = { learningRate: 0.1, numIterations: 3, seed: 4 };
  const run = async (f: typeof lLayerModel) => {
    const calls: [number, number, unknown][] = [];
    const result = await f(X, Y, layersDims, {
      ...options,
      onIteration: (i, cost, parameters) => void calls.push([i, cost, parameters]),
    });
    return { result, calls };
  };
  const { result, calls } = await run(fn);
  const want = await run(LIBRARY[name]);
  const costs = result?.costs ?? [];
  const seed = differs("costs", want.result.costs, costs);
  const called = calls.length === 3 && calls.every(([i, c], k) => i === k && c === costs[k]);
  const shown = calls.map(([i, c]) => [i, c]);
  // The parameters each call was given, against the library's after the same iteration.
  const given = calls.slice(0, want.calls.length).map(([, , p], k) =>
    recordDiffers(`onIteration's parameters at iteration ${k}`, p, want.calls[k][2] as Parameters)
  ).find((d) => d !== undefined);
  return [
    {
      rule: `${name} calls options.onIteration(i, cost, parameters) after each iteration`,
      broken: called
        ? undefined
        : `with { numIterations: 3, onIteration }, onIteration was called ${
          calls.length === 1 ? "once" : `${calls.length} times`
        }${
          calls.length ? ` with (i, cost) ${JSON.stringify(shown)}` : ""
        }: it must be called once per iteration, with (i, cost) as the iteration's cost`,
    },
    {
      rule: `${name} gives onIteration the parameters after the iteration's update`,
      broken: given && (seed ? undefined : `${given}: pass onIteration the updated parameters`),
    },
    {
      rule: `${name} passes options.seed to the initialisation`,
      broken: seed && `with { seed: 4 } on 8 random examples, ${seed}: pass the options on`,
    },
  ];
}

/**
 * The rules of each exercise that its course values do not show: the options the
 * course's functions take. The hidden tests check them again on other inputs.
 */
const RULES: { [K in ExerciseName]?: (fn: Exercises[K]) => Promise<Rule[]> } = {
  async initializeParameters(fn) {
    const want = LIBRARY.initializeParameters(3, 2, 1, { seed: 3 });
    return [seedRule("initializeParameters", await fn(3, 2, 1, { seed: 3 }), want)];
  },
  async initializeParametersDeep(fn) {
    const want = LIBRARY.initializeParametersDeep([3, 2, 1], { seed: 3 });
    return [seedRule("initializeParametersDeep", await fn([3, 2, 1], { seed: 3 }), want)];
  },
  async linearBackward(fn) {
    const { dZ, APrev, W, b } = exerciseCase("linearBackward");
    const [dAPrev] = (await fn(dZ, { APrev, W, b }, { dAPrev: false })) ?? [];
    return [{
      rule: "linearBackward with { dAPrev: false } gives no dAPrev",
      broken: dAPrev === undefined ? undefined : `with { dAPrev: false }, dAPrev should be ` +
        `undefined (the layer's input needs no gradient), got ${describe(dAPrev)}`,
    }];
  },
  async linearActivationBackward(fn) {
    const { dA, APrev, W, b, Z } = exerciseCase("linearActivationBackward");
    const [dAPrev] = (await fn(dA, { linear: { APrev, W, b }, Z }, "relu", { dAPrev: false })) ??
      [];
    return [{
      rule: "linearActivationBackward passes its options on to linearBackward",
      broken: dAPrev === undefined ? undefined : `with { dAPrev: false }, dAPrev should be ` +
        `undefined (pass the options on to linearBackward), got ${describe(dAPrev)}`,
    }];
  },
  async lModelBackward(fn) {
    const { AL, Y, caches: list } = CASES.lModelBackward.inputs;
    const got = await fn(Matrix.from(AL), Matrix.from(Y), caches(list));
    const extra = Object.keys(got ?? {}).filter((k) => !(k in CASES.lModelBackward.expected));
    const why = (key: string) =>
      key === "dA0"
        ? "dA0 is the gradient of the input X, which nothing uses: here lModelBackward stops " +
          "at dA1 (the NumPy course's also keeps dA0), so call layer 1 with { dAPrev: false }"
        : `lModelBackward returns no ${key}`;
    return [{
      rule: "lModelBackward returns dW1, db1, ..., dWL, dbL and dA1, ..., dA(L-1), nothing else",
      broken: extra.length ? `grads has ${extra.join(", ")}: ${why(extra[0])}` : undefined,
    }];
  },
  twoLayerModel: (fn) => modelRules("twoLayerModel", fn, [5, 4, 1]),
  lLayerModel: (fn) => modelRules("lLayerModel", fn, [5, 4, 3, 1]),
};

/** What each exercise's function gives on the test case, beside what it should give. */
const RUNNERS: { [K in ExerciseName]: (fn: Exercises[K]) => Expected[] | Promise<Expected[]> } = {
  async subtract(fn) {
    const { inputs: { s }, expected } = CASES.subtract;
    const { A, B } = exerciseCase("subtract");
    return [
      { label: "A - B", expected: expected.matrix, got: await fn(A, B) },
      { label: `A - ${s}`, expected: expected.number, got: await fn(A, s) },
    ];
  },
  async addColumn(fn) {
    const { A, b } = exerciseCase("addColumn");
    return [{ label: "A + b", expected: CASES.addColumn.expected.C, got: await fn(A, b) }];
  },
  async initializeParameters(fn) {
    const { inputs: { nX, nH, nY }, expected } = CASES.initializeParameters;
    return named(await fn(nX, nH, nY), expected, "parameters");
  },
  async initializeParametersDeep(fn) {
    const { inputs: { layersDims }, expected } = CASES.initializeParametersDeep;
    return named(await fn(layersDims), expected, "parameters");
  },
  async linearForward(fn) {
    const { APrev, W, b } = exerciseCase("linearForward");
    const [Z] = await fn(APrev, W, b);
    return [{ label: "Z", expected: CASES.linearForward.expected.Z, got: Z }];
  },
  linearActivationForward(fn) {
    return Promise.all((["sigmoid", "relu"] as const).map(async (activation) => {
      const { APrev, W, b } = exerciseCase("linearActivationForward");
      const [A] = await fn(APrev, W, b, activation);
      const expected = CASES.linearActivationForward.expected[activation].A;
      return { label: `A with ${activation}`, expected, got: A };
    }));
  },
  async lModelForward(fn) {
    const { X, parameters } = CASES.lModelForward.inputs;
    const [AL, got] = await fn(Matrix.from(X), matrices(parameters));
    const { AL: expectedAL, caches: expectedCaches } = CASES.lModelForward.expected;
    const values: Expected[] = [{ label: "AL", expected: expectedAL, got: AL }];
    values.push({ label: "caches.length", expected: expectedCaches.length, got: got?.length });
    expectedCaches.forEach((cache: Record<string, Rows>, l: number) => {
      values.push({ label: `caches[${l}].Z`, expected: cache.Z, got: got?.[l]?.Z });
    });
    return values;
  },
  computeCost(fn) {
    return Promise.all(CASES.computeCost.map(
      async (
        { inputs: { AL, Y }, expected }: {
          inputs: Record<string, Rows>;
          expected: { cost: number };
        },
      ) => ({
        label: `cost for Y = ${JSON.stringify(Y)}`,
        expected: expected.cost,
        got: await fn(Matrix.from(AL), Matrix.from(Y)),
      }),
    ));
  },
  async linearBackward(fn) {
    const { dZ, APrev, W, b } = exerciseCase("linearBackward");
    return grads(await fn(dZ, { APrev, W, b }), CASES.linearBackward.expected, "");
  },
  async linearActivationBackward(fn) {
    const values = await Promise.all((["sigmoid", "relu"] as const).map(async (activation) => {
      const { dA, APrev, W, b, Z } = exerciseCase("linearActivationBackward");
      const got = await fn(dA, { linear: { APrev, W, b }, Z }, activation);
      return grads(got, CASES.linearActivationBackward.expected[activation], ` with ${activation}`);
    }));
    return values.flat();
  },
  async lModelBackward(fn) {
    const { AL, Y, caches: list } = CASES.lModelBackward.inputs;
    const got = await fn(Matrix.from(AL), Matrix.from(Y), caches(list));
    return named(got, CASES.lModelBackward.expected, "grads");
  },
  async updateParameters(fn) {
    const { parameters, grads, learningRate } = CASES.updateParameters.inputs;
    const got = await fn(matrices(parameters), matrices(grads), learningRate);
    return named(got, CASES.updateParameters.expected, "parameters");
  },
  twoLayerModel: (fn) => modelCosts("twoLayerModel", fn),
  lLayerModel: (fn) => modelCosts("lLayerModel", fn),
};

/**
 * The hidden tests of an exercise: runs the learner's function and the
 * library's on random inputs of other shapes than the course's test case
 * (seeded, so every run with the same seed draws the same), prints how many
 * values matched, and throws if any differs. A function that fits the course's
 * one test case by accident does not pass these.
 *
 * @param name the exercise
 * @param fn the learner's function
 * @param say where the lines go (default: `console.log`)
 * @param options `seed`, added to the seeds of the draws: 0 (the default) in the
 *   notebooks; `deno task grade` draws its own, so that the inputs cannot be known
 *   before
 * @returns when every value is within {@link TOLERANCE} of the library's
 * @throws {ExerciseError} naming what differs, as {@link checkExercise}
 * @example
 * ```ts
 * import { checkOnRandomInputs, computeCost, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * await checkOnRandomInputs("computeCost", computeCost, () => {});
 * // A cost that forgets the (1 - y) term is right only when every label is 1.
 * const partial = (AL: Matrix, Y: Matrix) =>
 *   -Y.data.reduce((sum, y, j) => sum + y * Math.log(AL.data[j]), 0) / Y.cols;
 * await assert.rejects(checkOnRandomInputs("computeCost", partial, () => {}), /computeCost/);
 * ```
 */
export async function checkOnRandomInputs<K extends ExerciseName>(
  name: K,
  fn: Exercises[K],
  say: (line: string) => void = console.log,
  { seed = 0 }: { seed?: number } = {},
): Promise<void> {
  await _outputsFirst(() => _checkOnRandomInputs(name, fn, say, seed));
}

async function _checkOnRandomInputs<K extends ExerciseName>(
  name: K,
  fn: Exercises[K],
  say: (line: string) => void,
  seed: number,
): Promise<void> {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 31) {
    throw new RangeError(`seed must be an integer from 0 to 2^31, not ${seed}`);
  }
  const run = async (f: unknown) => await RANDOM[name](f as never, seed);
  const got = await _learners(name, fn, () => run(fn), " (hidden tests, random inputs)");
  const expected = await run(LIBRARY[name]);
  for (const [label, value] of Object.entries(expected)) {
    const difference = differs(label, rowsOf(value), got?.[label]);
    if (difference !== undefined) {
      const hint = mistakeHint(rowsOf(value), got?.[label]);
      throw new ExerciseError(
        `${name}: ${difference}${hint ? `. Hint: ${hint}` : ""} (hidden tests, random inputs)`,
      );
    }
  }
  const n = Object.keys(expected).length;
  say(`✔ ${name}: hidden tests passed (${count(n, "value")} on random inputs the library's)`);
}

/**
 * The learner's function while it works, else the library's: when the learner's
 * throws "not implemented" (the student edition's unsolved exercises), says so
 * once and calls the library's instead, so that the cells after an exercise
 * still run. Any other error is the learner's to see.
 *
 * @param name the exercise
 * @param fn the learner's function
 * @param say where the line goes (default: `console.log`)
 * @returns a function of the same signature
 * @example
 * ```ts
 * import { computeCost, Matrix, orLibrary } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const unsolved = (_AL: Matrix, _Y: Matrix): number => {
 *   throw new Error("not implemented");
 * };
 * const said: string[] = [];
 * const cost = orLibrary("computeCost", unsolved, (line) => said.push(line));
 * const AL = Matrix.from([[0.5]]), Y = Matrix.from([[1]]);
 * assert.equal(cost(AL, Y), computeCost(AL, Y));
 * assert.match(said[0], /computeCost is not finished/);
 * ```
 */
export function orLibrary<K extends ExerciseName>(
  name: K,
  fn: Exercises[K],
  say: (line: string) => void = console.log,
): Exercises[K] {
  let told = false;
  const library = (args: unknown[], error: unknown) => {
    if (!(error instanceof Error && /not implemented/.test(error.message))) throw error;
    if (!told) say(`Your ${name} is not finished (not implemented): using the library's.`);
    told = true;
    return (LIBRARY[name] as (...a: unknown[]) => unknown)(...args);
  };
  return ((...args: unknown[]) => {
    try {
      const result = (fn as (...a: unknown[]) => unknown)(...args);
      return result instanceof Promise ? result.catch((e) => library(args, e)) : result;
    } catch (error) {
      return library(args, error);
    }
  }) as Exercises[K];
}

/**
 * Runs a check, and when it fails, first waits until what it printed has gone out.
 * In the Deno kernel a cell that throws ends without the flush every other cell
 * gets (`kernel.ts`), so the lines of what was expected and what came could reach
 * Jupyter after the error, when nothing listens any more, and be lost.
 */
async function _outputsFirst(check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    await flushOutputs();
    throw error;
  }
}

/**
 * Runs a check of the learner's `fn`: first that it is a function, then `check`,
 * turning what the learner's code throws into an {@link ExerciseError} that names it.
 */
async function _learners<T>(
  name: ExerciseName,
  fn: unknown,
  check: () => T | Promise<T>,
  suffix = "",
): Promise<T> {
  if (typeof fn !== "function") {
    throw new ExerciseError(`${name}: expected a function, got ${typeof fn}`);
  }
  try {
    return await check();
  } catch (error) {
    if (error instanceof ExerciseError) throw error;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ExerciseError(`${name} threw ${what}${suffix}`);
  }
}

/** "1 value matches", "3 values match". */
function count(n: number, noun: string): string {
  return n === 1 ? `1 ${noun} matches` : `${n} ${noun}s match`;
}

/** A value to compare: matrices as rows, the rest as they are. */
function rowsOf(value: unknown): Expected["expected"] {
  return value instanceof Matrix ? value.toArray() : value as number | number[];
}

/** Random matrices from a seeded generator: `randn` entries, or `rand` in (lo, hi). */
function draw(seed: number) {
  const rng = new RandomState(seed);
  return {
    randn: (rows: number, cols: number) => rng.randn(rows, cols),
    uniform: (rows: number, cols: number, lo: number, hi: number) => {
      const M = new Matrix(rows, cols);
      for (let i = 0; i < M.data.length; i++) M.data[i] = lo + (hi - lo) * rng.random();
      return M;
    },
    labels: (m: number) => {
      const Y = new Matrix(1, m);
      for (let j = 0; j < m; j++) Y.data[j] = j % 3 === 0 ? 1 : rng.random() < 0.5 ? 1 : 0;
      return Y;
    },
  };
}

/** A layer's cache of random values: APrev (nPrev, m), W (n, nPrev), b (n, 1), Z (n, m). */
function randomCache(r: ReturnType<typeof draw>, nPrev: number, n: number, m: number): LayerCache {
  return {
    linear: { APrev: r.randn(nPrev, m), W: r.randn(n, nPrev), b: r.randn(n, 1) },
    Z: r.randn(n, m),
  };
}

/**
 * What each exercise's function gives on random inputs: the values to compare, by
 * name. `salt` is added to every seed (0 in the notebooks; grading draws its own).
 */
const RANDOM: {
  [K in ExerciseName]: (
    fn: Exercises[K],
    salt: number,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
} = {
  async subtract(fn, salt) {
    const r = draw(9 + salt);
    const A = r.randn(4, 3), B = r.randn(4, 3), s = r.randn(1, 1).data[0];
    return { "A - B": await fn(A, B), "A - s": await fn(A, s), "B - A": await fn(B, A) };
  },
  async addColumn(fn, salt) {
    const r = draw(10 + salt);
    return {
      "A + b": await fn(r.randn(5, 3), r.randn(5, 1)),
      "a row": await fn(r.randn(1, 4), r.randn(1, 1)),
    };
  },
  initializeParameters: async (fn, salt) => ({ ...(await fn(6, 4, 2, { seed: 3 + salt })) }),
  initializeParametersDeep: async (fn, salt) => ({
    ...(await fn([6, 5, 3, 1], { seed: 2 + salt })),
  }),
  async linearForward(fn, salt) {
    const r = draw(11 + salt);
    const [Z] = await fn(r.randn(4, 5), r.randn(3, 4), r.randn(3, 1));
    return { Z };
  },
  async linearActivationForward(fn, salt) {
    const out: Record<string, unknown> = {};
    for (const activation of ["sigmoid", "relu"] as const) {
      const r = draw(12 + salt);
      const [A, cache] = await fn(r.randn(4, 6), r.randn(3, 4), r.randn(3, 1), activation);
      out[`A with ${activation}`] = A;
      out[`cache.Z with ${activation}`] = cache?.Z;
    }
    return out;
  },
  async lModelForward(fn, salt) {
    const r = draw(13 + salt);
    const parameters = initializeParametersDeep([4, 5, 3, 1], { seed: 13 + salt });
    for (const name of ["b1", "b2", "b3"]) parameters[name] = r.randn(parameters[name].rows, 1);
    const [AL, caches] = await fn(r.randn(4, 6), parameters);
    return { AL, "caches.length": caches?.length, "caches[1].Z": caches?.[1]?.Z };
  },
  async computeCost(fn, salt) {
    const r = draw(14 + salt);
    return { cost: await fn(r.uniform(1, 9, 0.05, 0.95), r.labels(9)) };
  },
  async linearBackward(fn, salt) {
    const r = draw(15 + salt);
    const dZ = r.randn(3, 7), cache = { APrev: r.randn(4, 7), W: r.randn(3, 4), b: r.randn(3, 1) };
    const [dAPrev, dW, db] = await fn(dZ, cache);
    const [skipped] = await fn(dZ, cache, { dAPrev: false });
    return { dAPrev, dW, db, "dAPrev skipped": skipped === undefined ? 1 : 0 };
  },
  async linearActivationBackward(fn, salt) {
    const out: Record<string, unknown> = {};
    for (const activation of ["sigmoid", "relu"] as const) {
      const r = draw(16 + salt);
      const dA = r.randn(3, 5), cache = randomCache(r, 4, 3, 5);
      const [dAPrev, dW, db] = await fn(dA, cache, activation);
      const [skipped] = (await fn(dA, cache, activation, { dAPrev: false })) ?? [];
      Object.assign(out, {
        [`dAPrev with ${activation}`]: dAPrev,
        [`dW with ${activation}`]: dW,
        [`db with ${activation}`]: db,
        [`dAPrev skipped with ${activation}`]: skipped === undefined ? 1 : 0,
      });
    }
    return out;
  },
  async lModelBackward(fn, salt) {
    const r = draw(17 + salt);
    const caches = [randomCache(r, 5, 4, 6), randomCache(r, 4, 3, 6), randomCache(r, 3, 1, 6)];
    const grads = await fn(r.uniform(1, 6, 0.05, 0.95), r.labels(6), caches);
    return { ...grads, "number of gradients": Object.keys(grads ?? {}).length };
  },
  async updateParameters(fn, salt) {
    const r = draw(18 + salt);
    const parameters = {
      W1: r.randn(3, 4),
      b1: r.randn(3, 1),
      W2: r.randn(1, 3),
      b2: r.randn(1, 1),
    };
    const grads = {
      dW1: r.randn(3, 4),
      db1: r.randn(3, 1),
      dW2: r.randn(1, 3),
      db2: r.randn(1, 1),
    };
    return { ...(await fn(parameters, grads, 0.05)) };
  },
  twoLayerModel: (fn, salt) => randomRun(fn, [5, 4, 1], salt),
  lLayerModel: (fn, salt) => randomRun(fn, [5, 4, 3, 1], salt),
};

/** Trains 6 iterations on random examples; the costs and parameters to compare. */
async function randomRun(fn: typeof lLayerModel, layersDims: number[], salt: number) {
  const r = draw(19 + salt);
  const X = r.uniform(layersDims[0], 12, 0, 1), Y = r.labels(12);
  const iterations: number[] = [];
  let given: unknown;
  const result = await fn(X, Y, layersDims, {
    learningRate: 0.1,
    numIterations: 6,
    seed: 4 + salt,
    onIteration: (_i, cost, parameters) => {
      iterations.push(cost);
      given = parameters;
    },
  });
  const last = Object.entries(given ?? {}).map(([k, v]) => [`${k} given to onIteration`, v]);
  return {
    costs: result?.costs,
    "costs given to onIteration": iterations,
    ...result?.parameters,
    ...Object.fromEntries(last),
  };
}

/** Compares every entry of a record of matrices, by name (`parameters.W1`, `grads.dW1`, ...). */
function named(got: unknown, expected: Record<string, Rows>, what: string): Expected[] {
  return Object.entries(expected).map(([key, rows]) => ({
    label: `${what}.${key}`,
    expected: rows,
    got: (got as Record<string, unknown> | undefined)?.[key],
  }));
}

/** Compares `[dAPrev, dW, db]` with the expected three. */
function grads(got: unknown, expected: Record<string, Rows>, suffix: string): Expected[] {
  const list = Array.isArray(got) ? got : [];
  return ["dAPrev", "dW", "db"].map((key, i) => ({
    label: `${key}${suffix}`,
    expected: expected[key],
    got: list[i],
  }));
}

/** Trains a few iterations on the course's training set and compares the costs. */
async function modelCosts(
  name: "twoLayerModel" | "lLayerModel",
  fn: typeof twoLayerModel,
): Promise<Expected[]> {
  const { layersDims, learningRate, numIterations } = CASES[name].inputs;
  const dataDir = new URL("../data", import.meta.url).pathname;
  const data = await loadDataset({ dataDir });
  if (data.source !== "course") {
    throw new ExerciseError(`${name}: the course's data files are missing from ${dataDir}`);
  }
  const X = flatten(data.train), Y = labelsRow(data.train);
  const result = await fn(X, Y, layersDims, { learningRate, numIterations });
  return [{
    label: `costs of the first ${numIterations} iterations`,
    expected: CASES[name].expected.costs,
    got: result?.costs,
  }];
}

/** Whether `got` differs from `expected`, said in a phrase; undefined if it does not. */
function differs(label: string, expected: Expected["expected"], got: unknown): string | undefined {
  const close = (a: number, e: number) =>
    Math.abs(a - e) <= TOLERANCE.rtol * Math.abs(e) + TOLERANCE.atol;
  if (typeof expected === "number") {
    if (typeof got !== "number") return `${label} should be a number, got ${describe(got)}`;
    return close(got, expected) ? undefined : `${label} differs: expected ${expected}, got ${got}`;
  }
  if (!isRows(expected)) {
    if (!Array.isArray(got)) return `${label} should be a list of numbers, got ${describe(got)}`;
    if (got.length !== expected.length) {
      return `${label}: length mismatch, expected ${expected.length} values, got ${got.length}`;
    }
    const i = expected.findIndex((e, i) => !close(got[i], e));
    return i < 0 ? undefined : `${label}[${i}] differs: expected ${expected[i]}, got ${got[i]}`;
  }
  if (!(got instanceof Matrix)) return `${label} should be a Matrix, got ${describe(got)}`;
  const shape = `(${expected.length}, ${expected[0].length})`;
  if (shapeOf(got) !== shape) {
    return `shape mismatch: ${label} is ${shapeOf(got)}, expected ${shape}`;
  }
  const wrong: [number, number][] = [];
  expected.forEach((row, i) =>
    row.forEach((e, j) => {
      if (!close(got.get(i, j), e)) wrong.push([i, j]);
    })
  );
  if (wrong.length === 0) return undefined;
  const [i, j] = wrong[0];
  return `${label}[${i}, ${j}] differs: expected ${expected[i][j]}, got ${got.get(i, j)} ` +
    `(${wrong.length} of ${got.data.length} entries differ)`;
}

function describe(value: unknown): string {
  if (value instanceof Matrix) return `a Matrix ${shapeOf(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? "null" : typeof value === "object" ? "an object" : String(value);
}

/** A value as the course prints it: 8 decimals, rows in brackets. */
function show(value: unknown): string {
  const n = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(8));
  if (typeof value === "number") return n(value);
  if (value instanceof Matrix) value = value.toArray();
  if (isRows(value)) return `[${value.map((row) => `[${row.map(n).join(", ")}]`).join(", ")}]`;
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) {
    return `[${value.map(n).join(", ")}]`;
  }
  return describe(value);
}
