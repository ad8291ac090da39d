/**
 * A deep neural network written by hand, as in the classic cat / non-cat course:
 * matrices, activations, forward and backward propagation, the cost, gradient
 * descent, the two models, the dataset and saved parameters.
 *
 * @example
 * ```ts
 * import { accuracy, flatten, labelsRow, lLayerModel, predict, syntheticDataset } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const data = syntheticDataset();
 * const X = flatten(data.train), Y = labelsRow(data.train); // (12288, 209), (1, 209)
 * const { parameters, costs } = lLayerModel(X, Y, [12288, 7, 1], { numIterations: 30 });
 * assert.ok(costs[29] < costs[0]);
 * const trainAccuracy = accuracy(predict(X, parameters), Y);
 * assert.ok(trainAccuracy >= 0 && trainAccuracy <= 1);
 * ```
 *
 * @module
 */

export * from "./matrix.ts";
export * from "./compute.ts";
export { plainKernels, type ProductKernel, type ProductKernels } from "./kernels.ts";
export {
  FastBackend,
  type FastBackendOptions,
  type FastMode,
  type Precision,
} from "./fast/backend.ts";
export * from "./random.ts";
export * from "./activations.ts";
export * from "./initialization.ts";
export * from "./forward.ts";
export * from "./cost.ts";
export * from "./backward.ts";
export * from "./update.ts";
export * from "./models.ts";
export * from "./errors.ts";
export * from "./data.ts";
export * from "./hdf5.ts";
export * from "./display.ts";
export * from "./plots.ts";
export * from "./images.ts";
export * from "./image_input.ts";
export * from "./resize.ts";
export * from "./parameters.ts";
