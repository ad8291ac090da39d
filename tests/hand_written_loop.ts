/**
 * A training loop a learner writes in a notebook from the library's building
 * blocks, knowing nothing of backends: the benchmark times it beside
 * `lLayerModel`, and a test checks it trains to the same costs, bit for bit.
 *
 * @module
 */

import {
  computeCost,
  initializeParametersDeep,
  lModelBackward,
  lModelForward,
  type Matrix,
  updateParameters,
} from "../lib/mod.ts";

/**
 * The course's `L_layer_model`, written out: initialise, then forward, cost,
 * backward and update, `numIterations` times.
 *
 * @returns the cost of every iteration
 */
export function handWrittenLoop(
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  numIterations: number,
  learningRate = 0.0075,
): number[] {
  let parameters = initializeParametersDeep(layersDims, { seed: 1 });
  const costs: number[] = [];
  for (let i = 0; i < numIterations; i++) {
    const [AL, caches] = lModelForward(X, parameters);
    costs.push(computeCost(AL, Y));
    const grads = lModelBackward(AL, Y, caches);
    parameters = updateParameters(parameters, grads, learningRate);
  }
  return costs;
}
