/**
 * The student edition and `deno task grade`, on real submissions: the course's
 * own notebooks, their student edition, one exercise solved, check cells deleted
 * or edited, an endless loop, broken files, and code that tries to step outside
 * its permissions.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { MARKERS, type Notebook, solutionCells, sourceOf } from "../cli/nbgrader.ts";
import { checkExercise, checkOnRandomInputs, computeCost, Matrix } from "../lib/mod.ts";
import { studentEdition, YOUR_CODE } from "../cli/student.ts";
import {
  course,
  EXERCISE_NOTEBOOKS,
  exerciseSource,
  grade,
  solutionLines,
  withExercise,
} from "./grading.ts";
import { executeNotebook, ROOT, runTask } from "./helpers.ts";

Deno.test("the student edition holds no line of any solution, and no hidden test", () => {
  for (const name of EXERCISE_NOTEBOOKS) {
    const solved = course(name);
    const student = studentEdition(solved);
    const text = student.cells.map(sourceOf).join("\n");
    const lines = new Set(text.split("\n").map((l) => l.trim()));
    // Lines the course's other cells also hold (the gradient check's `new RandomState(seed)`,
    // closing brackets) are not the solutions' to give away.
    const elsewhere = new Set(
      solved.cells.filter((c) => !c.metadata.nbgrader?.solution).flatMap((c) =>
        sourceOf(c).split("\n").map((l) => l.trim())
      ),
    );
    const secret = solutionLines(solved).filter((l) => !elsewhere.has(l) && l.length > 3);
    assert.ok(secret.length >= 4, `${name}: ${secret.length} solution lines`);
    for (const line of secret) {
      assert.ok(!lines.has(line), `${name}: "${line}" in the student edition`);
    }
    const code = student.cells.filter((c) => c.cell_type === "code").map(sourceOf).join("\n");
    assert.doesNotMatch(code, /BEGIN SOLUTION|END SOLUTION|HIDDEN TESTS|checkOnRandomInputs\(/);
    const exercises = [...solutionCells(student).values()];
    assert.equal(exercises.length, solutionCells(solved).size);
    for (const cell of exercises) {
      for (const line of YOUR_CODE) assert.ok(sourceOf(cell).includes(line), cell.id);
    }
    assert.ok(student.cells.every((c) => (c.outputs ?? []).length === 0), "outputs cleared");
    // The rest is the course's, cell for cell.
    assert.deepEqual(student.cells.map((c) => c.id), solved.cells.map((c) => c.id));
  }
});

Deno.test("the student edition runs top to bottom in the kernel: only the checks fail, each with not implemented", async () => {
  const dir = await Deno.makeTempDir({ prefix: "student-" });
  try {
    for (const name of EXERCISE_NOTEBOOKS) {
      // Beside the course's notebooks, as a student's clone has them (ignored by git: *.tmp-*).
      const copy = name.replace(".ipynb", `.tmp-student.ipynb`);
      await Deno.writeTextFile(
        join(ROOT, "notebooks", copy),
        JSON.stringify(studentEdition(course(name))),
      );
      try {
        const target = join(dir, name);
        await executeNotebook(copy, target, { DNN_NUM_ITERATIONS: "5", DNN_OUT_DIR: dir }, {
          allowErrors: true,
        });
        const executed: Notebook = JSON.parse(await Deno.readTextFile(target));
        const checks = executed.cells.filter((c) => c.metadata.nbgrader?.grade);
        for (const cell of executed.cells) {
          const errors = (cell.outputs ?? []) as { output_type: string; evalue?: string }[];
          const failed = errors.filter((o) => o.output_type === "error");
          if (checks.includes(cell)) {
            assert.equal(failed.length, 1, `${name} ${cell.id}: the check fails`);
            assert.match(failed[0].evalue!, /not implemented/, `${name} ${cell.id}`);
          } else {
            assert.deepEqual(failed, [], `${name} ${cell.id}: ${sourceOf(cell).slice(0, 60)}`);
          }
        }
        if (name !== "02_building_blocks.ipynb") {
          // The model cells trained with the library's model, and said so.
          assert.match(
            JSON.stringify(executed),
            /is not finished \(not implemented\): using the library's/,
          );
        }
      } finally {
        await Deno.remove(join(ROOT, "notebooks", copy)).catch(() => {});
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grade: the course's notebooks score full marks, the untouched student edition 0 on every exercise", async () => {
  const submissions: Record<string, Notebook> = {};
  for (const name of EXERCISE_NOTEBOOKS) {
    submissions[`solved-${name}`] = course(name);
    submissions[`student-${name}`] = studentEdition(course(name));
  }
  const { code, grades, stderr, dir } = await grade(submissions);
  try {
    assert.equal(code, 0, stderr);
    assert.equal(grades.length, 6);
    for (const name of EXERCISE_NOTEBOOKS) {
      const solved = grades.find((g) => g.notebook.endsWith(`solved-${name}`))!;
      const exercises = solutionCells(course(name)).size;
      assert.equal(solved.maxScore, exercises, name);
      assert.equal(solved.score, solved.maxScore, `${name}: ${JSON.stringify(solved.exercises)}`);
      const student = grades.find((g) => g.notebook.endsWith(`student-${name}`))!;
      assert.equal(student.score, 0, name);
      for (const e of student.exercises) {
        assert.equal(e.passed, false);
        assert.match(e.message, /not implemented/, `${name} ${e.gradeId}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grade: all solutions pasted back score full marks, one solved its point; checks deleted or edited are the course's again", async () => {
  const solved = course("02_building_blocks.ipynb");
  const student = studentEdition(solved);
  const one = withExercise(student, "subtract", exerciseSource(solved, "subtract"));
  // A solved notebook whose check cells a student deleted, or edited to print a pass.
  const deleted = structuredClone(solved);
  deleted.cells = deleted.cells.filter((c) => !c.metadata.nbgrader?.grade);
  const cheat = withExercise(
    student,
    "computeCost",
    "function computeCost() { return 0.2797765635793422; }",
  );
  const edited = cheat.cells.find((c) => c.metadata.nbgrader?.grade_id === "computeCost-check")!;
  edited.source = ['console.log("✔ computeCost: all tests passed");'];
  // The student edition with every solution pasted back.
  let pasted = student;
  for (const id of solutionCells(solved).keys()) {
    pasted = withExercise(pasted, id, exerciseSource(solved, id));
  }
  const { code, grades, stderr, dir } = await grade({
    "pasted.ipynb": pasted,
    "one.ipynb": one,
    "deleted.ipynb": deleted,
    "cheat.ipynb": cheat,
  });
  try {
    assert.equal(code, 0, stderr);
    const by = (file: string) => grades.find((g) => g.notebook.endsWith(file))!;
    assert.equal(by("pasted.ipynb").score, 12, JSON.stringify(by("pasted.ipynb").exercises));
    assert.equal(by("one.ipynb").score, 1);
    assert.deepEqual(
      by("one.ipynb").exercises.filter((e) => e.passed).map((e) => e.gradeId),
      ["subtract"],
    );
    assert.equal(by("deleted.ipynb").score, 12, JSON.stringify(by("deleted.ipynb").exercises));
    const cost = by("cheat.ipynb").exercises.find((e) => e.gradeId === "computeCost")!;
    assert.equal(cost.points, 0);
    // The course's check ran: the cheat knows the answer to its first case, not to the second.
    assert.match(cost.message, /computeCost: cost for Y = \[\[1,1,1\]\] differs/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grade: an endless loop, broken files and another notebook do not stop the others", async () => {
  const solved = course("02_building_blocks.ipynb");
  const looping = withExercise(
    solved,
    "updateParameters",
    exerciseSource(solved, "updateParameters").replace(
      "const updated: Parameters = {};",
      "const updated: Parameters = {};\n  while (true) {}",
    ),
  );
  const missing = structuredClone(solved);
  missing.cells = missing.cells.filter((c) => c.metadata.nbgrader?.grade_id !== "computeCost");
  const { code, grades, stderr, dir } = await grade({
    "looping.ipynb": looping,
    "broken.ipynb": '{"cells": [',
    "list.ipynb": "[1, 2, 3]",
    "dataset.ipynb": course("01_dataset.ipynb"),
    "missing.ipynb": missing,
    "fine.ipynb": course("03_two_layer_model.ipynb"),
  }, ["--timeout", "8"]);
  try {
    assert.equal(code, 1, "some submissions could not be graded");
    const lines = stderr.trim().split("\n");
    const line = (file: string) => lines.find((l) => l.includes(join(dir, file))) ?? "";
    assert.match(line("broken.ipynb"), /^grade: .*broken\.ipynb: not JSON, so not a notebook/);
    assert.match(line("list.ipynb"), /^grade: .*list\.ipynb: not a Jupyter notebook/);
    assert.match(line("dataset.ipynb"), /^grade: .*dataset\.ipynb: another notebook entirely/);
    assert.match(line("missing.ipynb"), /the exercise cell computeCost is missing \(scored 0\)/);
    const by = (file: string) => grades.find((g) => g.notebook.endsWith(file))!;
    assert.deepEqual(grades.map((g) => g.notebook.split("/").at(-1)), [
      "looping.ipynb",
      "missing.ipynb",
      "fine.ipynb",
    ]);
    const loop = by("looping.ipynb");
    assert.equal(loop.score, 11);
    const stuck = loop.exercises.find((e) => e.gradeId === "updateParameters")!;
    assert.match(stuck.message, /stopped after 8 s/);
    assert.equal(by("missing.ipynb").score, 11);
    assert.equal(by("fine.ipynb").score, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grade: each malformed file gets one line naming it and what is wrong; the others are graded", async () => {
  const solved = course("02_building_blocks.ipynb");
  /** The solved notebook with one change made to a copy of it. */
  type Loose = { cells: Record<string, unknown>[] };
  const broken = (change: (nb: Loose) => void) => {
    const copy = structuredClone(solved) as unknown as Loose;
    change(copy);
    return JSON.stringify(copy);
  };
  const at = (nb: Loose, gradeId: string) =>
    nb.cells.find((c) =>
      (c.metadata as { nbgrader?: { grade_id?: string } }).nbgrader?.grade_id === gradeId
    )!;
  const { code, grades, stderr, dir } = await grade({
    "null_source.ipynb": broken((nb) => void (at(nb, "computeCost-check").source = null)),
    "number_source.ipynb": broken((nb) => void (at(nb, "computeCost").source = 42)),
    "number_lines.ipynb": broken((nb) => void (at(nb, "computeCost").source = ["a", 1])),
    "null_cell.ipynb": broken((nb) => void (nb.cells[3] = null as never)),
    "no_type.ipynb": broken((nb) => void delete nb.cells[0].cell_type),
    "metadata.ipynb": broken((nb) => void (at(nb, "computeCost").metadata = "x")),
    "nbgrader.ipynb": broken((nb) =>
      void ((at(nb, "computeCost").metadata as { nbgrader: unknown }).nbgrader = 7)
    ),
    "grade_id.ipynb": broken((nb) => {
      (at(nb, "computeCost").metadata as { nbgrader: { grade_id: unknown } }).nbgrader.grade_id = 3;
    }),
    "twice.ipynb": broken((nb) => {
      const cell = at(nb, "linearForward");
      (cell.metadata as { nbgrader: { grade_id: string } }).nbgrader.grade_id = "computeCost";
    }),
    "huge.ipynb": broken((nb) => void (at(nb, "computeCost").source = "x".repeat(2_000_000))),
    "latin1.ipynb": new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]), // {"é"} in Latin-1
    "fine.ipynb": course("03_two_layer_model.ipynb"),
  }, ["--timeout", "30"]);
  try {
    assert.equal(code, 1, "some submissions could not be graded");
    const lines = stderr.trim().split("\n");
    const line = (file: string) => {
      const found = lines.filter((l) => l.includes(join(dir, file)));
      assert.equal(found.length, 1, `one line for ${file}: ${stderr}`);
      return found[0];
    };
    assert.match(line("null_source.ipynb"), /: cell \d+'s source is not text \(null\)$/);
    assert.match(line("number_source.ipynb"), /: cell \d+'s source is not text \(42\)$/);
    assert.match(line("number_lines.ipynb"), /: cell \d+'s source is not text \(\["a",1\]\)$/);
    assert.match(line("null_cell.ipynb"), /: not a Jupyter notebook \(cell 4 is not an object\)$/);
    assert.match(line("no_type.ipynb"), /: cell 1 has no cell_type$/);
    assert.match(line("metadata.ipynb"), /: cell \d+'s metadata is not an object$/);
    assert.match(line("nbgrader.ipynb"), /: cell \d+'s nbgrader metadata is not an object$/);
    assert.match(line("grade_id.ipynb"), /: cell \d+ has an nbgrader grade_id that is not text$/);
    assert.match(line("twice.ipynb"), /: two cells have the grade_id computeCost$/);
    assert.match(line("huge.ipynb"), /: cell \d+'s source is over 1 million characters$/);
    assert.match(line("latin1.ipynb"), /: not UTF-8 text, so not a notebook$/);
    assert.ok(lines.every((l) => l.startsWith("grade: ")), stderr);
    // The good one, in the same call, graded as before.
    assert.deepEqual(grades.map((g) => g.notebook.split("/").at(-1)), ["fine.ipynb"]);
    assert.equal(grades[0].score, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grade: a wrong command line exits with 2 and one line", async () => {
  for (
    const [args, says] of [
      [[], /^grade: name at least one SUBMISSION\.ipynb$/],
      [["--bogus", "x.ipynb"], /^grade: Unknown option '--bogus' \(see --help\)$/],
      [["--timeout", "0", "x.ipynb"], /^grade: --timeout must be a positive number of seconds/],
    ] as const
  ) {
    const run = await runTask("grade", [...args]);
    assert.equal(run.code, 2, args.join(" "));
    assert.equal(run.stdout, "");
    assert.match(run.stderr.trim(), says);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  }
});

Deno.test("grade: a syntax error scores its exercise and those that use it 0, naming the line; --jobs changes no grade; --json says which check cells were restored", async () => {
  const solved = course("02_building_blocks.ipynb");
  const broken = withExercise(
    solved,
    "linearForward",
    exerciseSource(solved, "linearForward").replace("const Z =", "const Z = ="),
  );
  const deleted = structuredClone(solved);
  deleted.cells = deleted.cells.filter((c) =>
    c.metadata.nbgrader?.grade_id !== "computeCost-check"
  );
  const submissions = {
    "broken.ipynb": broken,
    "deleted.ipynb": deleted,
    "student.ipynb": studentEdition(solved),
    "solved.ipynb": solved,
  };
  const one = await grade(submissions, ["--jobs", "1", "--hidden-seed", "5"]);
  const two = await grade(submissions, ["--jobs", "2", "--hidden-seed", "5"]);
  try {
    assert.equal(one.code, 0, one.stderr);
    const strip = (g: typeof one.grades) =>
      g.map(({ notebook, ...rest }) => ({ file: notebook.split("/").at(-1), ...rest }));
    // The same grades, in the order of the command line, one job or two.
    assert.deepEqual(strip(two.grades), strip(one.grades));
    assert.deepEqual(strip(one.grades).map((g) => g.file), Object.keys(submissions));
    const [g] = one.grades;
    const failed = g.exercises.filter((e) => !e.passed);
    assert.deepEqual(failed.map((e) => e.gradeId), [
      "linearForward",
      "linearActivationForward",
      "lModelForward",
    ]);
    assert.match(
      failed[0].message,
      /^exercise linearForward's cell has a syntax error at line \d+: Expression expected/,
    );
    assert.match(
      failed[1].message,
      /exercise linearActivationForward's cell uses linearForward, from exercise linearForward's cell, which has a syntax error at line/,
    );
    const restored = one.grades[1].exercises.filter((e) => e.restored).map((e) => e.gradeId);
    assert.deepEqual(restored, ["computeCost"]);
    assert.equal(one.grades[1].score, 12);
    assert.ok(one.grades[0].exercises.every((e) => !e.restored && e.limit === null));
  } finally {
    await Deno.remove(one.dir, { recursive: true });
    await Deno.remove(two.dir, { recursive: true });
  }
});

Deno.test("grade: endless loops in three exercises cost one time limit; the others are graded", async () => {
  const solved = course("02_building_blocks.ipynb");
  let looping = solved;
  for (const id of ["initializeParameters", "computeCost", "updateParameters"]) {
    looping = withExercise(
      looping,
      id,
      exerciseSource(solved, id).replace("// BEGIN SOLUTION", "// BEGIN SOLUTION\n  for (;;) {}"),
    );
  }
  const { code, grades, stderr, dir } = await grade({ "loops.ipynb": looping }, [
    "--timeout",
    "12",
  ]);
  try {
    assert.equal(code, 0, stderr);
    const failed = grades[0].exercises.filter((e) => !e.passed);
    assert.deepEqual(failed.map((e) => [e.gradeId, e.limit, e.message]), [
      ["initializeParameters", "time", "stopped after 12 s (the time limit: an endless loop?)"],
      ["computeCost", "time", "stopped after 10 s (the time limit: an endless loop?)"],
      ["updateParameters", "time", "stopped after 10 s (the time limit: an endless loop?)"],
    ]);
    assert.equal(grades[0].score, 9);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grade: the hidden tests draw new inputs each run, so answers worked out beforehand fail", async () => {
  // A cheat that knows the answers to the course's cases and to the hidden tests' inputs
  // as the notebook draws them (seed 0), worked out with the library.
  const answers: Record<string, number> = {};
  const record = (AL: Matrix, Y: Matrix) =>
    answers[Array.from(Y.data).join(",")] = computeCost(AL, Y);
  await checkExercise("computeCost", record, () => {});
  await checkOnRandomInputs("computeCost", record, () => {});
  assert.equal(Object.keys(answers).length, 3);
  const solved = course("02_building_blocks.ipynb");
  const cheat = withExercise(
    solved,
    "computeCost",
    `const ANSWERS: Record<string, number> = ${JSON.stringify(answers)};\n` +
      "function computeCost(_AL: Matrix, Y: Matrix): number {\n" +
      '  return ANSWERS[Array.from(Y.data).join(",")] ?? 0;\n}',
  );
  const known = await grade({ "cheat.ipynb": cheat }, ["--hidden-seed", "0"]);
  const drawn = await grade({ "cheat.ipynb": cheat });
  try {
    const cost = (g: typeof known) =>
      g.grades[0].exercises.find((e) => e.gradeId === "computeCost")!;
    assert.equal(cost(known).points, 1, "with the notebook's seed, the cheat passes");
    assert.equal(known.grades[0].hiddenSeed, 0);
    assert.equal(cost(drawn).points, 0);
    assert.match(
      cost(drawn).message,
      /computeCost: cost differs: .*\(hidden tests, random inputs\)/,
    );
    assert.notEqual(drawn.grades[0].hiddenSeed, 0);
    assert.equal(drawn.grades[0].score, 11);
  } finally {
    await Deno.remove(known.dir, { recursive: true });
    await Deno.remove(drawn.dir, { recursive: true });
  }
});

Deno.test("the student edition keeps each exercise's frame (the loops of lModelForward and lModelBackward, the models' loops), each blank says how many lines it needs, and the solution lines pasted into the blanks score full marks", async () => {
  const regions = (text: string) => {
    const out: string[][] = [];
    let region: string[] | undefined;
    for (const line of text.split("\n")) {
      if (line.trim() === MARKERS.solution[0]) region = [];
      else if (line.trim() === MARKERS.solution[1]) out.push(region!), region = undefined;
      else region?.push(line);
    }
    return out;
  };
  const submissions: Record<string, Notebook> = {};
  for (const name of EXERCISE_NOTEBOOKS) {
    const solved = course(name);
    const student = studentEdition(solved);
    for (const [id, cell] of solutionCells(student)) {
      const text = sourceOf(cell);
      const answers = regions(exerciseSource(solved, id));
      const blanks = [
        ...text.matchAll(
          /^( *)\/\/ YOUR CODE HERE \(≈ (\d+) lines?\)\n\1throw new Error\("not implemented"\);$/gm,
        ),
      ];
      assert.equal(blanks.length, answers.length, `${id}: a hinted blank per region`);
      blanks.forEach((blank, k) => {
        const code = answers[k].filter((l) => l.trim() !== "" && !l.trim().startsWith("//"));
        assert.equal(Number(blank[2]), code.length, `${id}, blank ${k + 1}: its hint`);
      });
      let pasted = text, k = 0;
      pasted = pasted.replace(
        /^( *)\/\/ YOUR CODE HERE \(≈ \d+ lines?\)\n\1throw new Error\("not implemented"\);$/gm,
        () => answers[k++].join("\n"),
      );
      cell.source = [pasted];
    }
    submissions[`pasted-${name}`] = student;
  }
  const frame = (id: string) =>
    sourceOf(solutionCells(submissions["pasted-02_building_blocks.ipynb"]).get(id)!);
  // The loop headers are the scaffold's, not the learner's to write.
  assert.match(
    sourceOf(
      solutionCells(studentEdition(course("02_building_blocks.ipynb"))).get("lModelForward")!,
    ),
    /for \(let l = 1; l <= L; l\+\+\) \{\n.*\n *\/\/ YOUR CODE HERE \(≈ 8 lines\)/,
  );
  assert.match(
    sourceOf(
      solutionCells(studentEdition(course("02_building_blocks.ipynb"))).get("lModelBackward")!,
    ),
    /for \(let l = L; l >= 1; l--\) \{\n(.*\n){2} *\/\/ YOUR CODE HERE \(≈ \d+ lines\)/,
  );
  assert.ok(frame("lModelBackward").includes("let dA = scale(subtract(divide(Y, AL), divide("));
  const { code, grades, stderr, dir } = await grade(submissions);
  try {
    assert.equal(code, 0, stderr);
    for (const g of grades) assert.equal(g.score, g.maxScore, JSON.stringify(g.exercises));
    assert.equal(grades.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
