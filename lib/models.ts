/**
 * The two models of the course, trained by gradient descent, and prediction.
 *
 * Taught in `notebooks/03_two_layer_model.ipynb` and `notebooks/04_l_layer_model.ipynb`.
 *
 * @module
 */

import { costGradient, type Grads, linearActivationBackward, lModelBackward } from "./backward.ts";
import { computeCost } from "./cost.ts";
import { linearActivationForward, lModelForward } from "./forward.ts";
import {
  checkLayersDims,
  initializeParameters,
  initializeParametersDeep,
  type Parameters,
} from "./initialization.ts";
import { type LiveProgress, liveProgress } from "./display.ts";
import { Matrix, shapeOf, withProductKernels } from "./matrix.ts";
import { computeFor, type ComputeOptions } from "./compute.ts";
import { updateParameters } from "./update.ts";

/**
 * Options of {@link twoLayerModel} and {@link lLayerModel}, with the course's
 * defaults, and where the products run ({@link ComputeOptions}: the fast backend
 * unless `backend: "plain"`).
 */
export interface ModelOptions extends ComputeOptions {
  /** Step size of gradient descent. Default 0.0075. */
  learningRate?: number;
  /** Number of gradient-descent steps. Default 3000. */
  numIterations?: number;
  /** Seed of the initial weights. Default 1, as in the course. */
  seed?: number;
  /** Called after each iteration's cost is computed, e.g. to show progress. */
  onIteration?: (iteration: number, cost: number) => void;
}

/** What a model returns: trained parameters and the cost at every iteration. */
export interface ModelResult {
  /** The trained `W1`, `b1`, ..., `WL`, `bL`. */
  parameters: Parameters;
  /** `costs[i]` is the cost computed in iteration `i`, before its update. */
  costs: number[];
}

/**
 * The two-layer network LINEAR->RELU->LINEAR->SIGMOID, trained by gradient
 * descent, as the course's `two_layer_model`.
 *
 * @param X inputs, shape (nX, m)
 * @param Y labels 0 or 1, shape (1, m)
 * @param layersDims `[nX, nH, nY]`
 * @param options learning rate, iterations, seed and progress callback
 * @returns the trained parameters and the cost history
 * @throws {TypeError} if the shapes do not fit; {RangeError} for a bad option, a label
 *   other than 0 or 1, or a cost that becomes NaN or infinite
 * @example
 * ```ts
 * import { Matrix, twoLayerModel } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const { costs } = twoLayerModel(X, Y, [1, 4, 1], { learningRate: 0.5, numIterations: 500 });
 * assert.ok(costs[499] < costs[0]);
 * ```
 */
export function twoLayerModel(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions = {},
): ModelResult {
  return _runToEnd(twoLayerModelSteps(X, Y, layersDims, options));
}

/**
 * {@link twoLayerModel} one iteration at a time: a generator that yields after
 * each iteration and returns the trained parameters, for {@link trainWithProgress}.
 *
 * @param X inputs, shape (nX, m)
 * @param Y labels 0 or 1, shape (1, m)
 * @param layersDims `[nX, nH, nY]`
 * @param options as {@link twoLayerModel}
 * @returns a generator of the iterations, whose return value is the model's
 * @example
 * ```ts
 * import { Matrix, twoLayerModelSteps } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const steps = twoLayerModelSteps(X, Y, [1, 2, 1], { numIterations: 3 });
 * assert.deepEqual([...steps].map((step) => step.iteration), [0, 1, 2]);
 * ```
 */
export function* twoLayerModelSteps(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions = {},
): Generator<TrainingStep, ModelResult> {
  if (layersDims.length !== 3) {
    throw new RangeError(
      `Cannot build a two-layer model as layersDims must have 3 sizes [nX, nH, nY]: [${layersDims}]`,
    );
  }
  const [nX, nH, nY] = layersDims;
  checkLayersDims(layersDims);
  const initial = initializeParameters(nX, nH, nY, options);
  return yield* _gradientDescent(X, Y, layersDims, options, initial, (p, X) => {
    const [A1, cache1] = linearActivationForward(X, p.W1, p.b1, "relu");
    const [A2, cache2] = linearActivationForward(A1, p.W2, p.b2, "sigmoid");
    const cost = computeCost(A2, Y);
    const [dA1, dW2, db2] = linearActivationBackward(costGradient(A2, Y), cache2, "sigmoid");
    const [, dW1, db1] = linearActivationBackward(dA1!, cache1, "relu", false);
    return [cost, { dW1, db1, dW2, db2 }];
  });
}

/**
 * The L-layer network [LINEAR->RELU] * (L-1) -> LINEAR->SIGMOID, trained by
 * gradient descent, as the course's `L_layer_model`.
 *
 * @param X inputs, shape (layersDims[0], m)
 * @param Y labels 0 or 1, shape (1, m)
 * @param layersDims sizes of the layers, input first, output 1: e.g. [12288, 20, 7, 5, 1]
 * @param options learning rate, iterations, seed and progress callback
 * @returns the trained parameters and the cost history
 * @throws {TypeError} if the shapes do not fit; {RangeError} for a bad option, a label
 *   other than 0 or 1, or a cost that becomes NaN or infinite
 * @example
 * ```ts
 * import { lLayerModel, Matrix, predict } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3], [1, 1, 0, 0]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const { parameters } = lLayerModel(X, Y, [2, 3, 1], { learningRate: 0.5, numIterations: 800 });
 * assert.deepEqual(predict(X, parameters).toArray(), [[0, 0, 1, 1]]);
 * ```
 */
export function lLayerModel(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions = {},
): ModelResult {
  return _runToEnd(lLayerModelSteps(X, Y, layersDims, options));
}

/**
 * {@link lLayerModel} one iteration at a time: a generator that yields after
 * each iteration and returns the trained parameters, for {@link trainWithProgress}.
 *
 * @param X inputs, shape (layersDims[0], m)
 * @param Y labels 0 or 1, shape (1, m)
 * @param layersDims sizes of the layers, input first, output 1
 * @param options as {@link lLayerModel}
 * @returns a generator of the iterations, whose return value is the model's
 * @example
 * ```ts
 * import { lLayerModelSteps, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const steps = lLayerModelSteps(X, Y, [1, 2, 1], { numIterations: 2 });
 * const iterations: number[] = [];
 * let next = steps.next();
 * for (; !next.done; next = steps.next()) iterations.push(next.value.iteration);
 * assert.deepEqual(iterations, [0, 1]);
 * assert.equal(next.value.costs.length, 2);
 * ```
 */
export function* lLayerModelSteps(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions = {},
): Generator<TrainingStep, ModelResult> {
  const initial = initializeParametersDeep(layersDims, options);
  return yield* _gradientDescent(X, Y, layersDims, options, initial, (p, X) => {
    const [AL, caches] = lModelForward(X, p);
    return [computeCost(AL, Y), lModelBackward(AL, Y, caches)];
  });
}

/** One iteration of training, as the models' generators yield it. */
export interface TrainingStep {
  /** The iteration, from 0. */
  iteration: number;
  /** The cost computed in this iteration, before its update. */
  cost: number;
  /** The number of iterations of the run. */
  total: number;
}

/** Runs a model's generator to its end, and returns its result. */
function _runToEnd(steps: Generator<TrainingStep, ModelResult>): ModelResult {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Trains a model while showing its progress in the notebook (an updating line of
 * iteration, cost and time), instead of a silent wait. Outside the kernel it
 * trains without showing anything.
 *
 * @param steps a model's generator: {@link lLayerModelSteps} or {@link twoLayerModelSteps}
 * @param label shown before the progress line
 * @returns the model's result, as {@link lLayerModel} returns it
 * @example
 * ```ts
 * import { lLayerModelSteps, Matrix, trainWithProgress } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const { costs } = await trainWithProgress(lLayerModelSteps(X, Y, [1, 2, 1], { numIterations: 5 }));
 * assert.equal(costs.length, 5);
 * ```
 */
export async function trainWithProgress(
  steps: Generator<TrainingStep, ModelResult>,
  label = "Training",
): Promise<ModelResult> {
  let progress: LiveProgress | undefined;
  for (;;) {
    const next = steps.next();
    if (next.done) {
      await progress?.done();
      return next.value;
    }
    progress ??= liveProgress(next.value.total, { label });
    await progress.update(next.value.iteration, next.value.cost);
  }
}

/**
 * Checks the inputs, then runs gradient descent with the model's own forward
 * and backward step, its products on the backend the options choose (with `X`
 * kept in the fast backend's memory for the whole run).
 */
function* _gradientDescent(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions,
  initial: Parameters,
  step: (parameters: Parameters, X: Matrix) => [cost: number, grads: Grads],
): Generator<TrainingStep, ModelResult> {
  const { learningRate = 0.0075, numIterations = 3000, onIteration } = options;
  checkLayersDims(layersDims);
  checkExamples(X, Y, layersDims);
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new RangeError(
      `Cannot train as the learning rate must be a positive finite number: learningRate=${learningRate}`,
    );
  }
  if (!Number.isInteger(numIterations) || numIterations < 1) {
    throw new RangeError(
      `Cannot train as the number of iterations must be a positive integer: numIterations=${numIterations}`,
    );
  }
  const compute = computeFor(options);
  const costs: number[] = [];
  try {
    // On the fast backend, X and the parameters live in its shared memory for the
    // whole run, and each step updates the parameters there, in place; each step's
    // products (Z, dW, dA) are kept there too until the step ends.
    const placedX = compute.place(X, { constant: true });
    const parameters: Parameters = {};
    for (const [name, P] of Object.entries(initial)) parameters[name] = compute.place(P);
    for (let i = 0; i < numIterations; i++) {
      const [cost, grads] = withProductKernels(compute.kernels, () => step(parameters, placedX));
      if (!Number.isFinite(cost)) {
        throw new RangeError(
          `Training diverged at iteration ${i}: the cost is ${cost}; ` +
            `try a smaller learning rate than ${learningRate}`,
        );
      }
      costs.push(cost);
      onIteration?.(i, cost);
      yield { iteration: i, cost, total: numIterations };
      updateParameters(parameters, grads, learningRate, parameters);
      compute.endStep(); // the step's products are used up
    }
    const trained: Parameters = {};
    for (const [name, P] of Object.entries(parameters)) {
      trained[name] = new Matrix(P.rows, P.cols, P.data.slice());
    }
    return { parameters: trained, costs };
  } finally {
    compute.release();
  }
}

/**
 * Checks a set of examples against a network's layer sizes: `X` of shape
 * (layersDims[0], m), `Y` of shape (1, m) holding only 0 and 1, and an output layer of size 1.
 *
 * @param X inputs, shape (layersDims[0], m)
 * @param Y labels, shape (1, m)
 * @param layersDims sizes of the layers, input first
 * @throws {TypeError} naming the shapes if they do not fit; {RangeError} for a label other than 0 or 1
 * @example
 * ```ts
 * import { checkExamples, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => checkExamples(new Matrix(3, 2), new Matrix(1, 2), [4, 1]), /\(3, 2\)/);
 * ```
 */
export function checkExamples(X: Matrix, Y: Matrix, layersDims: readonly number[]): void {
  if (X.rows !== layersDims[0]) {
    throw new TypeError(
      `Cannot train as X ${shapeOf(X)} has ${X.rows} features but layersDims[0] is ${
        layersDims[0]
      }`,
    );
  }
  if (layersDims[layersDims.length - 1] !== 1) {
    throw new RangeError(
      `Cannot train as the output layer must have size 1 for a yes/no label: layersDims=[${layersDims}]`,
    );
  }
  if (Y.rows !== 1 || Y.cols !== X.cols) {
    throw new TypeError(
      `Cannot train as Y ${shapeOf(Y)} must be (1, ${X.cols}) to match X ${shapeOf(X)}`,
    );
  }
  const bad = Y.data.findIndex((y) => y !== 0 && y !== 1);
  if (bad >= 0) {
    throw new RangeError(`Cannot train as labels must be 0 or 1: Y[0, ${bad}]=${Y.data[bad]}`);
  }
}

/**
 * Predicts labels: 1 where the network's output probability is above 0.5, else 0.
 *
 * @param X inputs, shape (n0, m)
 * @param parameters a trained network's `W1`, `b1`, ..., `WL`, `bL`
 * @returns the predicted labels, shape (1, m)
 * @throws {TypeError} if `X` does not fit the network
 * @example
 * ```ts
 * import { Matrix, predict } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const parameters = { W1: Matrix.from([[1]]), b1: Matrix.from([[0]]) }; // sigmoid(x)
 * assert.deepEqual(predict(Matrix.from([[-1, 0, 2]]), parameters).toArray(), [[0, 0, 1]]);
 * ```
 */
export function predict(X: Matrix, parameters: Parameters): Matrix {
  const [AL] = lModelForward(X, parameters);
  const p = new Matrix(1, AL.cols);
  for (let j = 0; j < AL.cols; j++) p.data[j] = AL.data[j] > 0.5 ? 1 : 0;
  return p;
}

/**
 * The fraction of predictions equal to the labels, as the course's `np.sum(p == y) / m`.
 *
 * @param p predicted labels, shape (1, m)
 * @param Y true labels, shape (1, m)
 * @returns a number between 0 and 1
 * @throws {TypeError} if the shapes differ
 * @example
 * ```ts
 * import { accuracy, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.equal(accuracy(Matrix.from([[1, 0, 1, 1]]), Matrix.from([[1, 0, 0, 1]])), 0.75);
 * ```
 */
export function accuracy(p: Matrix, Y: Matrix): number {
  if (p.rows !== Y.rows || p.cols !== Y.cols) {
    throw new TypeError(`accuracy: p ${shapeOf(p)} and Y ${shapeOf(Y)}: shapes differ`);
  }
  let right = 0;
  for (let j = 0; j < p.data.length; j++) if (p.data[j] === Y.data[j]) right++;
  return right / p.data.length;
}
