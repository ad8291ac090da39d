/**
 * `deno task grade`: grades students' notebooks.
 *
 * ```sh
 * deno task grade [--json] [--timeout 60] [--memory 512] [--jobs 2] [--hidden-seed N] \
 *   SUBMISSION.ipynb...
 * ```
 *
 * For each submission it finds the course notebook it is an edition of (by the
 * `grade_id`s of its exercise cells), reads each exercise cell (a syntax error,
 * or an import of any kind, stops that cell and those that use it), and runs the
 * cells in a process of the submission's own with no permission at all, given
 * only the building blocks the exercises may use (`grade_sandbox.ts`). The
 * course's checks, hidden tests included, run here, in the grader: they send the
 * student's functions their inputs and compare what comes back. Nothing the
 * student's code prints, patches, throws or exits with decides a grade, and the
 * expected values never reach its process. The check cells of the submission
 * are not run (the course's are: a deleted or edited one is reported).
 *
 * Limits, each scoring 0 on what broke it, with a message naming it: `--timeout`
 * seconds per exercise (once one has used them, 10 s for each after it),
 * `--memory` MB, 10 MB of output. `--jobs` submissions are graded at once
 * (default: the machine's cores). The hidden tests draw new inputs each run
 * (`--hidden-seed` draws a run's again).
 *
 * Prints a table per submission, or with `--json` one JSON object per line:
 * `{"notebook", "score", "maxScore", "hiddenSeed", "exercises": [{"gradeId", "points",
 * "maxPoints", "passed", "message", "restored", "limit"}]}`. A file that cannot be
 * graded gets one line on stderr naming it; the others are still graded, and the
 * command then exits with 1.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkExercise, checkOnRandomInputs, type ExerciseName } from "../lib/exercises.ts";
import { analyzeCell, type CellAnalysis, importedNames } from "./grade_cells.ts";
import {
  buildBundle,
  clean,
  DEFAULT_LIMITS,
  LIBRARY_NAMES,
  type Limits,
  outputMessage,
  type Stop,
  StudentProcess,
  timeMessage,
} from "./grade_sandbox.ts";
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
  /** Whether the submission's check cell was deleted or edited (the course's was used). */
  restored: boolean;
  /** The limit the exercise hit, if it hit one. */
  limit: Stop["kind"] | null;
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
  /** The seed the hidden tests drew their inputs with (`--hidden-seed` draws the same again). */
  hiddenSeed: number;
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

/** One call of a course check cell: `await checkExercise("linearForward", linearForward);`. */
interface CheckCall {
  check: "checkExercise" | "checkOnRandomInputs";
  exercise: ExerciseName;
  fn: string;
}

/** A course notebook as grading uses it, worked out once per run. */
interface CourseNotebook {
  name: string;
  notebook: Notebook;
  /** Its exercises, in order: the grade_ids of its solution cells. */
  exercises: string[];
  /** The graded check cells: the exercise, points, the calls it makes. */
  checks: { gradeId: string; exercise: string; points: number; calls: CheckCall[]; cell: Cell }[];
  /** What its import cell imports: local name -> the library's name (`*` for the namespace). */
  imports: Map<string, string>;
  /** The library's names its exercises are given (see {@link LIBRARY_NAMES}). */
  allowed: string[];
}

/** The course check cells' calls; anything else in a check cell is the course's mistake. */
function checkCalls(check: Cell): CheckCall[] {
  const calls: CheckCall[] = [];
  for (const raw of sourceOf(check).split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("//")) continue;
    const m = /^await (checkExercise|checkOnRandomInputs)\("(\w+)", (\w+)\);$/.exec(line);
    if (!m) {
      throw new Error(
        `the course's check cell ${check.metadata.nbgrader?.grade_id} holds "${line}": ` +
          "grading runs only checkExercise and checkOnRandomInputs calls",
      );
    }
    calls.push({ check: m[1] as CheckCall["check"], exercise: m[2] as ExerciseName, fn: m[3] });
  }
  return calls;
}

/** Works out what grading needs of each course notebook with exercises. */
function courseNotebooksToGrade(course: Map<string, Notebook>): Map<string, CourseNotebook> {
  const out = new Map<string, CourseNotebook>();
  const earlier: string[] = [];
  const allExercises = new Set([...course.values()].flatMap((n) => [...solutionCells(n).keys()]));
  for (const [name, notebook] of course) {
    const exercises = [...solutionCells(notebook).keys()];
    const imports = new Map<string, string>();
    for (const cell of notebook.cells) {
      if (cell.cell_type === "code" && sourceOf(cell).startsWith("import ")) {
        for (const { name, imported } of importedNames(sourceOf(cell))) imports.set(name, imported);
      }
    }
    const blocks = Object.keys(LIBRARY_NAMES).filter((n) => !allExercises.has(n));
    const allowed = [...new Set(imports.values())].filter((n) =>
      blocks.includes(n) || earlier.includes(n)
    );
    const checks = [...checkCells(notebook)].map(([gradeId, cell]) => ({
      gradeId,
      exercise: gradeId.replace(/-check$/, ""),
      points: cell.metadata.nbgrader!.points ?? 0,
      calls: checkCalls(cell),
      cell,
    }));
    out.set(name, { name, notebook, exercises, checks, imports, allowed });
    earlier.push(...exercises);
  }
  return out;
}

/** A run's shared state: the course, its bundles, and a folder for submissions' copies. */
export class Grader {
  readonly course: Map<string, Notebook>;
  readonly notebooks: Map<string, CourseNotebook>;
  #bundles = new Map<string, Promise<string>>();
  #dir: Promise<string> | undefined;

  /**
   * @param limits the limits each submission runs under
   * @param hiddenSeed the seed of the hidden tests' draws: by default a new one each run,
   *   so that their inputs cannot be known (and their answers worked out) beforehand
   */
  constructor(
    readonly limits: Limits = DEFAULT_LIMITS,
    readonly hiddenSeed: number = crypto.getRandomValues(new Uint32Array(1))[0] % 2 ** 31,
  ) {
    this.course = courseWithExercises();
    this.notebooks = courseNotebooksToGrade(this.course);
  }

  /** A temporary folder of the run's own. */
  async dir(): Promise<string> {
    return await (this.#dir ??= Deno.makeTempDir({ prefix: "grade-" }));
  }

  /** The bundle of a course notebook's allowed names, built once per run. */
  bundle(notebook: CourseNotebook): Promise<string> {
    let bundle = this.#bundles.get(notebook.name);
    if (bundle === undefined) {
      bundle = (async () => {
        const dir = await Deno.makeTempDir({ dir: await this.dir(), prefix: "course-" });
        return await buildBundle(notebook.allowed, dir);
      })();
      this.#bundles.set(notebook.name, bundle);
    }
    return bundle;
  }

  /** Removes the run's temporary files. */
  async close(): Promise<void> {
    if (this.#dir) await Deno.remove(await this.#dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Seconds each exercise gets once one of its submission's has used the whole time
 * limit: the course's exercises take under 2 s.
 */
const AFTER_TIMEOUT_S = 10;

/** A cell that cannot run, or whose function cannot be called: why, for the grade. */
type Blocked = Map<number, string>;

/**
 * Grades one submission; throws {@link SubmissionError} if it cannot be graded at
 * all. The submission's exercise cells run in a process of their own (see
 * `grade_sandbox.ts`); the checks run here, on what its functions return.
 */
export async function gradeSubmission(file: string, grader: Grader): Promise<Grade> {
  const { submission, name } = identify(file, grader.course);
  const course = grader.notebooks.get(name)!;
  const { limits } = grader;
  const grade: Grade = {
    notebook: file,
    course: name,
    score: 0,
    maxScore: 0,
    exercises: [],
    restored: [],
    hiddenSeed: grader.hiddenSeed,
  };

  // The submission's exercise cells, in the course's order, each read before it runs.
  const cells = course.exercises.map((gradeId, index) => {
    const cell = submittedCell(submission, gradeId);
    const source = cell === undefined ? undefined : sourceOf(cell);
    return {
      gradeId,
      index,
      source,
      analysis: source === undefined ? undefined : analyzeCell(source),
    };
  });
  const blocked: Blocked = new Map();
  /** The limit a cell hit when its top level ran. */
  const limitHit = new Map<number, Stop["kind"]>();
  const cellName = (i: number) => `exercise ${cells[i].gradeId}'s cell`;
  // What each cell uses of the earlier cells: name -> the cell that declares it last.
  const uses = cells.map(({ index, analysis }) => {
    const from = new Map<string, number>();
    if (analysis === undefined) return from;
    for (const name of analysis.mentioned) {
      if (analysis.declared.includes(name)) continue;
      for (let j = index - 1; j >= 0; j--) {
        if (cells[j].analysis?.declared.includes(name)) {
          from.set(name, j);
          break;
        }
      }
    }
    return from;
  });
  /** The first earlier cell a cell uses that cannot run, in a phrase. */
  const blockedBy = (i: number): string | undefined => {
    for (const [name, j] of uses[i]) {
      if (blocked.has(j)) return `uses ${name}, from ${cellName(j)}, which ${blocked.get(j)}`;
    }
    return undefined;
  };
  /** Blocks each cell that cannot run: its own problem, or a cell it uses that is blocked. */
  const blockAll = () => {
    for (const { index, analysis } of cells) {
      if (analysis === undefined || blocked.has(index)) continue;
      const why = analysis.problem ? `has ${analysis.problem}` : blockedBy(index);
      if (why) blocked.set(index, why);
    }
  };
  blockAll();

  const dir = await Deno.makeTempDir({ dir: await grader.dir(), prefix: "submission-" });
  const denoDir = join(await grader.dir(), "deno");
  await writeSubmission(dir, await grader.bundle(course), course, cells, uses);

  // One time limit per submission: once an exercise (or a cell's top level) has used it,
  // each after it gets at most AFTER_TIMEOUT_S.
  let timedOut = false;
  const limitMs = () => 1000 * Math.min(limits.timeout, timedOut ? AFTER_TIMEOUT_S : Infinity);
  let student: StudentProcess | undefined;
  let kinds = new Map<number, Record<string, string>>();
  /**
   * The process serving the cells that can run, started (again) if it is not
   * running; or why none can be.
   */
  const serving = async (): Promise<StudentProcess | Stop> => {
    while (student === undefined || student.stopReason !== undefined) {
      const load = cells.filter((c) => c.analysis !== undefined && !blocked.has(c.index))
        .map((c) => c.index);
      student = new StudentProcess(dir, limits, cellName, denoDir);
      kinds = new Map();
      let current: number | undefined;
      await student.load(load, limitMs, {
        loading: (i) => current = i,
        loaded: (i, k, error) => {
          current = undefined;
          if (error === undefined) kinds.set(i, k ?? {});
          else {
            blocked.set(i, blockedBy(i) ?? `threw ${error.name}: ${error.message} when it ran`);
          }
        },
      });
      const stop = student.stopReason;
      if (stop !== undefined) {
        if (current === undefined) return stop; // not in a cell: nothing to retry without
        blocked.set(current, `${stop.message.replace(/^stopped/, "was stopped")} when it ran`);
        limitHit.set(current, stop.kind);
        if (stop.kind === "time") timedOut = true;
      }
    }
    return student;
  };

  try {
    for (const check of course.checks) {
      const { exercise, points: maxPoints } = check;
      grade.maxScore += maxPoints;
      const own = submittedCell(submission, check.gradeId);
      const restored = !(own !== undefined &&
        [sourceOf(check.cell), studentCheck(check.cell)].includes(sourceOf(own).trimEnd()));
      if (restored) grade.restored.push(exercise);
      const result = await gradeExercise(check.calls, exercise);
      const points = result.passed ? maxPoints : 0;
      grade.score += points;
      grade.exercises.push({ gradeId: exercise, points, maxPoints, restored, ...result });
    }
  } finally {
    await student?.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return grade;

  /** Runs an exercise's checks here on what the student's process returns. */
  async function gradeExercise(
    calls: CheckCall[],
    exercise: string,
  ): Promise<{ passed: boolean; message: string; limit: Stop["kind"] | null }> {
    const fail = (message: string, limit?: Stop["kind"] | null) => ({
      passed: false,
      message,
      limit: limit ?? null,
    });
    const at = course.exercises.indexOf(exercise);
    if (at < 0 || cells[at].source === undefined) {
      return fail("the exercise cell is missing from the submission");
    }
    if (blocked.has(at)) return fail(`${cellName(at)} ${blocked.get(at)}`, limitHit.get(at));
    // Where each function the checks call is declared: the last cell up to this one.
    const declaring = (fn: string) =>
      cells.slice(0, at + 1).findLast((c) => c.analysis?.declared.includes(fn))?.index;
    for (const { fn } of calls) {
      const j = declaring(fn);
      if (j === undefined) return fail(`the exercise cell declares no function ${fn}`);
      if (blocked.has(j)) return fail(`${fn}: ${cellName(j)} ${blocked.get(j)}`);
    }
    const running = await serving();
    if (!(running instanceof StudentProcess)) return fail(running.message, running.kind);
    // Loading may have found the cells that cannot run.
    if (blocked.has(at)) return fail(`${cellName(at)} ${blocked.get(at)}`, limitHit.get(at));
    for (const { fn } of calls) {
      const j = declaring(fn)!;
      if (!kinds.has(j)) return fail(`${fn}: ${cellName(j)} ${blocked.get(j) ?? "did not load"}`);
      const kind = kinds.get(j)![fn];
      if (kind !== "function") return fail(`${exercise}: expected a function, got ${kind}`);
    }
    let printedTooMuch = false;
    const checks = (async () => {
      for (const { check, exercise: name, fn } of calls) {
        const j = declaring(fn)!;
        const remote = async (...args: unknown[]) => {
          const { value, printed } = await running.call(j, fn, args);
          if (printed > limits.outputBytes) printedTooMuch = true;
          return value;
        };
        if (check === "checkExercise") await checkExercise(name, remote as never, () => {});
        else {await checkOnRandomInputs(name, remote as never, () => {}, {
            seed: grader.hiddenSeed,
          });}
      }
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = limitMs();
    const outcome = await Promise.race([
      checks.then(() => undefined, (e: Error) => e),
      running.stopped,
      new Promise<"time">((resolve) => timer = setTimeout(() => resolve("time"), limit)),
    ]);
    clearTimeout(timer);
    checks.catch(() => {});
    if (outcome === "time") {
      const stop = { kind: "time" as const, message: timeMessage(limit / 1000) };
      running.kill(stop);
      timedOut = true;
      // What calls it would hang again: its cell, and those that use it, are not run again.
      blocked.set(declaring(calls[0].fn)!, `did not finish within the time limit`);
      blockAll();
      return fail(stop.message, "time");
    }
    const stop = running.stopReason;
    if (stop !== undefined) return fail(stop.message, stop.kind);
    if (printedTooMuch) return fail(outputMessage(limits), "output");
    if (outcome instanceof Error) return fail(clean(outcome.message));
    return { passed: true, message: "all tests passed", limit: null };
  }
}

/**
 * Writes a submission's folder: the course bundle, a module per exercise cell that
 * can run, the stubs of what is not available, and `main.ts`, which loads them.
 */
async function writeSubmission(
  dir: string,
  bundle: string,
  course: CourseNotebook,
  cells: { index: number; source?: string; analysis?: CellAnalysis }[],
  uses: Map<string, number>[],
): Promise<void> {
  await Deno.copyFile(bundle, join(dir, "course.js"));
  const denied = [...course.imports].filter(([, imported]) => !course.allowed.includes(imported));
  await Deno.writeTextFile(
    join(dir, "denied.js"),
    [
      'import * as course from "./course.js";',
      "const refuse = (name) => function () {",
      "  throw new Error(`${name} is not available while grading: the exercise is to write it`);",
      "};",
      ...denied.map(([local, imported]) =>
        imported === "*"
          ? `export const ${local} = new Proxy(Object.freeze({ ${
            course.allowed.map((n) => `${n}: course.${n}`).join(", ")
          } }), { get(t, k) { if (typeof k !== "string" || k in t) return t[k]; ` +
            `throw new Error(\`${local}.\${k} is not available while grading\`); } });`
          : `export const ${local} = refuse(${JSON.stringify(imported)});`
      ),
    ].join("\n") + "\n",
  );
  const loaders: string[] = [];
  for (const { index, source, analysis } of cells) {
    if (source === undefined || analysis === undefined || analysis.problem) continue;
    const given = (name: string) =>
      !analysis.declared.includes(name) && !uses[index].has(name) && analysis.mentioned.has(name);
    const fromCourse = [...course.imports].filter(([local, imported]) =>
      given(local) && course.allowed.includes(imported)
    ).map(([local, imported]) => local === imported ? local : `${imported} as ${local}`);
    const fromDenied = denied.filter(([local]) => given(local)).map(([local]) => local);
    const imports = [`import { ${fromCourse.join(", ")} } from "./course.js";`];
    if (fromDenied.length) imports.push(`import { ${fromDenied.join(", ")} } from "./denied.js";`);
    for (const [name, j] of uses[index]) imports.push(`import { ${name} } from "./cell_${j}.ts";`);
    const exported = analysis.declared.filter((n) => !analysis.exported.includes(n));
    await Deno.writeTextFile(
      join(dir, `cell_${index}.ts`),
      `${imports.join(" ")}\n${source}\n;export { ${exported.join(", ")} };\n`,
    );
    loaders.push(`  ${index}: () => import("./cell_${index}.ts"),`);
  }
  await Deno.writeTextFile(
    join(dir, "main.ts"),
    [
      'import { __Matrix, __serve, __useBackend } from "./course.js";',
      "await __serve(__Matrix, __useBackend, {",
      ...loaders,
      "});",
    ].join("\n") + "\n",
  );
}

/** A check cell as the student edition has it: without its hidden tests (see `student.ts`). */
function studentCheck(check: Cell): string {
  return replaceRegions(sourceOf(check), MARKERS.hidden, () => []).trimEnd();
}

/** A grade as a table: exercise, points, max, verdict; then the total. */
export function formatGrade(grade: Grade): string {
  const width = Math.max(8, ...grade.exercises.map((e) => e.gradeId.length));
  const row = (a: string, b: string, c: string, d: string) =>
    `  ${a.padEnd(width)}  ${b.padStart(6)}  ${c.padStart(3)}  ${d}`;
  const lines = [
    `${grade.notebook} (graded as ${grade.course}, hidden tests drawn with seed ${grade.hiddenSeed})`,
  ];
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

/**
 * Grades submissions, `jobs` at a time, and hands each result to `done` in the
 * order of `files`, as soon as it and all before it are graded.
 */
export async function gradeAll(
  files: readonly string[],
  grader: Grader,
  jobs: number,
  done: (file: string, result: Grade | Error) => void,
): Promise<void> {
  const results: (Grade | Error | undefined)[] = files.map(() => undefined);
  let next = 0, shown = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await gradeSubmission(files[i], grader).catch((e: Error) => e);
      while (shown < files.length && results[shown] !== undefined) {
        done(files[shown], results[shown]!);
        shown++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
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
          timeout: { type: "string", default: String(DEFAULT_LIMITS.timeout) },
          "hidden-seed": { type: "string" },
          memory: { type: "string", default: String(DEFAULT_LIMITS.memoryMB) },
          jobs: { type: "string", default: String(navigator.hardwareConcurrency || 1) },
          help: { type: "boolean", default: false },
        },
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split(".")[0]} (see --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      console.log(
        "Usage: deno task grade [--json] [--timeout SECONDS] [--memory MB] [--jobs N] " +
          "[--hidden-seed N] SUBMISSION.ipynb...",
      );
      Deno.exit(0);
    }
    const number = (flag: string, value: string, what: string, integer = false) => {
      const n = Number(value);
      if (!(n > 0) || (integer && !Number.isInteger(n))) {
        throw new UsageError(`--${flag} must be a positive ${what}, not "${value}"`);
      }
      return n;
    };
    const limits: Limits = {
      ...DEFAULT_LIMITS,
      timeout: number("timeout", values.timeout, "number of seconds"),
      memoryMB: number("memory", values.memory, "number of MB", true),
    };
    const jobs = number("jobs", values.jobs, "whole number", true);
    const seed = values["hidden-seed"];
    if (seed !== undefined && !(/^\d+$/.test(seed) && Number(seed) <= 2 ** 31)) {
      throw new UsageError(`--hidden-seed must be a whole number from 0 to 2^31, not "${seed}"`);
    }
    if (positionals.length === 0) throw new UsageError("name at least one SUBMISSION.ipynb");
    const grader = new Grader(limits, seed === undefined ? undefined : Number(seed));
    let bad = 0, graded = 0;
    const progress = Deno.stderr.isTerminal() && positionals.length > 1;
    try {
      await gradeAll(positionals, grader, jobs, (file, result) => {
        graded++;
        if (progress) {
          Deno.stderr.writeSync(
            new TextEncoder().encode(`\rgrade: ${graded} of ${positionals.length} graded`),
          );
        }
        if (result instanceof Error) {
          // One bad file never stops the run: it gets its line, the others are graded.
          const message = result instanceof SubmissionError
            ? result.message
            : `${file}: could not be graded (${result.message?.split("\n")[0]})`;
          if (progress) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
          console.error(`grade: ${message}`);
          bad++;
          return;
        }
        for (const e of result.exercises) {
          if (/cell is missing/.test(e.message)) {
            console.error(`grade: ${file}: the exercise cell ${e.gradeId} is missing (scored 0)`);
            bad++;
          }
        }
        if (values.json) {
          const { notebook, score, maxScore, exercises, hiddenSeed } = result;
          console.log(JSON.stringify({ notebook, score, maxScore, hiddenSeed, exercises }));
        } else {
          console.log(formatGrade(result) + "\n");
        }
      });
    } finally {
      if (progress) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
      await grader.close();
    }
    if (bad > 0) Deno.exit(1);
  } catch (e) {
    fail("grade", e);
  }
}
