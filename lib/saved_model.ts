/**
 * The trained model a later notebook starts from: the parameters notebook 4
 * saved, or, where there is no such file, a model trained on the spot.
 *
 * Used in `notebooks/05_results_analysis.ipynb` and `notebooks/06_your_own_image.ipynb`.
 *
 * @module
 */

import { loadParameters } from "./hdf5.ts";
import type { Parameters } from "./initialization.ts";
import type { Matrix } from "./matrix.ts";
import { lLayerModel } from "./models.ts";
import { shownPath } from "./parameters.ts";
import { train, type TrainOptions } from "./training.ts";

/**
 * The parameters saved in `path` (by notebook 4's `saveParameters`), if the file
 * is there and holds a model of the sizes `layersDims`; if there is no such file,
 * the L-layer model trained here on `X`, `Y` with a live progress line (the file is
 * not written). Either way, one line says which it was:
 * `loaded ../out/params_deep.h5: layersDims [12288,20,7,5,1]`, or
 * `../out/params_deep.h5 not found: training [12288,20,7,5,1] here`.
 *
 * @param path the parameters file, e.g. `` `${outDir}/params_deep.h5` ``
 * @param X training inputs, shape (layersDims[0], m)
 * @param Y training labels 0 or 1, shape (1, m)
 * @param layersDims the layer sizes the notebook expects, input first
 * @param options the training's, if it trains (`numIterations`, `learningRate`, ...; no cost is
 *   printed unless `printEvery` says so), and `say`, where the line goes (default `console.log`)
 * @returns the trained parameters `W1`, `b1`, ..., `WL`, `bL`
 * @throws {Error} naming the file and both sizes if the file holds a model of other sizes;
 *   {DataError} naming the file if it is there but not a parameters file; whatever training throws
 * @example
 * ```ts
 * import { loadOrTrain, Matrix, saveParameters } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const X = Matrix.from([[0, 1, 2, 3], [1, 1, 0, 0]]), Y = Matrix.from([[0, 0, 1, 1]]);
 * const dir = await Deno.makeTempDir();
 * const said: string[] = [];
 * const say = (line: string) => said.push(line);
 * const trained = await loadOrTrain(`${dir}/p.h5`, X, Y, [2, 3, 1], { numIterations: 5, say });
 * await saveParameters(`${dir}/p.h5`, trained, [2, 3, 1]);
 * const loaded = await loadOrTrain(`${dir}/p.h5`, X, Y, [2, 3, 1], { say });
 * assert.deepEqual(loaded.W1.toArray(), trained.W1.toArray());
 * assert.deepEqual(said, [
 *   `${dir}/p.h5 not found: training [2,3,1] here`,
 *   `loaded ${dir}/p.h5: layersDims [2,3,1]`,
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadOrTrain(
  path: string,
  X: Matrix,
  Y: Matrix,
  layersDims: readonly number[],
  options: TrainOptions = {},
): Promise<Parameters> {
  const { say = console.log, printEvery = 0, label = "L-layer model" } = options;
  const shown = shownPath(path);
  if (!(await _exists(path))) {
    say(`${shown} not found: training [${layersDims}] here`);
    const run = await train(lLayerModel, X, Y, layersDims, { ...options, printEvery, label, say });
    return run.parameters;
  }
  const loaded = await loadParameters(path);
  if (loaded.layersDims.join() !== layersDims.join()) {
    throw new Error(
      `${shown} holds a [${loaded.layersDims}] model, not [${layersDims}]: ` +
        `set layersDims to [${loaded.layersDims}], or train [${layersDims}] in notebook 4`,
    );
  }
  say(`loaded ${shown}: layersDims [${loaded.layersDims}]`);
  return loaded.parameters;
}

/** Whether anything is at `path` (a file that is there but unreadable is for the loader to say). */
async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
