/**
 * The cat / non-cat dataset: loading the course's `.h5` files (checked before
 * use), a synthetic stand-in of the same shapes when they are absent, and the
 * course's preprocessing, flatten then divide by 255.
 *
 * Taught in `notebooks/01_dataset.ipynb`.
 *
 * @module
 */

import h5wasm from "h5wasm/node";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "./errors.ts";
import { readHdf5 } from "./hdf5.ts";
import { Matrix } from "./matrix.ts";
import { RandomState } from "./random.ts";

/** A set of images with their labels, as stored in the course's files. */
export interface ImageSet {
  /** The pixels, shape (m, height, width, channels) row-major, values 0 to 255. */
  images: Uint8Array;
  /** The labels, 0 (non-cat) or 1 (cat), one per image. */
  labels: Uint8Array;
  /** Number of images. */
  m: number;
  /** Image height in pixels (64). */
  height: number;
  /** Image width in pixels (64). */
  width: number;
  /** Colour channels (3: red, green, blue). */
  channels: number;
}

/** The training and test sets, and where they came from. */
export interface CatDataset {
  /** The training set (209 images in the course). */
  train: ImageSet;
  /** The test set (50 images in the course). */
  test: ImageSet;
  /** Class names by label: `["non-cat", "cat"]`. */
  classes: string[];
  /** `"course"` for the course's files, `"synthetic"` for the generated stand-in. */
  source: "course" | "synthetic";
  /** The folder looked in. */
  dir: string;
}

/** The course's file names. */
export const COURSE_FILES = { train: "train_catvnoncat.h5", test: "test_catvnoncat.h5" } as const;

/**
 * Finds the data folder: the given option (`--data`), else the `DNN_DATA_DIR`
 * environment variable, else the repository's `data/` folder.
 *
 * @param option a folder named on the command line, if any
 * @param env the value of `DNN_DATA_DIR` (default: read from the environment)
 * @returns the folder, and whether the user named it (then it must exist)
 * @example
 * ```ts
 * import { resolveDataDir } from "./data.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(resolveDataDir("my/cats"), { dir: "my/cats", explicit: true });
 * ```
 */
export function resolveDataDir(
  option?: string,
  env: string | undefined = Deno.env.get("DNN_DATA_DIR"),
): { dir: string; explicit: boolean } {
  if (option !== undefined) return { dir: option, explicit: true };
  if (env) return { dir: env, explicit: true };
  return { dir: new URL("../data", import.meta.url).pathname, explicit: false };
}

/**
 * Loads the dataset: the course's two files from the data folder (see
 * {@link resolveDataDir}), or, when neither is there, {@link syntheticDataset}.
 *
 * @param options `dataDir`: the folder, as `--data` names it
 * @returns the training and test sets
 * @throws {DataError} naming the folder or file: a named folder that does not exist,
 *   one file of the two missing, a file that is not HDF5, a dataset missing or of
 *   the wrong type or shape, label counts that differ from image counts, labels other than 0 and 1
 * @example
 * ```ts
 * import { loadDataset } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const empty = await Deno.makeTempDir();
 * const data = await loadDataset({ dataDir: empty }); // no course files there
 * assert.equal(data.source, "synthetic");
 * assert.equal(data.train.m, 209);
 * ```
 */
export async function loadDataset(options: { dataDir?: string } = {}): Promise<CatDataset> {
  const { dir, explicit } = resolveDataDir(options.dataDir);
  if (!existsSync(dir)) {
    if (explicit) throw new DataError(dir, "data folder not found");
    return { ...syntheticDataset(), dir };
  }
  const trainFile = join(dir, COURSE_FILES.train), testFile = join(dir, COURSE_FILES.test);
  const present = [existsSync(trainFile), existsSync(testFile)];
  if (!present[0] && !present[1]) return { ...syntheticDataset(), dir };
  if (!present[0] || !present[1]) {
    throw new DataError(present[0] ? testFile : trainFile, "file not found (its twin is there)");
  }
  const [train, trainClasses] = await _loadSet(trainFile, "train");
  const [test] = await _loadSet(testFile, "test");
  if (test.height !== train.height || test.width !== train.width) {
    throw new DataError(
      testFile,
      `images are ${test.height}x${test.width}, the training images ${train.height}x${train.width}`,
    );
  }
  return { train, test, classes: trainClasses, source: "course", dir };
}

/** Reads and checks `${prefix}_set_x`, `${prefix}_set_y` and `list_classes` of one file. */
async function _loadSet(path: string, prefix: "train" | "test"): Promise<[ImageSet, string[]]> {
  return await readHdf5(path, (file) => {
    const problem = (text: string) => new DataError(path, text);
    const dataset = (name: string) => {
      const d = file.get(name);
      if (d instanceof h5wasm.Dataset) return d;
      throw problem(`dataset ${name} is missing (found: ${file.keys().join(", ") || "nothing"})`);
    };
    const x = dataset(`${prefix}_set_x`), y = dataset(`${prefix}_set_y`);
    const shape = x.shape ?? [];
    if (shape.length !== 4 || shape[3] !== 3) {
      throw problem(
        `${prefix}_set_x must have shape (m, height, width, 3), not (${shape.join(", ")})`,
      );
    }
    if (x.metadata.type !== 0 || x.metadata.size !== 1 || x.metadata.signed) {
      throw problem(`${prefix}_set_x must hold unsigned 8-bit pixels (dtype ${x.dtype})`);
    }
    const [m, height, width, channels] = shape;
    const images = x.value as Uint8Array;
    if (images.length !== m * height * width * channels) {
      throw problem(
        `${prefix}_set_x holds ${images.length} values, its shape needs ${
          m * height * width * channels
        }`,
      );
    }
    const yShape = y.shape ?? [];
    const count = yShape.reduce((a, b) => a * b, 1);
    if (
      y.metadata.type !== 0 || !(yShape.length === 1 || (yShape.length === 2 && yShape[0] === 1))
    ) {
      throw problem(
        `${prefix}_set_y must be integers of shape (m,) or (1, m), not ${y.dtype} (${
          yShape.join(", ")
        })`,
      );
    }
    if (count !== m) throw problem(`${prefix}_set_y has ${count} labels for ${m} images`);
    const raw = Array.from(y.value as ArrayLike<number | bigint>, Number);
    const bad = raw.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0) throw problem(`${prefix}_set_y[${bad}] is ${raw[bad]}: labels must be 0 or 1`);
    const classesData = file.get("list_classes");
    const classes = classesData instanceof h5wasm.Dataset
      ? Array.from(classesData.value as ArrayLike<string>, String)
      : ["non-cat", "cat"];
    if (classes.length !== 2) {
      throw problem(`list_classes must name 2 classes, not ${classes.length}`);
    }
    const set = {
      images: Uint8Array.from(images),
      labels: Uint8Array.from(raw),
      m,
      height,
      width,
      channels,
    };
    return [set, classes];
  });
}

/**
 * A synthetic stand-in for the course's data, of the same shapes (209 training
 * and 50 test images of 64x64x3, about a third of them "cats"), generated
 * deterministically: every image is a noisy background with a blob; a cat's
 * blob is mostly warm-coloured (orange), a non-cat's mostly cool (blue-green),
 * and about one image in eight has the other colour, so no model gets them all.
 *
 * @returns the dataset, with `source` `"synthetic"`
 * @example
 * ```ts
 * import { syntheticDataset } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const data = syntheticDataset();
 * assert.equal(data.source, "synthetic");
 * assert.deepEqual([data.train.m, data.test.m, data.train.height], [209, 50, 64]);
 * ```
 */
export function syntheticDataset(): CatDataset {
  const rng = new RandomState(20240611);
  return {
    train: _syntheticSet(rng, 209),
    test: _syntheticSet(rng, 50),
    classes: ["non-cat", "cat"],
    source: "synthetic",
    dir: "",
  };
}

function _syntheticSet(rng: RandomState, m: number): ImageSet {
  const height = 64, width = 64, channels = 3;
  const images = new Uint8Array(m * height * width * channels), labels = new Uint8Array(m);
  const warm = [230, 140, 50], cool = [50, 150, 200];
  for (let i = 0; i < m; i++) {
    labels[i] = rng.random() < 0.35 ? 1 : 0;
    const warmBlob = (labels[i] === 1) !== (rng.random() < 0.12);
    const colour = warmBlob ? warm : cool;
    const background = [0, 1, 2].map(() => 60 + 120 * rng.random());
    const cy = 16 + 32 * rng.random(), cx = 16 + 32 * rng.random(), r = 8 + 10 * rng.random();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = (y - cy) ** 2 + (x - cx) ** 2 < r * r;
        const at = ((i * height + y) * width + x) * channels;
        for (let c = 0; c < channels; c++) {
          const base = inside ? colour[c] : background[c] * (0.7 + 0.6 * x / width);
          images[at + c] = Math.max(0, Math.min(255, Math.round(base + 40 * (rng.random() - 0.5))));
        }
      }
    }
  }
  return { images, labels, m, height, width, channels };
}

/**
 * Flattens the images into columns and scales them to [0, 1]: column `i` is
 * image `i` in (height, width, channel) order, divided by 255, as the course's
 * `set_x.reshape(m, -1).T / 255.`.
 *
 * @param set the images, m of height x width x channels
 * @returns `X`, shape (height * width * channels, m): (12288, m) for the course
 * @example
 * ```ts
 * import { flatten } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * // two 1x1 RGB images
 * const set = { images: new Uint8Array([255, 0, 51, 0, 255, 0]), labels: new Uint8Array(2), m: 2, height: 1, width: 1, channels: 3 };
 * assert.deepEqual(flatten(set).toArray(), [[1, 0], [0, 1], [0.2, 0]]);
 * ```
 */
export function flatten(set: ImageSet): Matrix {
  const n = set.height * set.width * set.channels;
  const X = new Matrix(n, set.m);
  for (let i = 0; i < set.m; i++) {
    for (let f = 0; f < n; f++) X.data[f * set.m + i] = set.images[i * n + f] / 255;
  }
  return X;
}

/**
 * The labels as a row, as the course's `set_y.reshape(1, m)`.
 *
 * @param set the images and their labels
 * @returns `Y`, shape (1, m)
 * @example
 * ```ts
 * import { labelsRow, syntheticDataset } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const Y = labelsRow(syntheticDataset().test);
 * assert.deepEqual(Y.shape, [1, 50]);
 * ```
 */
export function labelsRow(set: ImageSet): Matrix {
  return new Matrix(1, set.m, Float64Array.from(set.labels));
}
