/**
 * `deno task notebooks`: executes the course's notebooks in order through the
 * real Deno kernel (Jupyter's `nbconvert --execute`), writing executed copies to
 * `out/notebooks/`, never over the sources. `deno task export` executes the
 * notebooks `notebooks/course.json` lists, then writes them as a static site in
 * `out/course/` (`site.ts`), their student edition in `out/student/` (`student.ts`),
 * and the student edition as a site in `out/student-site/`. Both sites are live: each
 * page runs its cells in the browser (`web/`); `deno task serve` serves one.
 *
 * ```sh
 * deno task notebooks [--iterations N] [--layers-dims 12288,20,7,5,1] [--only 02,03] [--timeout 3600]
 * deno task export    [the same options]
 * ```
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { fail, UsageError } from "./errors.ts";
import { buildSite, COURSE_JSON, readCourse } from "./site.ts";
import { writeStudentEdition } from "./student.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NOTEBOOKS = join(ROOT, "notebooks");
/** Where executed notebooks and the exported course go (ignored by git). */
export const OUT = join(ROOT, "out");

/** The course's notebooks, in order: `notebooks/NN_*.ipynb`. */
export function courseNotebooks(): string[] {
  return [...Deno.readDirSync(NOTEBOOKS)]
    .filter((e) => e.isFile && /^\d\d_[a-z0-9_]+\.ipynb$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** Runs a Jupyter tool; fails with its last error line. */
async function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  let out;
  try {
    out = await new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new Error(
      `Cannot run ${command} (${(e as Error).message}): install Jupyter with .ci/run`,
    );
  }
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr).trim().split("\n");
    const reason = text.filter((l) => /Error|error/.test(l)).at(-1) ?? text.at(-1);
    throw new Error(`${basename(command)} ${basename(args.at(-1) ?? "")} failed: ${reason}`);
  }
}

/** A cell's expected output, from its tags. */
const EXPECTED: Record<string, [string, (mime: string[]) => boolean]> = {
  "expect-plot": [
    "a plot (SVG or PNG)",
    (mime) => mime.includes("image/svg+xml") || mime.includes("image/png"),
  ],
  "expect-image": ["an image (PNG)", (mime) => mime.includes("image/png")],
  "expect-output": ["some output", () => true],
  "expect-accuracy": ["the accuracies", () => true],
  "exercise-check": ["an exercise's verdict", () => true],
};

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: {
    output_type: string;
    data?: Record<string, unknown>;
    text?: string | string[];
    ename?: string;
    evalue?: string;
  }[];
}

/**
 * Checks an executed notebook: no cell has an error, each cell tagged
 * `expect-plot`, `expect-image`, `expect-output` or `expect-accuracy` has that output,
 * and each exercise's check cell (`exercise-check`) says its tests passed.
 *
 * @param path an executed notebook
 * @returns `errors` (cells that failed) and `missing` (cells without their expected output)
 */
export function checkOutputs(path: string): { errors: string[]; missing: string[] } {
  const cells: Cell[] = JSON.parse(Deno.readTextFileSync(path)).cells;
  const errors: string[] = [], missing: string[] = [];
  cells.forEach((cell, n) => {
    if (cell.cell_type !== "code") return;
    const where = `${basename(path)} cell ${n + 1}`;
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "error") errors.push(`${where}: ${o.ename}: ${o.evalue}`);
    }
    const mime = (cell.outputs ?? []).flatMap((o) => Object.keys(o.data ?? {}));
    const text = (cell.outputs ?? []).map((o) => [o.text ?? ""].flat().join("")).join("");
    for (const tag of cell.metadata.tags ?? []) {
      const expected = EXPECTED[tag];
      if (expected === undefined) continue;
      const [what, ok] = expected;
      if ((cell.outputs ?? []).length === 0 || !ok(mime)) missing.push(`${where} lacks ${what}`);
      if (
        tag === "expect-accuracy" && !/Train accuracy: [\d.]+\s+Test accuracy: [\d.]+/.test(text)
      ) {
        missing.push(`${where} does not print the train and test accuracy`);
      }
      if (tag === "exercise-check" && !/^✔ \w+: all tests passed/m.test(text)) {
        missing.push(`${where}: its exercise check did not pass`);
      }
    }
  });
  return { errors, missing };
}

/**
 * Executes the notebooks, writing executed copies to `out/notebooks/` and what
 * they save (`DNN_OUT_DIR`) to `out/run/`, never to the `out/` a learner's own
 * runs use; returns their paths. A cell with an error, or without the output its
 * tags expect, fails the run.
 */
export async function executeNotebooks(
  { iterations, layersDims, only, timeout, notebooks = courseNotebooks() }: {
    iterations?: string;
    layersDims?: string;
    /** Prefixes of the notebooks to run, separated by commas: `02,03`. */
    only?: string;
    timeout: string;
    /** The notebooks to choose from, in order (default: all of `notebooks/`). */
    notebooks?: string[];
  },
): Promise<string[]> {
  // What the notebooks save goes to a folder of the command's own, never a learner's out/.
  const env: Record<string, string> = { DNN_OUT_DIR: join(OUT, "run") };
  if (iterations !== undefined) env.DNN_NUM_ITERATIONS = iterations;
  if (layersDims !== undefined) env.DNN_LAYERS_DIMS = layersDims;
  const prefixes = only?.split(",").map((p) => p.trim()).filter((p) => p !== "");
  const names = notebooks.filter((n) => !prefixes || prefixes.some((p) => n.startsWith(p)));
  if (names.length === 0) throw new UsageError(`--only ${only} matches no notebook`);
  await Deno.mkdir(join(OUT, "notebooks"), { recursive: true });
  const executed = [];
  for (const name of names) {
    const start = performance.now();
    const path = join(OUT, "notebooks", name);
    await run("/usr/bin/python3", [
      join(ROOT, "cli", "execute_notebook.py"),
      `--timeout=${timeout}`,
      join(NOTEBOOKS, name),
      path,
    ], env);
    const { errors, missing } = checkOutputs(path);
    if (errors.length) throw new Error(errors[0]);
    if (missing.length) throw new Error(missing[0]);
    console.log(`${name}: executed in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    executed.push(path);
  }
  return executed;
}

/**
 * Writes the course site to `out/course/` (see `cli/site.ts`): the executed
 * notebooks in the order of `notebooks/course.json`, each a page, with an index
 * page; returns the index page.
 *
 * @param executed executed notebooks, from {@link executeNotebooks}: all in one folder
 * @throws {Error} for a notebook that the manifest does not list
 */
export async function exportCourse(executed: string[]): Promise<string> {
  const course = readCourse();
  const names = executed.map((path) => basename(path));
  const unlisted = names.find((name) => !course.notebooks.some((n) => n.file === name));
  if (unlisted !== undefined) {
    throw new Error(`${unlisted} is not in ${COURSE_JSON}: list it there to export it`);
  }
  const dir = join(OUT, "course");
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const [index] = await buildSite(
    { ...course, notebooks: course.notebooks.filter((n) => names.includes(n.file)) },
    dirname(executed[0]),
    dir,
    { live: true },
  );
  return index;
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({
      args: Deno.args,
      strict: true,
      options: {
        iterations: { type: "string" },
        "layers-dims": { type: "string" },
        only: { type: "string" },
        timeout: { type: "string", default: "3600" },
        export: { type: "boolean", default: false },
      },
    });
    if (values.iterations !== undefined && !/^[1-9]\d*$/.test(values.iterations)) {
      throw new UsageError(`--iterations must be a positive integer, not "${values.iterations}"`);
    }
    // The course's manifest decides what an export holds; `notebooks` runs them all.
    const notebooks = values.export ? readCourse().notebooks.map((n) => n.file) : undefined;
    const executed = await executeNotebooks({
      iterations: values.iterations,
      layersDims: values["layers-dims"],
      only: values.only,
      timeout: values.timeout,
      notebooks,
    });
    if (values.export) {
      console.log(`Course material: ${await exportCourse(executed)}`);
      const sources = executed.map((path) => join(NOTEBOOKS, basename(path)));
      const student = await writeStudentEdition(sources, join(OUT, "student"));
      console.log(`Student edition: ${student.length} notebooks in ${join(OUT, "student")}`);
      const course = readCourse();
      const site = join(OUT, "student-site");
      await Deno.remove(site, { recursive: true }).catch(() => {});
      const [studentIndex] = await buildSite(
        {
          ...course,
          notebooks: course.notebooks.filter((n) => student.some((s) => s.endsWith(n.file))),
        },
        join(OUT, "student"),
        site,
        { live: true },
      );
      console.log(`Student site (live): ${studentIndex}; deno task serve ${site}`);
    }
  } catch (e) {
    fail("notebooks", e);
  }
}
