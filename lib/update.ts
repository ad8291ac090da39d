/**
 * One step of gradient descent.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import type { Grads } from "./backward.ts";
import { layerCount } from "./forward.ts";
import type { Parameters } from "./initialization.ts";
import { scale, shapeOf, subtract } from "./matrix.ts";

/**
 * Gradient descent: `W = W - learningRate * dW` and `b = b - learningRate * db`
 * for every layer.
 *
 * @param parameters `W1`, `b1`, ..., `WL`, `bL`
 * @param grads `dW1`, `db1`, ..., `dWL`, `dbL` of the same shapes
 * @param learningRate the step size
 * @returns new parameters; the given ones are left unchanged
 * @throws {TypeError} if a gradient is missing or has another shape than its parameter
 * @example
 * ```ts
 * import { Matrix, updateParameters } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const parameters = { W1: Matrix.from([[1, 2]]), b1: Matrix.from([[3]]) };
 * const grads = { dW1: Matrix.from([[10, 20]]), db1: Matrix.from([[30]]) };
 * const updated = updateParameters(parameters, grads, 0.1);
 * assert.deepEqual(updated.W1.toArray(), [[0, 0]]);
 * assert.deepEqual(updated.b1.toArray(), [[0]]);
 * ```
 */
export function updateParameters(
  parameters: Parameters,
  grads: Grads,
  learningRate: number,
): Parameters {
  const updated: Parameters = {};
  for (let l = 1; l <= layerCount(parameters); l++) {
    for (const name of [`W${l}`, `b${l}`]) {
      const P = parameters[name], dP = grads[`d${name}`];
      if (dP === undefined) throw new TypeError(`updateParameters: d${name} is missing`);
      if (dP.rows !== P.rows || dP.cols !== P.cols) {
        throw new TypeError(
          `updateParameters: d${name} ${shapeOf(dP)} must match ${name} ${shapeOf(P)}`,
        );
      }
      updated[name] = subtract(P, scale(dP, learningRate));
    }
  }
  return updated;
}
