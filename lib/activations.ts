/**
 * The two activation functions of the course, each forward step with its
 * backward step right below it, so the chain rule can be checked locally.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import { exp } from "./math.ts";
import { Matrix, shapeOf } from "./matrix.ts";

/**
 * The sigmoid `A = 1 / (1 + e^(-Z))`, applied entry by entry. (`exp` is the
 * library's, the same on every engine: see `lib/math.ts`.)
 *
 * @param Z pre-activations, shape (n, m)
 * @returns `[A, cache]`: the activations, shape (n, m), and `Z` kept for the backward step
 * @example
 * ```ts
 * import { Matrix, sigmoid } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const [A] = sigmoid(Matrix.from([[0, Math.log(3)]]));
 * assert.deepEqual(A.toArray(), [[0.5, 0.75]]);
 * ```
 */
export function sigmoid(Z: Matrix): [A: Matrix, cache: Matrix] {
  const A = new Matrix(Z.rows, Z.cols);
  for (let i = 0; i < A.data.length; i++) A.data[i] = 1 / (1 + exp(-Z.data[i]));
  return [A, Z];
}

/**
 * Backward step of the sigmoid: `dZ = dA * s * (1 - s)` with `s = sigmoid(Z)`,
 * since `s'(z) = s(z) (1 - s(z))`.
 *
 * @param dA gradient of the cost with respect to the activations, shape (n, m)
 * @param cache `Z` from the forward step, shape (n, m)
 * @returns `dZ`, gradient of the cost with respect to `Z`, shape (n, m)
 * @throws {TypeError} if the shapes differ
 * @example
 * ```ts
 * import { Matrix, sigmoidBackward } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * // s(0) = 0.5, so dZ = dA * 0.25
 * assert.deepEqual(sigmoidBackward(Matrix.from([[2]]), Matrix.from([[0]])).toArray(), [[0.5]]);
 * ```
 */
export function sigmoidBackward(dA: Matrix, cache: Matrix): Matrix {
  _checkSame("sigmoidBackward", dA, cache);
  const dZ = new Matrix(dA.rows, dA.cols);
  for (let i = 0; i < dZ.data.length; i++) {
    const s = 1 / (1 + exp(-cache.data[i]));
    dZ.data[i] = dA.data[i] * s * (1 - s);
  }
  return dZ;
}

/**
 * The rectified linear unit `A = max(0, Z)`, applied entry by entry.
 *
 * @param Z pre-activations, shape (n, m)
 * @returns `[A, cache]`: the activations, shape (n, m), and `Z` kept for the backward step
 * @example
 * ```ts
 * import { Matrix, relu } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const [A] = relu(Matrix.from([[-2, 0, 3]]));
 * assert.deepEqual(A.toArray(), [[0, 0, 3]]);
 * ```
 */
export function relu(Z: Matrix): [A: Matrix, cache: Matrix] {
  const A = new Matrix(Z.rows, Z.cols);
  for (let i = 0; i < A.data.length; i++) A.data[i] = Z.data[i] > 0 ? Z.data[i] : 0;
  return [A, Z];
}

/**
 * Backward step of ReLU: `dZ = dA` where `Z > 0`, and `0` where `Z <= 0`
 * (the course's convention for the kink at 0).
 *
 * @param dA gradient of the cost with respect to the activations, shape (n, m)
 * @param cache `Z` from the forward step, shape (n, m)
 * @returns `dZ`, gradient of the cost with respect to `Z`, shape (n, m)
 * @throws {TypeError} if the shapes differ
 * @example
 * ```ts
 * import { Matrix, reluBackward } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const dZ = reluBackward(Matrix.from([[5, 6, 7]]), Matrix.from([[-1, 0, 2]]));
 * assert.deepEqual(dZ.toArray(), [[0, 0, 7]]);
 * ```
 */
export function reluBackward(dA: Matrix, cache: Matrix): Matrix {
  _checkSame("reluBackward", dA, cache);
  const dZ = new Matrix(dA.rows, dA.cols);
  for (let i = 0; i < dZ.data.length; i++) dZ.data[i] = cache.data[i] > 0 ? dA.data[i] : 0;
  return dZ;
}

function _checkSame(name: string, dA: Matrix, Z: Matrix): void {
  if (dA.rows !== Z.rows || dA.cols !== Z.cols) {
    throw new TypeError(`${name}: dA ${shapeOf(dA)} and Z ${shapeOf(Z)}: shapes differ`);
  }
}
