/**
 * The student edition of the course's notebooks, as nbgrader's "generate
 * assignment" makes it: each solution region replaced by `// YOUR CODE HERE`
 * with the number of lines it held (`(≈ 3 lines)`, as the course hints) and a
 * `throw new Error("not implemented")`, the hidden tests of each check
 * cell removed, outputs and execution counts cleared. `deno task export` writes
 * it to `out/student/`.
 *
 * @module
 */

import { join } from "node:path";
import {
  type Cell,
  MARKERS,
  type Notebook,
  replaceRegions,
  sourceOf,
  toLines,
} from "./nbgrader.ts";

/** What a solution region becomes: the lines a student replaces. */
export const YOUR_CODE = ["// YOUR CODE HERE", 'throw new Error("not implemented");'];

/**
 * The student edition of a notebook. Cells keep their ids and metadata (nbgrader's
 * included), so that grading finds each exercise by its `grade_id`.
 *
 * @param notebook a course notebook, with its solutions
 * @returns a new notebook: no solution line, no hidden test, no output
 * @throws {Error} naming the cell whose region is not closed
 */
export function studentEdition(notebook: Notebook): Notebook {
  const cells = notebook.cells.map((cell): Cell => {
    const out: Cell = structuredClone(cell);
    if (cell.cell_type !== "code") return out;
    out.outputs = [];
    out.execution_count = null;
    const nbgrader = cell.metadata.nbgrader;
    let text = sourceOf(cell);
    try {
      if (nbgrader?.solution) {
        text = replaceRegions(text, MARKERS.solution, (indent, region) => {
          // How long the answer is, as the course says: "≈ 3 lines of code".
          const n = region.filter((l) => l.trim() !== "" && !l.trim().startsWith("//")).length;
          const [first, ...rest] = YOUR_CODE;
          return [`${first} (≈ ${n} line${n === 1 ? "" : "s"})`, ...rest].map((l) => indent + l);
        });
      }
      if (nbgrader?.grade) text = replaceRegions(text, MARKERS.hidden, () => []);
    } catch (e) {
      throw new Error(`cell ${cell.id ?? "?"}: ${(e as Error).message}`);
    }
    out.source = toLines(text);
    return out;
  });
  return { ...notebook, cells };
}

/**
 * Writes the student edition of each notebook to `dir`.
 *
 * @param paths the course's notebooks
 * @param dir where the student notebooks go (made if missing)
 * @returns the written paths
 */
export async function writeStudentEdition(paths: string[], dir: string): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const written = [];
  for (const path of paths) {
    const notebook: Notebook = JSON.parse(await Deno.readTextFile(path));
    const target = join(dir, path.split("/").at(-1)!);
    await Deno.writeTextFile(target, JSON.stringify(studentEdition(notebook), null, 1) + "\n");
    written.push(target);
  }
  return written;
}
