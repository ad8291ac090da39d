/**
 * A deep neural network written by hand, as in the classic cat / non-cat course:
 * matrices, activations, forward and backward propagation, the cost, gradient
 * descent, the two models, the dataset and saved parameters; then what the
 * notebooks use to show them. Every export is listed here, file by file, in
 * the order the course meets them. Which file does what, and how the layers
 * stack: `docs/architecture.md`; the notebooks that teach them: `notebooks/`.
 *
 * @example
 * ```ts
 * import { accuracy, flatten, labelsRow, lLayerModel, predict, syntheticDataset } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const data = syntheticDataset();
 * const X = flatten(data.train), Y = labelsRow(data.train); // (12288, 209), (1, 209)
 * const { parameters, costs } = await lLayerModel(X, Y, [12288, 7, 1], { numIterations: 30 });
 * assert.ok(costs[29] < costs[0]);
 * const trainAccuracy = accuracy(predict(X, parameters), Y);
 * assert.ok(trainAccuracy >= 0 && trainAccuracy <= 1);
 * ```
 *
 * @module
 */

// Matrices, and where their products run.
export {
  add,
  addColumn,
  divide,
  map,
  matmul,
  matmulTransA,
  matmulTransB,
  Matrix,
  multiply,
  scale,
  scaleInPlace,
  shapeOf,
  subtract,
  sumRows,
  transpose,
} from "./matrix.ts";
export { type Backend, type BackendOptions, currentBackend, useBackend } from "./backend.ts";
export type { ProductKernel, ProductKernels } from "./kernels.ts";
export type { Precision } from "./fast/backend.ts";
export { RandomState } from "./random.ts";

// The network, step by step, and the two models.
export { relu, reluBackward, sigmoid, sigmoidBackward } from "./activations.ts";
export { exp, log } from "./math.ts";
export {
  initializeParameters,
  initializeParametersDeep,
  initializeParametersScaled,
  type InitOptions,
  type Parameters,
} from "./initialization.ts";
export {
  type Activation,
  type LayerCache,
  layerCount,
  linearActivationForward,
  type LinearCache,
  linearForward,
  lModelForward,
} from "./forward.ts";
export { computeCost } from "./cost.ts";
export {
  type BackwardOptions,
  costGradient,
  type Grads,
  linearActivationBackward,
  linearBackward,
  lModelBackward,
} from "./backward.ts";
export { updateParameters } from "./update.ts";
export { gradientCheck, type GradientCheckFunctions } from "./gradient_check.ts";
export {
  accuracy,
  lLayerModel,
  type ModelOptions,
  type ModelResult,
  predict,
  twoLayerModel,
} from "./models.ts";
export {
  type AccuracyPoint,
  loadRun,
  type Model,
  type SavedRun,
  saveRun,
  train,
  type TrainOptions,
  type TrainResult,
} from "./training.ts";

// The data, saved files and your own image.
export { DataError, OptionError } from "./errors.ts";
export {
  type CatDataset,
  flatten,
  type ImageSet,
  labelsRow,
  loadDataset,
  syntheticDataset,
} from "./data.ts";
export {
  loadParameters,
  loadPreprocessed,
  type Preprocessed,
  saveParameters,
  savePreprocessed,
} from "./hdf5.ts";
export { type ImagePrediction, imageToColumn, loadImage, predictImage } from "./image_input.ts";
export { resizeImage, type RgbImage } from "./resize.ts";
export { loadOrTrain } from "./saved_model.ts";

// What the notebooks show, and their knobs.
export {
  type ClassBalance,
  classBalance,
  type ConfusionMatrix,
  confusionMatrix,
  confusionTable,
} from "./metrics.ts";
export { table, type TableCell, type TableOptions } from "./table.ts";
export {
  type Broadcast,
  Displayable,
  type LiveProgress,
  liveProgress,
  type MimeBundle,
  showSource,
} from "./display.ts";
export { barChart, type CostSeries, plotAccuracy, plotCosts, plotFunctions } from "./plots.ts";
export { imageGrid, showImage } from "./images.ts";
export { type Knob, notebookParameters, shownPath } from "./parameters.ts";
export {
  checkExercise,
  checkOnRandomInputs,
  exerciseCase,
  ExerciseError,
  type ExerciseName,
  type Exercises,
  orLibrary,
  TOLERANCE,
} from "./exercises.ts";
export { mistakeHint } from "./hints.ts";
