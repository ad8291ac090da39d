/**
 * `deno task notebooks`: executes the course's notebooks in order through the
 * real Deno kernel (Jupyter's `nbconvert --execute`), writing executed copies to
 * `out/notebooks/`, never over the sources. `deno task export` then turns them
 * into HTML course material in `out/course/`, with an index page.
 *
 * ```sh
 * deno task notebooks [--iterations N] [--layers-dims 12288,20,7,5,1] [--only 03] [--timeout 3600]
 * deno task export    [the same options]
 * ```
 *
 * @module
 */

import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { fail, UsageError } from "./errors.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NOTEBOOKS = join(ROOT, "notebooks");
/** Where executed notebooks and the exported course go (ignored by git). */
export const OUT = join(ROOT, "out");

/** The course's notebooks, in order: `notebooks/NN_*.ipynb`. */
export function courseNotebooks(): string[] {
  return [...Deno.readDirSync(NOTEBOOKS)]
    .filter((e) => e.isFile && /^\d\d_.*\.ipynb$/.test(e.name))
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

/** Executions of a notebook before its missing outputs are an error (see {@link executeNotebooks}). */
const ATTEMPTS = 5;

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
 * runs use; returns their paths.
 * The Deno kernel sometimes reports a cell finished before its output is sent;
 * `execute_notebook.py` waits for such late outputs, and a notebook whose expected
 * outputs are still missing, with no error, is executed again (up to five attempts).
 */
export async function executeNotebooks(
  { iterations, layersDims, only, timeout }: {
    iterations?: string;
    layersDims?: string;
    only?: string;
    timeout: string;
  },
): Promise<string[]> {
  // What the notebooks save goes to a folder of the command's own, never a learner's out/.
  const env: Record<string, string> = { DNN_OUT_DIR: join(OUT, "run") };
  if (iterations !== undefined) env.DNN_NUM_ITERATIONS = iterations;
  if (layersDims !== undefined) env.DNN_LAYERS_DIMS = layersDims;
  const names = courseNotebooks().filter((n) => only === undefined || n.startsWith(only));
  if (names.length === 0) throw new UsageError(`--only ${only} matches no notebook`);
  await Deno.mkdir(join(OUT, "notebooks"), { recursive: true });
  const executed = [];
  for (const name of names) {
    const start = performance.now();
    const path = join(OUT, "notebooks", name);
    for (let attempt = 1;; attempt++) {
      await run("/usr/bin/python3", [
        join(ROOT, "cli", "execute_notebook.py"),
        `--timeout=${timeout}`,
        join(NOTEBOOKS, name),
        path,
      ], env);
      const { errors, missing } = checkOutputs(path);
      if (errors.length) throw new Error(errors[0]);
      if (missing.length === 0) break;
      if (attempt === ATTEMPTS) throw new Error(`${missing[0]}, in ${ATTEMPTS} attempts`);
      console.error(`${missing[0]}: executing ${name} again`);
    }
    console.log(`${name}: executed in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    executed.push(path);
  }
  return executed;
}

/** The title of a notebook: its first Markdown heading. */
function title(path: string): string {
  const nb = JSON.parse(Deno.readTextFileSync(path));
  const first = nb.cells.find((c: { cell_type: string }) => c.cell_type === "markdown");
  const text = [first?.source ?? []].flat().join("");
  return text.match(/^#\s+(.*)$/m)?.[1] ?? basename(path);
}

/** Debian's copies of the scripts the exported pages load: MathJax (equations) and RequireJS. */
const ASSETS = {
  mathjax: "/usr/share/javascript/mathjax",
  requirejs: "/usr/share/javascript/requirejs",
};

/**
 * Copies MathJax and RequireJS beside the exported pages, so that the course
 * material shows its equations offline and wherever a teacher puts it; returns the
 * nbconvert options that point the pages to them. Without Debian's copies
 * (libjs-mathjax, libjs-requirejs), the pages keep nbconvert's defaults.
 */
async function _copyAssets(dir: string): Promise<string[]> {
  const missing = Object.values(ASSETS).filter((path) => {
    try {
      return !Deno.statSync(path).isDirectory;
    } catch {
      return true;
    }
  });
  if (missing.length) {
    console.error(
      `export: ${missing.join(" and ")} not found: the pages load MathJax from nbconvert's default`,
    );
    return [];
  }
  for (const [name, from] of Object.entries(ASSETS)) {
    const to = join(dir, "_static", name);
    await Deno.remove(to, { recursive: true }).catch(() => {});
    await Deno.mkdir(join(dir, "_static"), { recursive: true });
    const cp = await new Deno.Command("cp", { args: ["-rL", from, to] }).output();
    if (!cp.success) throw new Error(`Cannot copy ${from} to ${to}`);
  }
  return [
    "--HTMLExporter.mathjax_url=_static/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "--HTMLExporter.require_js_url=_static/requirejs/require.min.js",
  ];
}

/** Exports executed notebooks as HTML to `out/course/`, with an index page; returns the index. */
export async function exportCourse(executed: string[]): Promise<string> {
  const dir = join(OUT, "course");
  await Deno.mkdir(dir, { recursive: true });
  const items = [];
  const assets = await _copyAssets(dir);
  for (const path of executed) {
    await run("jupyter", ["nbconvert", "--to", "html", ...assets, "--output-dir", dir, path], {});
    const html = basename(path).replace(/\.ipynb$/, ".html");
    items.push(`<li><a href="${html}">${title(path)}</a></li>`);
  }
  const index = join(dir, "index.html");
  await Deno.writeTextFile(
    index,
    `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>A deep neural network from the inside</title></head>
<body style="font-family: sans-serif; max-width: 44em; margin: 2em auto">
<h1>A deep neural network from the inside</h1>
<p>The cat / non-cat classifier, built stage by stage in TypeScript.</p>
<ol style="list-style: none; padding: 0">
${items.join("\n")}
</ol>
</body>
</html>
`,
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
    const executed = await executeNotebooks({
      iterations: values.iterations,
      layersDims: values["layers-dims"],
      only: values.only,
      timeout: values.timeout,
    });
    if (values.export) console.log(`Course material: ${await exportCourse(executed)}`);
  } catch (e) {
    fail("notebooks", e);
  }
}
