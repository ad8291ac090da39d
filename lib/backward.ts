/**
 * Backward propagation: the gradient of the cost with respect to every weight
 * and bias, by the chain rule, layer by layer from the output back to the input.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import { reluBackward, sigmoidBackward } from "./activations.ts";
import type { Activation, LayerCache, LinearCache } from "./forward.ts";
import {
  divide,
  map,
  matmulTransA,
  matmulTransB,
  Matrix,
  scale,
  scaleInPlace,
  shapeOf,
  subtract,
  sumRows,
} from "./matrix.ts";

/** Gradients by the course's names: `dW1`, `db1`, ..., and `dA1`, ..., `dA${L-1}`. */
export type Grads = Record<string, Matrix>;

/** Options of {@link linearBackward} and {@link linearActivationBackward}. */
export interface BackwardOptions {
  /** Whether to compute `dAPrev` (default true); the first layer does not need it. */
  dAPrev?: boolean;
}

/**
 * Backward step of the linear part `Z = W @ APrev + b`, given `dZ`:
 * `dW = (1/m) dZ @ APrevᵀ`, `db = (1/m) Σ_columns dZ`, `dAPrev = Wᵀ @ dZ`.
 *
 * @param dZ gradient of the cost with respect to `Z`, shape (n, m)
 * @param cache `{ APrev, W, b }` from `linearForward`
 * @param options `dAPrev: false` skips `dAPrev`: the first layer's, the gradient
 *   with respect to the input `X`, is never used, and it is a product as large as
 *   the forward one (12288 x 20 x 209 in the course)
 * @returns `[dAPrev, dW, db]`: shapes (nPrev, m) (`undefined` if skipped),
 *   (n, nPrev) and (n, 1)
 * @throws {TypeError} if `dZ` does not have the shape of `Z`
 * @example
 * ```ts
 * import { linearBackward, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const cache = { APrev: Matrix.from([[1, 2]]), W: Matrix.from([[3]]), b: Matrix.from([[0]]) };
 * const [dAPrev, dW, db] = linearBackward(Matrix.from([[4, 6]]), cache);
 * assert.deepEqual(dW.toArray(), [[8]]); // (4*1 + 6*2) / 2
 * assert.deepEqual(db.toArray(), [[5]]); // (4 + 6) / 2
 * assert.deepEqual(dAPrev?.toArray(), [[12, 18]]); // 3 * [4, 6]
 * ```
 */
export function linearBackward(
  dZ: Matrix,
  cache: LinearCache,
  { dAPrev: wanted = true }: BackwardOptions = {},
): [dAPrev: Matrix | undefined, dW: Matrix, db: Matrix] {
  const { APrev, W } = cache;
  if (dZ.rows !== W.rows || dZ.cols !== APrev.cols) {
    throw new TypeError(
      `linearBackward: dZ ${shapeOf(dZ)} must have the shape of Z, (${W.rows}, ${APrev.cols})`,
    );
  }
  const m = APrev.cols;
  // The product is a new matrix of W's shape, which only this line holds: scaled where it is.
  const dW = scaleInPlace(matmulTransB(dZ, APrev), 1 / m);
  const db = scale(sumRows(dZ), 1 / m);
  const dAPrev = wanted ? matmulTransA(W, dZ) : undefined;
  return [dAPrev, dW, db];
}

/**
 * Backward step of a whole layer: through the activation, then the linear part.
 *
 * @param dA gradient of the cost with respect to the layer's output, shape (n, m)
 * @param cache the layer's cache from `linearActivationForward`
 * @param activation the layer's activation, `"relu"` or `"sigmoid"`
 * @param options `dAPrev: false` skips `dAPrev`, as {@link linearBackward}
 * @returns `[dAPrev, dW, db]`, as {@link linearBackward}
 * @throws {TypeError} if `dA` does not have the shape of the layer's output
 * @example
 * ```ts
 * import { linearActivationBackward, linearActivationForward, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[1, -1]]);
 * const [, cache] = linearActivationForward(X, Matrix.from([[2]]), Matrix.from([[0]]), "relu");
 * const [, dW, db] = linearActivationBackward(Matrix.from([[1, 1]]), cache, "relu");
 * // only the first example has Z > 0: dW = (1 * 1) / 2, db = 1 / 2
 * assert.deepEqual([dW.get(0, 0), db.get(0, 0)], [0.5, 0.5]);
 * ```
 */
export function linearActivationBackward(
  dA: Matrix,
  cache: LayerCache,
  activation: Activation,
  options: BackwardOptions = {},
): [dAPrev: Matrix | undefined, dW: Matrix, db: Matrix] {
  const dZ = activation === "sigmoid" ? sigmoidBackward(dA, cache.Z) : reluBackward(dA, cache.Z);
  return linearBackward(dZ, cache.linear, options);
}

/**
 * The gradient of the cost of the output: `dAL = -(Y / AL - (1 - Y) / (1 - AL))`,
 * the derivative of the cross-entropy with respect to `AL`.
 *
 * @param AL predicted probabilities, shape (1, m)
 * @param Y true labels, shape (1, m)
 * @returns `dAL`, shape (1, m)
 * @throws {TypeError} if the shapes differ
 * @example
 * ```ts
 * import { costGradient, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(costGradient(Matrix.from([[0.5, 0.5]]), Matrix.from([[1, 0]])).toArray(), [[-2, 2]]);
 * ```
 */
export function costGradient(AL: Matrix, Y: Matrix): Matrix {
  if (AL.rows !== Y.rows || AL.cols !== Y.cols) {
    throw new TypeError(`costGradient: AL ${shapeOf(AL)} and Y ${shapeOf(Y)}: shapes differ`);
  }
  const dAL = new Matrix(AL.rows, AL.cols);
  for (let j = 0; j < dAL.data.length; j++) {
    const a = AL.data[j], y = Y.data[j];
    dAL.data[j] = -(y / a - (1 - y) / (1 - a));
  }
  return dAL;
}

/**
 * The L-layer network's backward pass: the sigmoid output layer, then the
 * ReLU layers from L-1 down to 1. The input layer's `dA0` is not computed:
 * nothing uses it.
 *
 * @param AL output of {@link lModelForward}, shape (1, m)
 * @param Y true labels, shape (1, m)
 * @param caches the caches of {@link lModelForward}, one per layer
 * @returns `dW${l}` (n_l, n_{l-1}) and `db${l}` (n_l, 1) for every layer l, and `dA${l}` for 1 <= l < L
 * @throws {TypeError} if the shapes do not fit
 * @example
 * ```ts
 * import { initializeParametersDeep, lModelBackward, lModelForward, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const parameters = initializeParametersDeep([2, 3, 1]);
 * const X = Matrix.from([[1, 2], [3, 4]]), Y = Matrix.from([[1, 0]]);
 * const [AL, caches] = lModelForward(X, parameters);
 * const grads = lModelBackward(AL, Y, caches);
 * assert.deepEqual(Object.keys(grads).sort(), ["dA1", "dW1", "dW2", "db1", "db2"]);
 * assert.deepEqual(grads.dW1.shape, parameters.W1.shape);
 * ```
 */
export function lModelBackward(AL: Matrix, Y: Matrix, caches: readonly LayerCache[]): Grads {
  const L = caches.length;
  const grads: Grads = {};
  // dAL = -(Y / AL - (1 - Y) / (1 - AL)), entry by entry: costGradient(AL, Y).
  const oneMinus = (M: Matrix) => map(M, (v) => 1 - v);
  let dA = scale(subtract(divide(Y, AL), divide(oneMinus(Y), oneMinus(AL))), -1);
  for (let l = L; l >= 1; l--) {
    const [dAPrev, dW, db] = linearActivationBackward(
      dA,
      caches[l - 1],
      l === L ? "sigmoid" : "relu",
      { dAPrev: l > 1 }, // the input X needs no gradient
    );
    grads[`dW${l}`] = dW;
    grads[`db${l}`] = db;
    if (dAPrev !== undefined) {
      grads[`dA${l - 1}`] = dAPrev;
      dA = dAPrev;
    }
  }
  return grads;
}
