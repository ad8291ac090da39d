/**
 * What the tests of commands share: running a `deno task` as a user would, and
 * finding the course's data files.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { join } from "node:path";

/** The repository's root folder. */
export const ROOT: string = new URL("..", import.meta.url).pathname;

/** What a finished command printed. */
export interface Run {
  code: number;
  stdout: string;
  /** stderr without the `Task NAME ...` line that `deno task` prints first. */
  stderr: string;
}

/**
 * Runs `deno task NAME ARGS...` from the repository's root and waits for it.
 *
 * @param name the task, e.g. `train`
 * @param args its arguments
 * @param env extra environment variables; a value of `undefined` removes the variable
 */
export async function runTask(
  name: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<Run> {
  const vars = { ...Deno.env.toObject(), ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete vars[k];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", name, ...args],
    cwd: ROOT,
    env: vars as Record<string, string>,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const stderr = decode(out.stderr).split("\n").filter((l) => !l.startsWith("Task ")).join("\n");
  return { code: out.code, stdout: decode(out.stdout), stderr };
}

/**
 * The folder of the course's `train_catvnoncat.h5` and `test_catvnoncat.h5`:
 * `$DNN_DATA_DIR` when set, else the repository's `data/`, where they are
 * committed.
 *
 * @throws {Error} naming the folder when either file is not there
 */
export function courseDataDir(): string {
  const dir = Deno.env.get("DNN_DATA_DIR") || join(ROOT, "data");
  const files = ["train_catvnoncat.h5", "test_catvnoncat.h5"];
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new Error(`${dir} lacks the course's ${missing.join(" and ")}`);
  }
  return dir;
}

/**
 * The folder of photos to predict on: `$DNN_IMAGES_DIR` when set, else the
 * repository's `data/images/`, where three photos are committed.
 */
export function imagesDir(): string {
  return Deno.env.get("DNN_IMAGES_DIR") || join(ROOT, "data", "images");
}

/** What executing a notebook printed, and whether every cell ran. */
export interface NotebookRun {
  success: boolean;
  /** The runner's stderr: on failure, a line `NAME.ipynb: <the cell's error>`. */
  stderr: string;
}

/**
 * Executes `notebooks/NAME` in the real Deno kernel through `cli/execute_notebook.py`,
 * writing the executed copy to `target`.
 *
 * @param name the notebook's file name, e.g. `05_results_analysis.ipynb`
 * @param target where the executed copy goes
 * @param env environment variables for the kernel, e.g. `DNN_OUT_DIR`
 * @param options `allowErrors`: run every cell even after one fails (Run All, errors allowed);
 *   `grace`: seconds to listen after each cell for outputs that come late (the stress check's
 *   reference)
 */
export async function executeNotebook(
  name: string,
  target: string,
  env: Record<string, string>,
  { allowErrors = false, grace = 0 } = {},
): Promise<NotebookRun> {
  const flags = [
    ...(allowErrors ? ["--allow-errors"] : []),
    ...(grace ? [`--grace=${grace}`] : []),
  ];
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [join(ROOT, "cli/execute_notebook.py"), ...flags, join(ROOT, "notebooks", name), target],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { success: out.success, stderr: new TextDecoder().decode(out.stderr) };
}

/**
 * Runs Python code with `/usr/bin/python3` (NumPy and h5py, the independent
 * reference) and returns what it printed; fails the test if the code fails.
 *
 * @param code the program, given to `python3 -c`
 * @param args its `sys.argv[1:]`
 */
export async function python(code: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", code, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`python3 failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).trim();
}

/** The size of a folder's files, all the way down, in bytes. */
export function folderSize(dir: string): number {
  let bytes = 0;
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    bytes += entry.isDirectory ? folderSize(path) : Deno.statSync(path).size;
  }
  return bytes;
}
