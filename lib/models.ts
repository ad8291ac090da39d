/**
 * The two models of the course, trained by gradient descent, and prediction.
 *
 * Each model is the course's loop written out: initialise the parameters, then
 * for each iteration: forward propagation, the cost, backward propagation, one
 * step of gradient descent. Where the matrix products run (the fast backend or
 * the plain loops) is the backend's business (`backend.ts`), not the models'.
 *
 * Taught in `notebooks/03_two_layer_model.ipynb` and `notebooks/04_l_layer_model.ipynb`.
 *
 * @module
 */

import { costGradient, linearActivationBackward, lModelBackward } from "./backward.ts";
import { computeCost } from "./cost.ts";
import { linearActivationForward, lModelForward } from "./forward.ts";
import {
  initializeParameters,
  initializeParametersDeep,
  type Parameters,
} from "./initialization.ts";
import { OptionError } from "./errors.ts";
import { Matrix, shapeOf } from "./matrix.ts";
import { updateParameters } from "./update.ts";

/** Options of {@link twoLayerModel} and {@link lLayerModel}, with the course's defaults. */
export interface ModelOptions {
  /** Step size of gradient descent. Default 0.0075. */
  learningRate?: number;
  /** Number of gradient-descent steps. Default 3000. */
  numIterations?: number;
  /** Seed of the initial weights. Default 1, as in the course. */
  seed?: number;
  /**
   * Called after each iteration with its cost, as the course's `print_cost`, and
   * the parameters after its update: to print the cost every 100 iterations, show
   * progress, or measure the accuracy along the way. If it returns a promise, the
   * model waits for it (so a notebook's display can update).
   */
  onIteration?: (iteration: number, cost: number, parameters: Parameters) => unknown;
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
 * @param options learning rate, iterations, seed and a callback after each iteration
 * @returns the trained parameters and the cost of every iteration
 * @throws {OptionError} for a bad option (see {@link checkExamples} for `layersDims`);
 *   {TypeError} if `Y` does not fit `X`; {RangeError} for a label other than 0 or 1, or a
 *   cost that becomes NaN or infinite
 * @example
 * ```ts
 * import { Matrix, twoLayerModel } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const { costs } = await twoLayerModel(X, Y, [1, 4, 1], { learningRate: 0.5, numIterations: 500 });
 * assert.ok(costs[499] < costs[0]);
 * ```
 */
export async function twoLayerModel(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions = {},
): Promise<ModelResult> {
  const { learningRate = 0.0075, numIterations = 3000, onIteration } = options;
  if (layersDims.length !== 3) {
    const rule = "must have 3 sizes [nX, nH, nY] for the two-layer model";
    throw new OptionError(
      "layersDims",
      rule,
      `Cannot train as layersDims ${rule}: [${layersDims}]`,
    );
  }
  const [nX, nH, nY] = layersDims;
  let parameters = initializeParameters(nX, nH, nY, options);
  _checkTraining(X, Y, layersDims, learningRate, numIterations);
  const costs: number[] = [];
  for (let i = 0; i < numIterations; i++) {
    const { W1, b1, W2, b2 } = parameters;
    // Forward propagation: LINEAR -> RELU -> LINEAR -> SIGMOID.
    const [A1, cache1] = linearActivationForward(X, W1, b1, "relu");
    const [A2, cache2] = linearActivationForward(A1, W2, b2, "sigmoid");
    const cost = computeCost(A2, Y);
    if (!Number.isFinite(cost)) throw _diverged(i, cost, learningRate);
    // Backward propagation, from dA2 = -(Y / A2 - (1 - Y) / (1 - A2)).
    const [dA1, dW2, db2] = linearActivationBackward(costGradient(A2, Y), cache2, "sigmoid");
    const [, dW1, db1] = linearActivationBackward(dA1!, cache1, "relu", { dAPrev: false });
    parameters = updateParameters(parameters, { dW1, db1, dW2, db2 }, learningRate);
    costs.push(cost);
    await onIteration?.(i, cost, parameters);
  }
  return { parameters, costs };
}

/**
 * The L-layer network [LINEAR->RELU] * (L-1) -> LINEAR->SIGMOID, trained by
 * gradient descent, as the course's `L_layer_model`.
 *
 * @param X inputs, shape (layersDims[0], m)
 * @param Y labels 0 or 1, shape (1, m)
 * @param layersDims sizes of the layers, input first, output 1: e.g. [12288, 20, 7, 5, 1]
 * @param options learning rate, iterations, seed and a callback after each iteration
 * @returns the trained parameters and the cost of every iteration
 * @throws {OptionError} for a bad option (see {@link checkExamples} for `layersDims`);
 *   {TypeError} if `Y` does not fit `X`; {RangeError} for a label other than 0 or 1, or a
 *   cost that becomes NaN or infinite
 * @example
 * ```ts
 * import { lLayerModel, Matrix, predict } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3], [1, 1, 0, 0]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const { parameters } = await lLayerModel(X, Y, [2, 3, 1], {
 *   learningRate: 0.5,
 *   numIterations: 800,
 * });
 * assert.deepEqual(predict(X, parameters).toArray(), [[0, 0, 1, 1]]);
 * ```
 */
export async function lLayerModel(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: ModelOptions = {},
): Promise<ModelResult> {
  const { learningRate = 0.0075, numIterations = 3000, onIteration } = options;
  let parameters = initializeParametersDeep(layersDims, options);
  _checkTraining(X, Y, layersDims, learningRate, numIterations);
  const costs: number[] = [];
  for (let i = 0; i < numIterations; i++) {
    const [AL, caches] = lModelForward(X, parameters);
    const cost = computeCost(AL, Y);
    if (!Number.isFinite(cost)) throw _diverged(i, cost, learningRate);
    const grads = lModelBackward(AL, Y, caches);
    parameters = updateParameters(parameters, grads, learningRate);
    costs.push(cost);
    await onIteration?.(i, cost, parameters);
  }
  return { parameters, costs };
}

/** Checks the examples against the layer sizes, and the two options of a training run. */
function _checkTraining(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  learningRate: number,
  numIterations: number,
): void {
  checkExamples(X, Y, layersDims);
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    const rule = "must be a positive finite number";
    throw new OptionError(
      "learningRate",
      rule,
      `Cannot train as the learning rate ${rule}: learningRate=${learningRate}`,
    );
  }
  if (!Number.isInteger(numIterations) || numIterations < 1) {
    const rule = "must be a positive integer";
    throw new OptionError(
      "numIterations",
      rule,
      `Cannot train as the number of iterations ${rule}: numIterations=${numIterations}`,
    );
  }
}

/** The error of a run whose cost became NaN or infinite. */
function _diverged(iteration: number, cost: number, learningRate: number): RangeError {
  return new RangeError(
    `Training diverged at iteration ${iteration}: the cost is ${cost}; ` +
      `try a smaller learning rate than ${learningRate}`,
  );
}

/**
 * Checks a set of examples against a network's layer sizes: `X` of shape
 * (layersDims[0], m), `Y` of shape (1, m) holding only 0 and 1, and an output layer of size 1.
 *
 * @param X inputs, shape (layersDims[0], m)
 * @param Y labels, shape (1, m)
 * @param layersDims sizes of the layers, input first
 * @throws {OptionError} if `layersDims` does not fit `X` or has an output layer of another size;
 *   {TypeError} if `Y` does not fit `X`; {RangeError} for a label other than 0 or 1
 * @example
 * ```ts
 * import { Matrix } from "@dnn/lib";
 * import { checkExamples } from "./models.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => checkExamples(new Matrix(3, 2), new Matrix(1, 2), [4, 1]), /\(3, 2\)/);
 * ```
 */
export function checkExamples(X: Matrix, Y: Matrix, layersDims: readonly number[]): void {
  if (X.rows !== layersDims[0]) {
    throw new OptionError(
      "layersDims",
      `must start with ${X.rows}, the number of values in one example (a column of X)`,
      `Cannot train as X ${shapeOf(X)} has ${X.rows} features but layersDims[0] is ${
        layersDims[0]
      }`,
    );
  }
  if (layersDims[layersDims.length - 1] !== 1) {
    throw new OptionError(
      "layersDims",
      "must end with 1, the size of the output layer",
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
