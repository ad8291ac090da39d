/**
 * The knobs of a notebook, which the environment can override: the same
 * notebook reruns with other values from the command line without editing it,
 * e.g. `DNN_NUM_ITERATIONS=500 DNN_LAYERS_DIMS=12288,20,7,5,1 deno task notebooks`.
 *
 * @module
 */

import { isAbsolute, relative, resolve } from "node:path";

/** The project's folder: the library's parent. */
const PROJECT = resolve(new URL("..", import.meta.url).pathname);

/**
 * A path as a notebook shows it: an absolute path inside the project, relative
 * to the current folder (a notebook's own, in the kernel), e.g.
 * `/home/ada/dnn/data` as `../data` from `notebooks/`; anything else as given.
 * The two name the same file, so the result can be used as well as shown.
 *
 * @param path a path
 * @returns the same path, relative where it lies in the project
 * @example
 * ```ts
 * import { shownPath } from "@dnn/lib";
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 *
 * assert.equal(shownPath(join(Deno.cwd(), "out", "run")), join("out", "run"));
 * assert.equal(shownPath("/etc/hosts"), "/etc/hosts"); // outside the project
 * assert.equal(shownPath("../out"), "../out");
 * ```
 */
export function shownPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const inProject = relative(PROJECT, path);
  if (inProject.startsWith("..") || isAbsolute(inProject)) return path;
  return relative(Deno.cwd(), path) || ".";
}

/** A knob's value: a number, a list of numbers, or a text. */
export type Knob = number | number[] | string;

/**
 * The environment variable that sets a knob of {@link notebookParameters}: `DNN_` and the
 * knob's name in capitals, words split by `_`.
 *
 * @param name the knob, as the parameters cell names it
 * @returns its variable
 * @example
 * ```ts
 * import { knobVariable } from "./parameters.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(knobVariable("layersDims"), "DNN_LAYERS_DIMS");
 * ```
 */
export function knobVariable(name: string): string {
  return `DNN_${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/**
 * Each knob's default, unless the environment variable `DNN_` + its name in
 * upper snake case is set: `layersDims` is read from `DNN_LAYERS_DIMS`
 * ("12288,20,7,5,1"), `numIterations` from `DNN_NUM_ITERATIONS`. Each value is
 * said in a line with where it came from (`numIterations = 2500, from this
 * cell`, or `numIterations = 30, from DNN_NUM_ITERATIONS (the cell says 2500)`),
 * so that a notebook's page shows what ran.
 *
 * In JupyterLab, change a value by editing the cell, then run the cells below;
 * a variable set in the environment Jupyter was started from wins over the cell.
 * A text that is an absolute path inside the project (`DNN_OUT_DIR=/home/ada/dnn/out/run`)
 * becomes relative to the notebook's folder (`../out/run`), as {@link shownPath} says: what the
 * notebook prints names no folder of the machine's.
 *
 * @param defaults the knobs and their default values
 * @param env the environment to read (default: the process's)
 * @param say where the lines about the values go (default: `console.log`)
 * @returns the knobs, of the same types as their defaults
 * @throws {RangeError} naming the variable if its value is not of the default's type
 * @example
 * ```ts
 * import { notebookParameters } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const env = { DNN_LEARNING_RATE: "0.01" }; // as if set in the shell
 * const said: string[] = [];
 * const p = notebookParameters(
 *   { learningRate: 0.0075, layersDims: [12288, 7, 1] },
 *   env,
 *   (line) => said.push(line),
 * );
 * assert.deepEqual(p, { learningRate: 0.01, layersDims: [12288, 7, 1] });
 * assert.deepEqual(said, [
 *   "learningRate = 0.01, from DNN_LEARNING_RATE (the cell says 0.0075)",
 *   "layersDims = [12288, 7, 1], from this cell",
 * ]);
 * ```
 */
export function notebookParameters<T extends Record<string, Knob>>(
  defaults: T,
  env: Record<string, string | undefined> = Deno.env.toObject(),
  say: (line: string) => void = console.log,
): T {
  const out: Record<string, Knob> = {};
  for (const [name, fallback] of Object.entries(defaults)) {
    const variable = knobVariable(name);
    const text = env[variable];
    if (text === undefined || text === "") {
      out[name] = fallback;
      say(`${name} = ${_show(fallback)}, from this cell`);
      continue;
    } else if (typeof fallback === "number") {
      out[name] = _number(variable, text);
    } else if (Array.isArray(fallback)) {
      out[name] = text.split(",").map((part) => _number(variable, part));
    } else {
      out[name] = shownPath(text);
    }
    say(`${name} = ${_show(out[name])}, from ${variable} (the cell says ${_show(fallback)})`);
  }
  return out as T;
}

/** A knob's value as a line shows it: a list in brackets, a text in quotes. */
function _show(value: Knob): string {
  return Array.isArray(value) ? `[${value.join(", ")}]` : JSON.stringify(value);
}

function _number(variable: string, text: string): number {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new RangeError(
      `Cannot use ${variable} as it must be a number or numbers separated by commas: "${text}"`,
    );
  }
  return value;
}
