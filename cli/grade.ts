/**
 * `deno task grade`: grades students' notebooks.
 *
 * ```sh
 * deno task grade [--json] [--timeout 60] SUBMISSION.ipynb...
 * ```
 *
 * For each submission it finds the course notebook it is an edition of (by the
 * `grade_id`s of its exercise cells), then grades each exercise on its own: a
 * module made of the course's import cell, the submission's exercise cells up to
 * this one (later exercises call earlier ones) and the course's own check cell,
 * hidden tests included (a check cell the student deleted or edited is not
 * used), runs under `deno run` with narrow permissions: read the library, the
 * course's data and the submission's folder; write a temporary folder; no
 * network, no subprocess. A time limit applies to each exercise; an infinite
 * loop, a crash or a failed check scores that exercise 0 and grading goes on.
 *
 * Prints a table per submission, or with `--json` one JSON object per line:
 * `{"notebook", "score", "maxScore", "exercises": [{"gradeId", "points", "maxPoints", "passed",
 * "message"}]}`. A file that cannot be graded gets one line on stderr naming it; the
 * others are still graded, and the command then exits with 1.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fail, UsageError } from "./errors.ts";
import {
  type Cell,
  checkCells,
  MARKERS,
  type Notebook,
  replaceRegions,
  solutionCells,
  sourceOf,
} from "./nbgrader.ts";
import { courseNotebooks } from "./notebooks.ts";

const ROOT = resolve(new URL("../", import.meta.url).pathname);

/** One exercise's grade. */
export interface ExerciseGrade {
  gradeId: string;
  points: number;
  maxPoints: number;
  passed: boolean;
  message: string;
}

/** A submission's grades. */
export interface Grade {
  notebook: string;
  /** The course notebook it was graded against. */
  course: string;
  score: number;
  maxScore: number;
  exercises: ExerciseGrade[];
  /** Exercises whose check cell the submission deleted or edited (the course's was used). */
  restored: string[];
}

/** A submission that cannot be graded: the message names what is wrong. */
export class SubmissionError extends Error {
  /** @param file the submission @param problem what is wrong with it */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "SubmissionError";
  }
}

function readNotebook(path: string): Notebook {
  return JSON.parse(Deno.readTextFileSync(path));
}

/** The course's notebooks that hold exercises, by file name. */
function courseWithExercises(): Map<string, Notebook> {
  const out = new Map<string, Notebook>();
  for (const name of courseNotebooks()) {
    const notebook = readNotebook(join(ROOT, "notebooks", name));
    if (solutionCells(notebook).size > 0) out.set(name, notebook);
  }
  return out;
}

/** The submission's cell for an exercise: by nbgrader's `grade_id`, else by cell id. */
function submittedCell(submission: Notebook, gradeId: string): Cell | undefined {
  return submission.cells.find((c) => c?.metadata?.nbgrader?.grade_id === gradeId) ??
    submission.cells.find((c) => c?.id === gradeId);
}

/**
 * The largest submission read, and the largest cell source in it: a course notebook
 * with its outputs is a few MB, a student's cell a few KB.
 */
const MAX_FILE_BYTES = 50_000_000, MAX_CELL_CHARS = 1_000_000;

/** Reads a submission as UTF-8 text, no larger than {@link MAX_FILE_BYTES}. */
function readSubmission(file: string): string {
  try {
    if (Deno.statSync(file).size > MAX_FILE_BYTES) {
      throw new SubmissionError(file, `over ${MAX_FILE_BYTES / 1e6} MB, so not a submission`);
    }
    return new TextDecoder("utf-8", { fatal: true }).decode(Deno.readFileSync(file));
  } catch (e) {
    if (e instanceof SubmissionError) throw e;
    if (e instanceof Deno.errors.NotFound) throw new SubmissionError(file, "no such file");
    if (e instanceof TypeError) {
      throw new SubmissionError(file, "not UTF-8 text, so not a notebook");
    }
    throw new SubmissionError(file, (e as Error).message);
  }
}

/**
 * What is wrong with a parsed submission's structure, where grading reads it: its
 * cells, each cell's type, source, metadata and nbgrader metadata, and grade_ids
 * that are not unique; or `undefined` if nothing is.
 */
function structureProblem(value: unknown): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(value) || !Array.isArray(value.cells)) {
    return "not a Jupyter notebook (no list of cells)";
  }
  const ids = new Set<string>();
  for (const [i, cell] of value.cells.entries()) {
    const where = `cell ${i + 1}`;
    if (!isObject(cell)) return `not a Jupyter notebook (${where} is not an object)`;
    if (typeof cell.cell_type !== "string") return `${where} has no cell_type`;
    const { source } = cell;
    if (
      !(typeof source === "string" ||
        Array.isArray(source) && source.every((l) => typeof l === "string"))
    ) {
      return `${where}'s source is not text (${JSON.stringify(source)?.slice(0, 40)})`;
    }
    if ([source].flat().reduce((n, l) => n + l.length, 0) > MAX_CELL_CHARS) {
      return `${where}'s source is over ${MAX_CELL_CHARS / 1e6} million characters`;
    }
    if (cell.id !== undefined && typeof cell.id !== "string") return `${where}'s id is not text`;
    if (cell.metadata === undefined) continue;
    if (!isObject(cell.metadata)) return `${where}'s metadata is not an object`;
    const nbgrader = cell.metadata.nbgrader;
    if (nbgrader === undefined) continue;
    if (!isObject(nbgrader)) return `${where}'s nbgrader metadata is not an object`;
    if (typeof nbgrader.grade_id !== "string") {
      return `${where} has an nbgrader grade_id that is not text`;
    }
    if (ids.has(nbgrader.grade_id)) return `two cells have the grade_id ${nbgrader.grade_id}`;
    ids.add(nbgrader.grade_id);
  }
  return undefined;
}

/** Parses a submission and finds the course notebook it answers. */
function identify(
  file: string,
  course: Map<string, Notebook>,
): { submission: Notebook; name: string; notebook: Notebook } {
  let submission: Notebook;
  try {
    submission = JSON.parse(readSubmission(file));
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new SubmissionError(file, `not JSON, so not a notebook (${e.message})`);
    }
    throw e;
  }
  const problem = structureProblem(submission);
  if (problem) throw new SubmissionError(file, problem);
  let best: { name: string; notebook: Notebook; found: number } | undefined;
  for (const [name, notebook] of course) {
    const found = [...solutionCells(notebook).keys()].filter((id) => submittedCell(submission, id))
      .length;
    if (found > 0 && (best === undefined || found > best.found)) best = { name, notebook, found };
  }
  if (best === undefined) {
    throw new SubmissionError(
      file,
      "another notebook entirely: none of the course's exercise cells is in it",
    );
  }
  return { submission, name: best.name, notebook: best.notebook };
}

/** Grades one submission; throws {@link SubmissionError} if it cannot be graded at all. */
export async function gradeSubmission(
  file: string,
  { timeout = 60, course = courseWithExercises() }: {
    timeout?: number;
    course?: Map<string, Notebook>;
  } = {},
): Promise<Grade> {
  const { submission, name, notebook } = identify(file, course);
  const imports = notebook.cells.filter((c) =>
    c.cell_type === "code" && sourceOf(c).startsWith("import ")
  ).map(sourceOf);
  const checks = checkCells(notebook);
  const solutions = [...solutionCells(notebook).keys()];
  const grade: Grade = {
    notebook: file,
    course: name,
    score: 0,
    maxScore: 0,
    exercises: [],
    restored: [],
  };
  const dir = await Deno.makeTempDir({ prefix: "grade-" });
  try {
    for (const [gradeId, check] of checks) {
      const exercise = gradeId.replace(/-check$/, "");
      const maxPoints = check.metadata.nbgrader!.points ?? 0;
      grade.maxScore += maxPoints;
      const own = submittedCell(submission, gradeId);
      const kept = own !== undefined &&
        [sourceOf(check), studentCheck(check)].includes(sourceOf(own).trimEnd());
      if (!kept) grade.restored.push(exercise);
      let result: { passed: boolean; message: string };
      if (submittedCell(submission, exercise) === undefined) {
        result = { passed: false, message: "the exercise cell is missing from the submission" };
      } else {
        // The submission's exercise cells, in the course's order, up to this one.
        const upTo = solutions.slice(0, solutions.indexOf(exercise) + 1);
        const cells = upTo.map((id) => submittedCell(submission, id)).filter((c) => c !== undefined)
          .map((c) => sourceOf(c!));
        const module = [...imports, ...cells, sourceOf(check)].join("\n\n");
        result = await runCheck(module, exercise, dir, dirname(resolve(file)), timeout);
      }
      const points = result.passed ? maxPoints : 0;
      grade.score += points;
      grade.exercises.push({ gradeId: exercise, points, maxPoints, ...result });
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return grade;
}

/** A check cell as the student edition has it: without its hidden tests (see `student.ts`). */
function studentCheck(check: Cell): string {
  return replaceRegions(sourceOf(check), MARKERS.hidden, () => []).trimEnd();
}

/**
 * Runs one exercise's module under `deno run` with narrow permissions and a time limit.
 * Passed when it exits 0 having printed the check's verdict.
 */
async function runCheck(
  module: string,
  exercise: string,
  tmp: string,
  submissionDir: string,
  timeout: number,
): Promise<{ passed: boolean; message: string }> {
  const work = await Deno.makeTempDir({ dir: tmp, prefix: `${exercise}-` });
  const file = join(work, "exercise.ts");
  await Deno.writeTextFile(file, module);
  const read = [
    join(ROOT, "lib"),
    join(ROOT, "data"),
    join(ROOT, "deno.json"),
    work,
    submissionDir,
  ];
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--cached-only",
      `--config=${join(ROOT, "deno.json")}`,
      `--allow-read=${read.join(",")}`,
      `--allow-write=${work}`,
      // h5wasm's runtime lists the whole environment, which is cleared to the few below.
      "--allow-env",
      file,
    ],
    cwd: work,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeout * 1000);
  const { code, signal, stdout, stderr } = await child.output();
  clearTimeout(timer);
  if (timedOut) return { passed: false, message: `stopped after ${timeout} s (an endless loop?)` };
  const printed = new TextDecoder().decode(stdout);
  const passed = code === 0 &&
    printed.includes(`✔ ${exercise}: all tests passed`) &&
    printed.includes(`✔ ${exercise}: hidden tests passed`);
  if (passed) return { passed, message: "all tests passed" };
  if (signal) return { passed, message: `the process crashed (${signal})` };
  const lines = new TextDecoder().decode(stderr).split("\n");
  const error = lines.find((l) => l.startsWith("error: ")) ?? lines.find((l) => l.trim() !== "");
  const message = (error ?? `exited with ${code}`).replace(
    /^error: (Uncaught (\(in promise\) )?)?/,
    "",
  );
  return { passed, message };
}

/** A grade as a table: exercise, points, max, verdict; then the total. */
export function formatGrade(grade: Grade): string {
  const width = Math.max(8, ...grade.exercises.map((e) => e.gradeId.length));
  const row = (a: string, b: string, c: string, d: string) =>
    `  ${a.padEnd(width)}  ${b.padStart(6)}  ${c.padStart(3)}  ${d}`;
  const lines = [`${grade.notebook} (graded as ${grade.course})`];
  lines.push(row("exercise", "points", "max", "verdict"));
  for (const e of grade.exercises) {
    const verdict = e.passed ? "passed" : `failed: ${e.message}`;
    lines.push(row(e.gradeId, String(e.points), String(e.maxPoints), verdict));
  }
  lines.push(row("total", String(grade.score), String(grade.maxScore), ""));
  if (grade.restored.length) {
    lines.push(`  the course's check cells were used for ${grade.restored.join(", ")}`);
  }
  return lines.join("\n");
}

if (import.meta.main) {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: Deno.args,
        strict: true,
        allowPositionals: true,
        options: {
          json: { type: "boolean", default: false },
          timeout: { type: "string", default: "60" },
          help: { type: "boolean", default: false },
        },
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split(".")[0]} (see --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      console.log("Usage: deno task grade [--json] [--timeout SECONDS] SUBMISSION.ipynb...");
      Deno.exit(0);
    }
    const timeout = Number(values.timeout);
    if (!(timeout > 0)) {
      throw new UsageError(
        `--timeout must be a positive number of seconds, not "${values.timeout}"`,
      );
    }
    if (positionals.length === 0) throw new UsageError("name at least one SUBMISSION.ipynb");
    const course = courseWithExercises();
    let bad = 0;
    for (const file of positionals) {
      try {
        const grade = await gradeSubmission(file, { timeout, course });
        for (const e of grade.exercises) {
          if (/cell is missing/.test(e.message)) {
            console.error(`grade: ${file}: the exercise cell ${e.gradeId} is missing (scored 0)`);
            bad++;
          }
        }
        if (values.json) {
          const { notebook, score, maxScore, exercises } = grade;
          console.log(JSON.stringify({ notebook, score, maxScore, exercises }));
        } else {
          console.log(formatGrade(grade) + "\n");
        }
      } catch (e) {
        // One bad file never stops the run: it gets its line, the others are graded.
        const message = e instanceof SubmissionError
          ? e.message
          : `${file}: could not be graded (${(e as Error).message?.split("\n")[0]})`;
        console.error(`grade: ${message}`);
        bad++;
      }
    }
    if (bad > 0) Deno.exit(1);
  } catch (e) {
    fail("grade", e);
  }
}
