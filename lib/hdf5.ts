/**
 * HDF5 files through h5wasm: opening them with errors that name the file, and
 * saving and loading a network's parameters in a layout h5py reads too. Unlike
 * the course's pickle, loading an HDF5 file runs no code.
 *
 * Layout of a parameters file: one float64 dataset per parameter (`W1` of shape
 * (n1, n0), `b1` of shape (n1, 1), ...), and root attributes `format_version`
 * (1), `layers_dims`, `hidden_activation` ("relu") and `output_activation` ("sigmoid").
 *
 * @module
 */

import h5wasm, { type File as H5File } from "h5wasm/node";
import { basename, dirname, join, resolve } from "node:path";
import { DataError } from "./errors.ts";
import type { Parameters } from "./initialization.ts";
import { Matrix, shapeOf } from "./matrix.ts";

/** The version of the parameters layout this library writes and reads. */
export const PARAMETERS_FORMAT_VERSION = 1;

let _ready: Promise<void> | undefined;

/** Loads h5wasm once, with HDF5's errors thrown (with their message) instead of printed. */
function _h5(): Promise<void> {
  return _ready ??= h5wasm.ready.then((Module) => {
    Module.activate_throwing_error_handler();
  });
}

/**
 * Opens an HDF5 file for reading, after checking it exists and is not empty.
 *
 * @param path the file
 * @returns the open file: close it in a `finally`
 * @throws {DataError} naming the file: not found, empty, or not readable as HDF5
 * @example
 * ```ts
 * import { DataError } from "@dnn/lib";
 * import { openHdf5 } from "./hdf5.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(openHdf5("no-such-file.h5"), DataError);
 * ```
 */
export async function openHdf5(path: string): Promise<H5File> {
  let info;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    throw DataError.unreadable(path, e);
  }
  if (!info.isFile) throw new DataError(path, "not a file");
  if (info.size === 0) throw new DataError(path, "the file is empty");
  await _h5();
  try {
    return new h5wasm.File(resolve(path), "r");
  } catch (e) {
    throw new DataError(path, `not a readable HDF5 file (${_hdf5Reason(e)})`);
  }
}

/**
 * Opens an HDF5 file, reads it with `read`, and closes it. Any failure that is
 * not already a {@link DataError} (h5wasm throws on damaged data inside a file
 * that opened) becomes one naming the file.
 *
 * @param path the file
 * @param read what to do with the open file
 * @returns what `read` returns
 * @throws {DataError} naming the file and the problem
 * @example
 * ```ts
 * import { DataError } from "@dnn/lib";
 * import { readHdf5 } from "./hdf5.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(readHdf5("missing.h5", (file) => file.keys()), DataError);
 * ```
 */
export async function readHdf5<T>(path: string, read: (file: H5File) => T): Promise<T> {
  const file = await openHdf5(path);
  try {
    return read(file);
  } catch (e) {
    throw e instanceof DataError
      ? e
      : new DataError(path, `cannot read the file (${_hdf5Reason(e)})`);
  } finally {
    file.close();
  }
}

/** The innermost reason of an HDF5 error stack, e.g. "file signature not found". */
function _hdf5Reason(e: unknown): string {
  const message = String(e instanceof Error ? e.message : e);
  const reasons = [...message.matchAll(/#\d+: .* in \w+\(\): (.*)$/gm)].map((m) => m[1].trim());
  return reasons.at(-1) ?? message.split("\n")[0];
}

/**
 * Saves a network's parameters as HDF5. The file is written beside the target
 * under a temporary name and renamed into place, so an interrupted or failed
 * save never damages an earlier file.
 *
 * @param path the file to write
 * @param parameters `W1`, `b1`, ..., `WL`, `bL`
 * @param layersDims the layer sizes, input first
 * @throws {TypeError} if the parameters do not fit `layersDims`
 * @example
 * ```ts
 * import { initializeParametersDeep, loadParameters, saveParameters } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const file = await Deno.makeTempFile({ suffix: ".h5" });
 * await saveParameters(file, initializeParametersDeep([4, 3, 1]), [4, 3, 1]);
 * const { parameters, layersDims } = await loadParameters(file);
 * assert.deepEqual(layersDims, [4, 3, 1]);
 * assert.deepEqual(parameters.W2.shape, [1, 3]);
 * ```
 */
export async function saveParameters(
  path: string,
  parameters: Parameters,
  layersDims: readonly number[],
): Promise<void> {
  _checkParameters(
    parameters,
    layersDims,
    (problem) => new TypeError(`saveParameters: ${problem}`),
  );
  await _writeAtomically(path, (file) => {
    file.create_attribute("format_version", PARAMETERS_FORMAT_VERSION, null, "<i4");
    file.create_attribute("layers_dims", layersDims.map((n) => n), [layersDims.length], "<i8");
    file.create_attribute("hidden_activation", "relu");
    file.create_attribute("output_activation", "sigmoid");
    for (let l = 1; l < layersDims.length; l++) {
      for (const name of [`W${l}`, `b${l}`]) {
        const P = parameters[name];
        file.create_dataset({ name, data: P.data, shape: [P.rows, P.cols], dtype: "<d" });
      }
    }
  });
}

/**
 * Writes an HDF5 file under a temporary name beside `path`, closes it, then
 * renames it into place: a failed or interrupted write leaves an earlier file intact.
 */
async function _writeAtomically(path: string, write: (file: H5File) => void): Promise<void> {
  await _h5();
  const target = resolve(path);
  const temporary = join(
    dirname(target),
    `.${basename(target)}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
  );
  try {
    const file = new h5wasm.File(temporary, "w");
    try {
      write(file);
    } finally {
      file.close();
    }
    await Deno.rename(temporary, target);
  } catch (e) {
    await Deno.remove(temporary).catch(() => {});
    throw new DataError(path, `cannot save: ${(e as Error).message ?? e}`);
  }
}

/**
 * Loads parameters saved by {@link saveParameters} (or written by h5py in the
 * same layout), checking everything before use.
 *
 * @param path the file
 * @returns the parameters and the layer sizes
 * @throws {DataError} naming the file and the problem: not HDF5, unknown format
 *   version, `layers_dims` missing or invalid, a parameter missing, of another
 *   shape or type, or not finite
 * @example
 * ```ts
 * import { DataError, loadParameters } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(loadParameters("missing.h5"), (e) => e instanceof DataError);
 * ```
 */
export async function loadParameters(
  path: string,
): Promise<{ parameters: Parameters; layersDims: number[] }> {
  return await readHdf5(path, (file) => {
    const problem = (text: string) => new DataError(path, text);
    const attrs = file.attrs;
    const version = attrs.format_version?.value;
    if (version === undefined || version === null) {
      throw problem("no format_version attribute: not a parameters file");
    }
    if (Number(version) !== PARAMETERS_FORMAT_VERSION) {
      throw problem(
        `unknown format_version ${version} (this library reads ${PARAMETERS_FORMAT_VERSION})`,
      );
    }
    const dims = attrs.layers_dims?.value;
    if (dims === undefined || dims === null || typeof dims !== "object" || !("length" in dims)) {
      throw problem("no layers_dims attribute");
    }
    const layersDims = Array.from(dims as ArrayLike<number | bigint>, Number);
    if (layersDims.length < 2 || layersDims.some((n) => !Number.isInteger(n) || n < 1)) {
      throw problem(`layers_dims must be at least 2 positive integers: [${layersDims}]`);
    }
    const parameters: Parameters = {};
    for (const [name, rows, cols] of _parameterShapes(layersDims)) {
      const dataset = file.get(name);
      if (!(dataset instanceof h5wasm.Dataset)) throw problem(`dataset ${name} is missing`);
      const shape = dataset.shape ?? [];
      const found = shape.length === 2 ? `(${shape.join(", ")})` : `[${shape}]`;
      if (shape.length !== 2 || shape[0] !== rows || shape[1] !== cols) {
        throw problem(
          `${name} has shape ${found}, but layers_dims [${layersDims}] needs (${rows}, ${cols})`,
        );
      }
      const meta = dataset.metadata;
      if (meta.type !== 1 /* H5T_FLOAT */) {
        throw problem(`${name} must hold floating-point numbers`);
      }
      const values = Float64Array.from(dataset.value as ArrayLike<number>);
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw problem(`${name} holds ${values[bad]} at index ${bad}`);
      parameters[name] = new Matrix(rows, cols, values);
    }
    return { parameters, layersDims };
  });
}

/** Each parameter's name and shape for layer sizes `layersDims`: `W${l}` (n_l, n_{l-1}), `b${l}` (n_l, 1). */
function* _parameterShapes(layersDims: readonly number[]): Generator<[string, number, number]> {
  for (let l = 1; l < layersDims.length; l++) {
    yield [`W${l}`, layersDims[l], layersDims[l - 1]];
    yield [`b${l}`, layersDims[l], 1];
  }
}

function _checkParameters(
  parameters: Parameters,
  layersDims: readonly number[],
  error: (problem: string) => Error,
): void {
  if (layersDims.length < 2 || layersDims.some((n) => !Number.isInteger(n) || n < 1)) {
    throw error(`layersDims must be at least 2 positive integers: [${layersDims}]`);
  }
  for (const [name, rows, cols] of _parameterShapes(layersDims)) {
    const P = parameters[name];
    if (P === undefined) throw error(`${name} is missing`);
    if (P.rows !== rows || P.cols !== cols) {
      throw error(
        `${name} ${
          shapeOf(P)
        } does not fit layersDims [${layersDims}]: it must be (${rows}, ${cols})`,
      );
    }
  }
}

/** Every dataset of an open file, each a 2-D float array. */
function _readMatrices(file: H5File, path: string): Record<string, Matrix> {
  const out: Record<string, Matrix> = {};
  for (const name of file.keys()) {
    const dataset = file.get(name);
    const shape = dataset instanceof h5wasm.Dataset ? dataset.shape ?? [] : [];
    if (!(dataset instanceof h5wasm.Dataset) || shape.length !== 2 || dataset.metadata.type !== 1) {
      throw new DataError(path, `${name} is not a 2-D array of floating-point numbers`);
    }
    const values = Float64Array.from(dataset.value as ArrayLike<number>);
    out[name] = new Matrix(shape[0], shape[1], values);
  }
  return out;
}

/** The preprocessed dataset, as notebook 1 caches it: the course's `train_x`, `train_y`, `test_x`, `test_y`. */
export interface Preprocessed {
  /** Training inputs, (height * width * channels, m), values in [0, 1]. */
  trainX: Matrix;
  /** Training labels, (1, m), 0 or 1. */
  trainY: Matrix;
  /** Test inputs, (height * width * channels, mTest). */
  testX: Matrix;
  /** Test labels, (1, mTest). */
  testY: Matrix;
  /** The size of the images the columns came from: [height, width, channels]. */
  imageShape: [number, number, number];
}

/**
 * Saves the preprocessed dataset as HDF5: datasets `train_x`, `train_y`,
 * `test_x`, `test_y` (float64), root attributes `format_version` and
 * `image_shape`. Written beside the target and renamed into place.
 *
 * @param path the file to write
 * @param data the arrays and the image shape
 * @throws {TypeError} if the arrays do not fit each other and the image shape
 * @example
 * ```ts
 * import { flatten, labelsRow, loadPreprocessed, savePreprocessed, syntheticDataset } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const { train, test } = syntheticDataset();
 * const file = await Deno.makeTempFile({ suffix: ".h5" });
 * const data = { trainX: flatten(train), trainY: labelsRow(train), testX: flatten(test), testY: labelsRow(test) };
 * await savePreprocessed(file, { ...data, imageShape: [64, 64, 3] });
 * assert.deepEqual((await loadPreprocessed(file)).trainX.shape, [12288, 209]);
 * ```
 */
export async function savePreprocessed(path: string, data: Preprocessed): Promise<void> {
  const problem = _checkPreprocessed(data);
  if (problem) throw new TypeError(`savePreprocessed: ${problem}`);
  await _writeAtomically(path, (file) => {
    file.create_attribute("format_version", PARAMETERS_FORMAT_VERSION, null, "<i4");
    file.create_attribute("image_shape", [...data.imageShape], [3], "<i8");
    const arrays = {
      train_x: data.trainX,
      train_y: data.trainY,
      test_x: data.testX,
      test_y: data.testY,
    };
    for (const [name, M] of Object.entries(arrays)) {
      file.create_dataset({ name, data: M.data, shape: [M.rows, M.cols], dtype: "<d" });
    }
  });
}

/**
 * Loads a dataset saved by {@link savePreprocessed}, checking the arrays fit
 * each other and the image shape, labels are 0 or 1, and inputs lie in [0, 1].
 *
 * @param path the file
 * @returns the arrays and the image shape
 * @throws {DataError} naming the file and the problem
 */
export async function loadPreprocessed(path: string): Promise<Preprocessed> {
  const [arrays, shape] = await readHdf5(
    path,
    (file) => [_readMatrices(file, path), file.attrs.image_shape?.value] as const,
  );
  const imageShape = Array.from((shape ?? []) as ArrayLike<number | bigint>, Number);
  if (imageShape.length !== 3) throw new DataError(path, "no image_shape attribute of 3 sizes");
  for (const name of ["train_x", "train_y", "test_x", "test_y"]) {
    if (!arrays[name]) throw new DataError(path, `dataset ${name} is missing`);
  }
  const data: Preprocessed = {
    trainX: arrays.train_x,
    trainY: arrays.train_y,
    testX: arrays.test_x,
    testY: arrays.test_y,
    imageShape: imageShape as [number, number, number],
  };
  const problem = _checkPreprocessed(data);
  if (problem) throw new DataError(path, problem);
  return data;
}

/** What is wrong with a preprocessed dataset, if anything. */
function _checkPreprocessed(data: Preprocessed): string | undefined {
  const n = data.imageShape.reduce((a, b) => a * b, 1);
  for (
    const [part, X, Y] of [["train", data.trainX, data.trainY], [
      "test",
      data.testX,
      data.testY,
    ]] as const
  ) {
    if (X.rows !== n) {
      return `${part}_x has ${X.rows} rows, but images of ${data.imageShape.join("x")} make ${n}`;
    }
    if (Y.rows !== 1 || Y.cols !== X.cols) {
      return `${part}_y ${shapeOf(Y)} must be (1, ${X.cols}), one label per column of ${part}_x`;
    }
    const label = Y.data.findIndex((y) => y !== 0 && y !== 1);
    if (label >= 0) return `${part}_y[0, ${label}] is ${Y.data[label]}: labels must be 0 or 1`;
    const value = X.data.findIndex((v) => !(v >= 0 && v <= 1));
    if (value >= 0) return `${part}_x holds ${X.data[value]}: inputs must lie in [0, 1]`;
  }
  return undefined;
}
