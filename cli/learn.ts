/**
 * `deno task learn`: makes a learner's own copy of the course, the student
 * edition, in `learn/` beside `notebooks/`, where each notebook runs as it is
 * (the library, the data and `out/` are found from there as from
 * `notebooks/`). Open `learn/01_dataset.ipynb` and go in order.
 *
 * ```sh
 * deno task learn            # writes learn/01_dataset.ipynb ... learn/08_...
 * deno task learn --dir DIR  # another folder, beside notebooks/ so that paths hold
 * ```
 *
 * A notebook already there is the learner's work: it is never overwritten (the
 * command says it kept it); delete it to get a fresh copy.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fail, UsageError } from "./errors.ts";
import type { Notebook } from "./nbgrader.ts";
import { courseNotebooks } from "./notebooks.ts";
import { studentEdition } from "./student.ts";

const ROOT = resolve(new URL("../", import.meta.url).pathname);

/**
 * Writes the student edition of each course notebook to `dir`, keeping any
 * notebook already there.
 *
 * @param dir the learner's folder
 * @returns the notebooks written and those kept, by file name
 */
export async function makeLearnerCopy(
  dir: string,
): Promise<{ written: string[]; kept: string[] }> {
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [], kept: string[] = [];
  for (const name of courseNotebooks()) {
    const target = join(dir, name);
    const exists = await Deno.lstat(target).then(() => true, () => false);
    if (exists) {
      kept.push(name);
      continue;
    }
    const notebook: Notebook = JSON.parse(
      await Deno.readTextFile(join(ROOT, "notebooks", name)),
    );
    // Written whole or not at all: a file beside it, renamed into place.
    const partial = join(dir, `.${name}.tmp-${crypto.randomUUID().slice(0, 8)}`);
    await Deno.writeTextFile(partial, JSON.stringify(studentEdition(notebook), null, 1) + "\n");
    await Deno.rename(partial, target);
    written.push(name);
  }
  return { written, kept };
}

if (import.meta.main) {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: Deno.args,
        strict: true,
        options: { dir: { type: "string", default: join(ROOT, "learn") } },
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split(".")[0]} (deno task learn [--dir DIR])`);
    }
    const dir = resolve(parsed.values.dir);
    if (resolve(dirname(dir)) !== ROOT || basename(dir) === "notebooks") {
      throw new UsageError(
        `--dir must be a new folder beside notebooks/ (in ${ROOT}), not ${dir}: ` +
          "the notebooks find the library and the data from there",
      );
    }
    const { written, kept } = await makeLearnerCopy(dir);
    const shown = dir.startsWith(ROOT) ? dir.slice(ROOT.length + 1) : dir;
    if (written.length) console.log(`wrote ${written.length} notebooks to ${shown}/`);
    for (const name of kept) console.log(`kept your ${shown}/${name}`);
    console.log(
      `open ${shown}/01_dataset.ipynb in JupyterLab, VS Code or the Notebook, and go in order`,
    );
  } catch (e) {
    fail("learn", e);
  }
}
