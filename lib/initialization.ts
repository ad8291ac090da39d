/**
 * Initial weights and biases, as the course makes them: Gaussian weights from a
 * generator seeded with 1 (so our runs match NumPy's), biases zero.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import { OptionError } from "./errors.ts";
import { divide, Matrix, scale } from "./matrix.ts";
import { RandomState } from "./random.ts";

/**
 * A network's weights and biases by the course's names: `W1`, `b1`, `W2`, `b2`, ...
 * `W${l}` has shape (layersDims[l], layersDims[l - 1]) and `b${l}` shape (layersDims[l], 1).
 */
export type Parameters = Record<string, Matrix>;

/** Options of the initialisers. */
export interface InitOptions {
  /** Seed of the generator, as `np.random.seed(seed)`. Default 1, as in the course. */
  seed?: number;
}

/**
 * Parameters of the two-layer network LINEAR->RELU->LINEAR->SIGMOID:
 * `W = randn * 0.01`, `b = 0`, as the course's `initialize_parameters`.
 *
 * @param nX size of the input layer
 * @param nH size of the hidden layer
 * @param nY size of the output layer
 * @returns `W1` (nH, nX), `b1` (nH, 1), `W2` (nY, nH), `b2` (nY, 1)
 * @throws {RangeError} if a size is not a positive integer
 * @example
 * ```ts
 * import { initializeParameters } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const p = initializeParameters(3, 2, 1);
 * assert.deepEqual(p.W1.shape, [2, 3]);
 * assert.equal(p.W1.get(0, 0), 0.016243453636632417); // np.random.seed(1); randn() * 0.01
 * assert.deepEqual(p.b2.toArray(), [[0]]);
 * ```
 */
export function initializeParameters(
  nX: number,
  nH: number,
  nY: number,
  { seed = 1 }: InitOptions = {},
): Parameters {
  checkLayersDims([nX, nH, nY]);
  const rng = new RandomState(seed);
  const W1 = scale(rng.randn(nH, nX), 0.01);
  const W2 = scale(rng.randn(nY, nH), 0.01);
  return { W1, b1: new Matrix(nH, 1), W2, b2: new Matrix(nY, 1) };
}

/**
 * Parameters of an L-layer network with sizes `layersDims`:
 * `W${l} = randn / sqrt(layersDims[l - 1])`, `b${l} = 0`, as the course's
 * `initialize_parameters_deep`. Dividing by the square root of the fan-in keeps
 * the activations of deep layers from shrinking or growing layer after layer.
 *
 * @param layersDims sizes of the layers, input first: e.g. [12288, 20, 7, 5, 1]
 * @returns `W1`, `b1`, ..., `WL`, `bL` with L = layersDims.length - 1
 * @throws {RangeError} if there are fewer than 2 sizes or a size is not a positive integer
 * @example
 * ```ts
 * import { initializeParametersDeep } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const p = initializeParametersDeep([5, 4, 3]);
 * assert.deepEqual(Object.keys(p), ["W1", "b1", "W2", "b2"]);
 * assert.deepEqual(p.W2.shape, [3, 4]);
 * assert.equal(p.W1.get(0, 0), 1.6243453636632417 / Math.sqrt(5));
 * ```
 */
export function initializeParametersDeep(
  layersDims: readonly number[],
  { seed = 1 }: InitOptions = {},
): Parameters {
  checkLayersDims(layersDims);
  const rng = new RandomState(seed);
  const parameters: Parameters = {};
  for (let l = 1; l < layersDims.length; l++) {
    const W = rng.randn(layersDims[l], layersDims[l - 1]);
    parameters[`W${l}`] = divide(W, Math.sqrt(layersDims[l - 1]));
    parameters[`b${l}`] = new Matrix(layersDims[l], 1);
  }
  return parameters;
}

/**
 * Parameters of an L-layer network whose weights are scaled another way:
 * `W${l} = randn * weightScale(layersDims[l - 1])`, `b${l} = 0`, drawn as
 * {@link initializeParametersDeep} draws them (layer after layer, from
 * `new RandomState(seed)`). `(n) => 0.01` is the course's _Step by Step_ scaling,
 * `(n) => 1 / Math.sqrt(n)` its _Application_'s (up to the last bit: this
 * multiplies where that divides), and `(n) => Math.sqrt(2 / n)` He's, made for
 * ReLU layers. Notebook 2's experiment trains all three.
 *
 * @param layersDims sizes of the layers, input first: e.g. [12288, 20, 7, 5, 1]
 * @param weightScale the factor of layer l's weights, from its fan-in `layersDims[l - 1]`
 * @returns `W1`, `b1`, ..., `WL`, `bL` with L = layersDims.length - 1
 * @throws {RangeError} if there are fewer than 2 sizes or a size is not a positive integer
 * @example
 * ```ts
 * import { initializeParametersScaled } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const he = initializeParametersScaled([8, 4, 1], (n) => Math.sqrt(2 / n));
 * assert.deepEqual(he.W1.shape, [4, 8]);
 * assert.equal(he.W1.get(0, 0), 1.6243453636632417 * Math.sqrt(2 / 8));
 * ```
 */
export function initializeParametersScaled(
  layersDims: readonly number[],
  weightScale: (fanIn: number) => number,
  { seed = 1 }: InitOptions = {},
): Parameters {
  checkLayersDims(layersDims);
  const rng = new RandomState(seed);
  const parameters: Parameters = {};
  for (let l = 1; l < layersDims.length; l++) {
    const W = rng.randn(layersDims[l], layersDims[l - 1]);
    const factor = weightScale(layersDims[l - 1]);
    for (let i = 0; i < W.data.length; i++) W.data[i] *= factor;
    parameters[`W${l}`] = W;
    parameters[`b${l}`] = new Matrix(layersDims[l], 1);
  }
  return parameters;
}

/**
 * Checks that layer sizes describe a network: at least two sizes, all positive integers.
 *
 * @param layersDims sizes of the layers, input first
 * @throws {OptionError} naming the offending entry
 * @example
 * ```ts
 * import { checkLayersDims } from "./initialization.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => checkLayersDims([12288, 0, 1]), /layersDims\[1\]/);
 * ```
 */
export function checkLayersDims(layersDims: readonly number[]): void {
  if (layersDims.length < 2) {
    const rule = "needs at least 2 sizes (input and output)";
    throw new OptionError(
      "layersDims",
      rule,
      `Cannot build a network as layersDims ${rule}: [${layersDims}]`,
    );
  }
  layersDims.forEach((n, l) => {
    if (!Number.isInteger(n) || n < 1) {
      const rule = "must be positive integers";
      throw new OptionError(
        "layersDims",
        rule,
        `Cannot build a network as layer sizes ${rule}: layersDims[${l}]=${n}`,
      );
    }
  });
}
