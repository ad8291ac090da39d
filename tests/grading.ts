/**
 * Helpers of the grading tests: the course's notebooks, submissions made from
 * them, and `deno task grade --json` run on them.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { ExerciseGrade } from "../cli/grade.ts";
import { MARKERS, type Notebook, regionLines, solutionCells, sourceOf } from "../cli/nbgrader.ts";
import { ROOT, runTask } from "./helpers.ts";

/** The course's notebooks that hold exercises. */
export const EXERCISE_NOTEBOOKS = [
  "02_building_blocks.ipynb",
  "03_two_layer_model.ipynb",
  "04_l_layer_model.ipynb",
];

/** A course notebook, as the repository has it (the solutions in). */
export function course(name: string): Notebook {
  return JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", name)));
}

/** The lines of every solution region of a notebook, trimmed. */
export function solutionLines(notebook: Notebook): string[] {
  return [...solutionCells(notebook).values()].flatMap((cell) =>
    regionLines(sourceOf(cell), MARKERS.solution) ?? []
  );
}

/** One line of `grade --json`. */
export interface GradeLine {
  notebook: string;
  score: number;
  maxScore: number;
  hiddenSeed: number;
  exercises: ExerciseGrade[];
}

/**
 * Runs `deno task grade --json` on notebooks written to a temporary folder;
 * `prepare` may change each before it is written, knowing the folder.
 */
export async function grade(
  submissions: Record<string, string | Notebook | Uint8Array>,
  flags: string[] = [],
  prepare: <T>(dir: string, file: string, content: T) => T = (_dir, _file, content) => content,
): Promise<{ code: number; grades: GradeLine[]; stdout: string; stderr: string; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "submissions-" });
  const files = [];
  for (const [file, original] of Object.entries(submissions)) {
    const content = prepare(dir, file, original);
    if (content instanceof Uint8Array) await Deno.writeFile(join(dir, file), content);
    else {
      await Deno.writeTextFile(
        join(dir, file),
        typeof content === "string" ? content : JSON.stringify(content),
      );
    }
    files.push(join(dir, file));
  }
  const run = await runTask("grade", ["--json", ...flags, ...files]);
  const grades = run.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) =>
    JSON.parse(l)
  );
  return { code: run.code, grades, stdout: run.stdout, stderr: run.stderr, dir };
}

/** A notebook with one exercise cell's source replaced. */
export function withExercise(notebook: Notebook, gradeId: string, source: string): Notebook {
  const copy = structuredClone(notebook);
  const cell = copy.cells.find((c) => c.metadata.nbgrader?.grade_id === gradeId);
  assert.ok(cell, gradeId);
  cell.source = [source];
  return copy;
}

/** An exercise cell's source in a notebook. */
export function exerciseSource(notebook: Notebook, gradeId: string): string {
  return sourceOf(solutionCells(notebook).get(gradeId)!);
}
