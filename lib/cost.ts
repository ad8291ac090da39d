/**
 * The binary cross-entropy cost, which training drives down.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import { log } from "./math.ts";
import { Matrix, shapeOf } from "./matrix.ts";

/**
 * Binary cross-entropy averaged over the examples:
 * `J = -(1/m) Σ (y log(a) + (1 - y) log(1 - a))`, as the course's `compute_cost`
 * (with the library's `log`, the same on every engine: see `lib/math.ts`).
 *
 * @param AL predicted probabilities, shape (1, m)
 * @param Y true labels 0 or 1, shape (1, m)
 * @returns the cost, a number (infinite if a prediction is exactly 0 or 1 and wrong)
 * @throws {TypeError} if the shapes differ or are not (1, m)
 * @example
 * ```ts
 * import { computeCost, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const AL = Matrix.from([[0.8, 0.9, 0.4]]);
 * const Y = Matrix.from([[1, 1, 0]]);
 * const expected = -(Math.log(0.8) + Math.log(0.9) + Math.log(0.6)) / 3; // 0.2797765635793422
 * assert.ok(Math.abs(computeCost(AL, Y) - expected) < 1e-15);
 * ```
 */
export function computeCost(AL: Matrix, Y: Matrix): number {
  if (AL.rows !== 1 || Y.rows !== 1 || AL.cols !== Y.cols) {
    throw new TypeError(
      `computeCost: AL ${shapeOf(AL)} and Y ${shapeOf(Y)} must both be (1, m) with the same m`,
    );
  }
  const m = Y.cols;
  let yLogA = 0, notYLogNotA = 0;
  for (let j = 0; j < m; j++) {
    yLogA += Y.data[j] * log(AL.data[j]);
    notYLogNotA += (1 - Y.data[j]) * log(1 - AL.data[j]);
  }
  return (1 / m) * (-yLogA - notYLogNotA);
}
