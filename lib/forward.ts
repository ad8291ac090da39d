/**
 * Forward propagation: from the input `X` through every layer to the output
 * `AL`, keeping in caches what the backward pass will need.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import { relu, sigmoid } from "./activations.ts";
import type { Parameters } from "./initialization.ts";
import { addColumn, matmul, Matrix, shapeOf } from "./matrix.ts";

/** The activation of a layer. */
export type Activation = "relu" | "sigmoid";

/** What `linearForward` keeps for `linearBackward`: the course's `(A_prev, W, b)`. */
export interface LinearCache {
  /** Activations of the previous layer, shape (nPrev, m). */
  APrev: Matrix;
  /** Weights, shape (n, nPrev). */
  W: Matrix;
  /** Biases, shape (n, 1). */
  b: Matrix;
}

/** What `linearActivationForward` keeps: the course's `(linear_cache, activation_cache)`. */
export interface LayerCache {
  /** The linear step's cache. */
  linear: LinearCache;
  /** The pre-activations `Z`, shape (n, m): the activation's cache. */
  Z: Matrix;
}

/**
 * The linear part of a layer: `Z = W @ APrev + b`.
 *
 * @param APrev activations of the previous layer (or the input), shape (nPrev, m)
 * @param W weights, shape (n, nPrev)
 * @param b biases, shape (n, 1)
 * @returns `[Z, cache]`: `Z` of shape (n, m), and `{ APrev, W, b }` for the backward step
 * @throws {TypeError} naming the shapes if they do not fit together
 * @example
 * ```ts
 * import { linearForward, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const APrev = Matrix.from([[1, 2], [3, 4]]); // (2, 2): 2 features, 2 examples
 * const W = Matrix.from([[1, -1]]); // (1, 2)
 * const b = Matrix.from([[10]]); // (1, 1)
 * const [Z] = linearForward(APrev, W, b);
 * assert.deepEqual(Z.toArray(), [[8, 8]]); // 1*1 - 1*3 + 10, 1*2 - 1*4 + 10
 * ```
 */
export function linearForward(
  APrev: Matrix,
  W: Matrix,
  b: Matrix,
): [Z: Matrix, cache: LinearCache] {
  if (W.cols !== APrev.rows || b.rows !== W.rows || b.cols !== 1) {
    throw new TypeError(
      `linearForward: W ${shapeOf(W)}, APrev ${shapeOf(APrev)} and b ${shapeOf(b)} do not fit: ` +
        `W must be (n, ${APrev.rows}) and b (${W.rows}, 1)`,
    );
  }
  const Z = addColumn(matmul(W, APrev), b);
  return [Z, { APrev, W, b }];
}

/**
 * A whole layer: the linear step, then the activation, `A = g(W @ APrev + b)`.
 *
 * @param APrev activations of the previous layer, shape (nPrev, m)
 * @param W weights, shape (n, nPrev)
 * @param b biases, shape (n, 1)
 * @param activation `"relu"` or `"sigmoid"`
 * @returns `[A, cache]`: `A` of shape (n, m), and the linear cache with `Z`
 * @throws {TypeError} naming the shapes if they do not fit together
 * @example
 * ```ts
 * import { linearActivationForward, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[1, -1]]);
 * const [A, cache] = linearActivationForward(X, Matrix.from([[2]]), Matrix.from([[0]]), "relu");
 * assert.deepEqual(A.toArray(), [[2, 0]]);
 * assert.deepEqual(cache.Z.toArray(), [[2, -2]]);
 * ```
 */
export function linearActivationForward(
  APrev: Matrix,
  W: Matrix,
  b: Matrix,
  activation: Activation,
): [A: Matrix, cache: LayerCache] {
  const [Z, linear] = linearForward(APrev, W, b);
  const [A] = activation === "sigmoid" ? sigmoid(Z) : relu(Z);
  return [A, { linear, Z }];
}

/**
 * The L-layer network's forward pass: [LINEAR->RELU] * (L-1) -> LINEAR->SIGMOID.
 *
 * @param X input, shape (n0, m): one example per column
 * @param parameters `W1`, `b1`, ..., `WL`, `bL`
 * @returns `[AL, caches]`: the output probabilities, shape (1, m), and one cache per layer
 * @throws {TypeError} naming the shapes if a layer does not fit the one before it
 * @example
 * ```ts
 * import { initializeParametersDeep, lModelForward, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const parameters = initializeParametersDeep([3, 4, 1]);
 * const X = Matrix.from([[1, 2], [3, 4], [5, 6]]); // (3, 2)
 * const [AL, caches] = lModelForward(X, parameters);
 * assert.deepEqual(AL.shape, [1, 2]);
 * assert.equal(caches.length, 2);
 * ```
 */
export function lModelForward(
  X: Matrix,
  parameters: Parameters,
): [AL: Matrix, caches: LayerCache[]] {
  const L = layerCount(parameters);
  const caches: LayerCache[] = [];
  let A = X;
  for (let l = 1; l <= L; l++) {
    const [next, cache] = linearActivationForward(
      A,
      parameters[`W${l}`],
      parameters[`b${l}`],
      l < L ? "relu" : "sigmoid",
    );
    caches.push(cache);
    A = next;
  }
  return [A, caches];
}

/**
 * The number of layers L of a network, counting `W1`, `W2`, ... in its parameters.
 *
 * @param parameters `W1`, `b1`, ..., `WL`, `bL`
 * @returns L
 * @throws {TypeError} if `W1` or a bias is missing
 * @example
 * ```ts
 * import { initializeParametersDeep } from "@dnn/lib";
 * import { layerCount } from "./forward.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(layerCount(initializeParametersDeep([4, 3, 2, 1])), 3);
 * ```
 */
export function layerCount(parameters: Parameters): number {
  let L = 0;
  while (parameters[`W${L + 1}`] !== undefined) {
    if (parameters[`b${L + 1}`] === undefined) {
      throw new TypeError(`Cannot use the parameters as b${L + 1} is missing`);
    }
    L++;
  }
  if (L === 0) throw new TypeError("Cannot use the parameters as W1 is missing");
  return L;
}
