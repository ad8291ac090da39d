/**
 * Gradient checking, as in the course: backpropagation's gradients against
 * centred finite differences of the cost, one parameter entry at a time.
 *
 * Used in `notebooks/02_building_blocks.ipynb`, with the learner's functions.
 *
 * @module
 */

import type { Grads } from "./backward.ts";
import type { LayerCache } from "./forward.ts";
import type { Parameters } from "./initialization.ts";
import type { Matrix } from "./matrix.ts";

/** The three functions a gradient check runs: the learner's or the library's. */
export interface GradientCheckFunctions {
  /** `lModelForward`: X (n0, m) -> [AL (1, m), caches]. */
  forward: (X: Matrix, parameters: Parameters) => [Matrix, LayerCache[]];
  /** `computeCost`: AL (1, m), Y (1, m) -> the cost. */
  cost: (AL: Matrix, Y: Matrix) => number;
  /** `lModelBackward`: AL, Y, caches -> dW1, db1, ... */
  backward: (AL: Matrix, Y: Matrix, caches: readonly LayerCache[]) => Grads;
}

/**
 * The course's measure of how far backpropagation's gradients `g` are from the
 * centred differences `(J(θ + ε) - J(θ - ε)) / 2ε` of every parameter entry θ:
 * `‖g - gApprox‖ / (‖g‖ + ‖gApprox‖)`, below 1e-7 when backpropagation is right.
 *
 * @param fns `forward`, `cost` and `backward`
 * @param parameters W1, b1, ..., WL, bL: each entry is moved by ±ε and put back
 * @param X inputs, shape (n0, m)
 * @param Y labels, shape (1, m)
 * @param epsilon ε, default 1e-7 as in the course
 * @returns the relative difference
 * @example
 * ```ts
 * import {
 *   computeCost,
 *   gradientCheck,
 *   initializeParametersDeep,
 *   lModelBackward,
 *   lModelForward,
 *   Matrix,
 *   RandomState,
 *   scale,
 * } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const fns = { forward: lModelForward, cost: computeCost, backward: lModelBackward };
 * const X = new RandomState(1).randn(5, 4), Y = Matrix.from([[1, 0, 1, 0]]);
 * const parameters = initializeParametersDeep([5, 4, 3, 1]);
 * assert.ok(gradientCheck(fns, parameters, X, Y) < 1e-7);
 * // A backward step whose gradients are all 4 times too large is far off.
 * const times4: typeof lModelBackward = (AL, Y, caches) =>
 *   Object.fromEntries(Object.entries(lModelBackward(AL, Y, caches)).map(([k, g]) => [k, scale(g, 4)]));
 * const wrong = { ...fns, backward: times4 };
 * assert.ok(gradientCheck(wrong, parameters, X, Y) > 0.1);
 * ```
 */
export function gradientCheck(
  { forward, cost, backward }: GradientCheckFunctions,
  parameters: Parameters,
  X: Matrix,
  Y: Matrix,
  epsilon = 1e-7,
): number {
  const [AL, caches] = forward(X, parameters);
  const grads = backward(AL, Y, caches);
  for (const name of Object.keys(parameters)) {
    if (grads?.[`d${name}`]?.data?.length !== parameters[name].data.length) {
      throw new TypeError(`gradientCheck: backward gave no d${name} of ${name}'s shape`);
    }
  }
  let diff = 0, norm = 0, normApprox = 0;
  for (const [name, P] of Object.entries(parameters)) {
    for (let i = 0; i < P.data.length; i++) {
      const keep = P.data[i];
      P.data[i] = keep + epsilon;
      const plus = cost(forward(X, parameters)[0], Y);
      P.data[i] = keep - epsilon;
      const minus = cost(forward(X, parameters)[0], Y);
      P.data[i] = keep;
      const approx = (plus - minus) / (2 * epsilon), g = grads[`d${name}`].data[i];
      diff += (g - approx) ** 2, norm += g ** 2, normApprox += approx ** 2;
    }
  }
  return Math.sqrt(diff) / (Math.sqrt(norm) + Math.sqrt(normApprox));
}
