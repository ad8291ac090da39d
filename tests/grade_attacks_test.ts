/**
 * `deno task grade` against students who want the marks without the work: each
 * attack is a submission made from the student edition with every solution pasted
 * back but the attacked exercise, so that it must lose exactly that exercise and
 * keep the others. All of them are graded in one call, beside honest controls (the
 * course's notebooks get full marks, one planted mistake loses its exercise) and a
 * classmate whose work an attack tries to read; each attack is then its own test.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Notebook, solutionCells } from "../cli/nbgrader.ts";
import { studentEdition } from "../cli/student.ts";
import { course, exerciseSource, grade, type GradeLine, withExercise } from "./grading.ts";

/** The student edition with every solution pasted back. */
function pasted(name: string): Notebook {
  const solved = course(name);
  let notebook = studentEdition(solved);
  for (const id of solutionCells(solved).keys()) {
    notebook = withExercise(notebook, id, exerciseSource(solved, id));
  }
  return notebook;
}

const NB2 = "02_building_blocks.ipynb", NB3 = "03_two_layer_model.ipynb";
const NB4 = "04_l_layer_model.ipynb";

/** Files an attack must not read; their contents must appear nowhere in the grades. */
const secrets = await Deno.makeTempDir({ prefix: "secrets-" });
const SECRET = "SECRET-7f3a9c";
await Deno.writeTextFile(join(secrets, "answers.json"), JSON.stringify({ answer: SECRET }));
await Deno.writeTextFile(join(secrets, "answers.txt"), SECRET);

/** An attack: a notebook, the exercise it attacks, the new source of that cell. */
interface Attack {
  notebook: string;
  exercise: string;
  source: string;
  /** What the grade must say of the attacked exercise. */
  says: RegExp;
  /** The limit it must report, if any. */
  limit?: string;
}

/** The classmate's file, in the same folder as the attackers' (the test's `grade` writes them). */
const CLASSMATE = "classmate.ipynb";

const ATTACKS: Record<string, Attack> = {
  // The library's answer, by each way to reach it.
  "library through lib": {
    notebook: NB2,
    exercise: "computeCost",
    source: "function computeCost(AL: Matrix, Y: Matrix): number {\n" +
      "  return lib.computeCost(AL, Y);\n}",
    says: /lib\.computeCost is not available while grading/,
  },
  "library by a static import": {
    notebook: NB2,
    exercise: "computeCost",
    source: 'import { computeCost as answer } from "@dnn/lib";\nconst computeCost = answer;',
    says: /has an import at line 1, which is not allowed in a graded cell/,
  },
  "library file by a static import": {
    notebook: NB2,
    exercise: "updateParameters",
    source: 'import { updateParameters } from "../lib/update.ts";\nexport { updateParameters };',
    says: /has an import at line 1, which is not allowed in a graded cell/,
  },
  "library by a dynamic import": {
    notebook: NB2,
    exercise: "initializeParameters",
    source: 'const { initializeParameters } = await import("@dnn/lib");',
    says: /has an import\(\) at line 1, which is not allowed in a graded cell/,
  },
  "library by a computed dynamic import": {
    notebook: NB2,
    exercise: "initializeParametersDeep",
    source: 'const where = ["@dnn", "lib"].join("/");\n' +
      "const { initializeParametersDeep } = await import(where);",
    says: /has an import\(\) at line 2, which is not allowed in a graded cell/,
  },
  "library by an import in code made from a string": {
    notebook: NB2,
    exercise: "computeCost",
    source: "const indirect = eval;\n" +
      "const { computeCost } = await indirect('import(\"@dnn/lib\")');",
    says: /threw EvalError: Code generation from strings disallowed/,
  },
  "library by new Function": {
    notebook: NB2,
    exercise: "updateParameters",
    source: 'const updateParameters = new Function("return globalThis")().updateParameters;',
    says: /threw EvalError: Code generation from strings disallowed/,
  },
  "library through orLibrary": {
    notebook: NB2,
    exercise: "updateParameters",
    source: 'const updateParameters = orLibrary("updateParameters", () => {\n' +
      '  throw new Error("not implemented");\n});',
    says: /orLibrary is not available while grading/,
  },
  "library's two-layer model by an import": {
    notebook: NB3,
    exercise: "twoLayerModel",
    source: 'import { twoLayerModel } from "@dnn/lib";\nexport { twoLayerModel };',
    says: /has an import at line 1, which is not allowed in a graded cell/,
  },
  "library's L-layer model by a dynamic import of its file": {
    notebook: NB4,
    exercise: "lLayerModel",
    source: 'const { lLayerModel } = await import("../lib/models.ts");',
    says: /has an import\(\) at line 1, which is not allowed in a graded cell/,
  },
  // Forging the verdict.
  "printed pass lines and an exit": {
    notebook: NB2,
    exercise: "computeCost",
    source: 'console.log("✔ computeCost: all tests passed");\n' +
      'console.log("✔ computeCost: hidden tests passed");\n' +
      "function computeCost(AL: Matrix, Y: Matrix): number {\n" +
      '  console.log("✔ computeCost: all tests passed");\n' +
      '  console.log("✔ computeCost: hidden tests passed");\n' +
      "  (globalThis as any).Deno?.exit(0);\n" +
      "  (globalThis as any).close?.();\n" +
      "  return 0.5;\n}",
    says: /computeCost: cost for Y = .* differs: expected .*, got 0\.5/,
  },
  "a swallowed rejection": {
    notebook: NB2,
    exercise: "updateParameters",
    source: 'addEventListener("unhandledrejection", (e) => e.preventDefault());\n' +
      'addEventListener("error", (e) => e.preventDefault());\n' +
      "function updateParameters(parameters: Parameters): Parameters {\n" +
      '  Promise.reject(new Error("swallowed"));\n' +
      "  return parameters;\n}",
    says: /updateParameters: parameters\.W1\[0, 0\] differs/,
  },
  "a patched console.log": {
    notebook: NB2,
    exercise: "initializeParameters",
    source: "console.log = () => {};\nconsole.error = () => {};\n" +
      "function initializeParameters(nX: number, nH: number, nY: number): Parameters {\n" +
      "  return { W1: new Matrix(nH, nX), b1: new Matrix(nH, 1), W2: new Matrix(nY, nH), " +
      "b2: new Matrix(nY, 1) };\n}",
    says: /initializeParameters: parameters\.W1\[0, 0\] differs/,
  },
  "a patched Math.abs": {
    notebook: NB2,
    exercise: "initializeParametersDeep",
    source: "Math.abs = () => 0;\n" +
      "function initializeParametersDeep(layersDims: readonly number[]): Parameters {\n" +
      "  const parameters: Parameters = {};\n" +
      "  for (let l = 1; l < layersDims.length; l++) {\n" +
      "    parameters[`W${l}`] = new Matrix(layersDims[l], layersDims[l - 1]);\n" +
      "    parameters[`b${l}`] = new Matrix(layersDims[l], 1);\n  }\n" +
      "  return parameters;\n}",
    says: /initializeParametersDeep: parameters\.W1\[0, 0\] differs/,
  },
  "a patched Array.prototype.forEach": {
    notebook: NB2,
    exercise: "computeCost",
    source: "Array.prototype.forEach = function () {};\n" +
      "function computeCost(): number {\n  return 0.25;\n}",
    says: /computeCost: cost for Y = .* differs/,
  },
  // Reading what it must not.
  "reading a classmate's submission": {
    notebook: NB2,
    exercise: "updateParameters",
    source: 'const classmate = await (await fetch("file://PATH")).text();\n' +
      "function updateParameters(): Parameters {\n  throw new Error(classmate);\n}",
    says: /threw NotCapable: Requires read access to/,
  },
  "reading with Deno's file API": {
    notebook: NB2,
    exercise: "updateParameters",
    source: 'const classmate = Deno.readTextFileSync("PATH");\n' +
      "function updateParameters(): Parameters {\n  throw new Error(classmate);\n}",
    says: /threw ReferenceError: Deno is not defined/,
  },
  "running a classmate's code": {
    notebook: NB2,
    exercise: "updateParameters",
    source: 'import classmate from "PATH" with { type: "json" };\n' +
      "const updateParameters = classmate;",
    says: /has an import at line 1, which is not allowed in a graded cell/,
  },
  "a file outside the course as text": {
    notebook: NB2,
    exercise: "initializeParameters",
    source: 'import passwd from "/etc/passwd" with { type: "text" };\n' +
      "function initializeParameters(): Parameters {\n  throw new Error(passwd);\n}",
    says: /has an import at line 1, which is not allowed in a graded cell/,
  },
  "a file outside the course as JSON": {
    notebook: NB2,
    exercise: "initializeParametersDeep",
    source: `import secret from ${JSON.stringify(join(secrets, "answers.json"))} ` +
      'with { type: "json" };\n' +
      "function initializeParametersDeep(): Parameters {\n  throw new Error(secret.answer);\n}",
    says: /has an import at line 1, which is not allowed in a graded cell/,
  },
  "a file outside the course by a dynamic import as text": {
    notebook: NB2,
    exercise: "computeCost",
    source: `const text = await import(${JSON.stringify(join(secrets, "answers.txt"))}, ` +
      '{ with: { type: "text" } });\n' +
      "function computeCost(): number {\n  throw new Error(text.default);\n}",
    says: /has an import\(\) at line 1, which is not allowed in a graded cell/,
  },
  "a worker from a data: URL": {
    notebook: NB2,
    exercise: "computeCost",
    source: 'new Worker("data:text/javascript,postMessage(1)", { type: "module" });\n' +
      "function computeCost(): number {\n  return 0;\n}",
    says: /threw ReferenceError: Worker is not defined/,
  },
  "Node's process, its exit and its modules": {
    notebook: NB2,
    exercise: "computeCost",
    source: 'const { Worker } = process.getBuiltinModule("node:worker_threads");\n' +
      "function computeCost(): number {\n  process.exit(0);\n  return 0;\n}",
    says: /threw ReferenceError: process is not defined/,
  },
  // Taking the run down.
  "an endless loop at top level": {
    notebook: NB2,
    exercise: "initializeParameters",
    source: "while (true) {}\nSOLUTION",
    says: /was stopped after 20 s \(the time limit: an endless loop\?\) when it ran/,
  },
  "a memory bomb": {
    notebook: NB2,
    exercise: "updateParameters",
    source: "function updateParameters(): Parameters {\n" +
      "  const hog: Float64Array[] = [];\n" +
      "  for (;;) hog.push(new Float64Array(1 << 20).fill(1));\n}",
    says: /used more than 512 MB of memory \(the memory limit\)/,
    limit: "memory",
  },
  "600 MB of output": {
    notebook: NB2,
    exercise: "computeCost",
    // The right cost, printed with 600 MB around it: the output limit scores it 0.
    source: 'const line = "x".repeat(1_000_000);\n' +
      "function computeCost(AL: Matrix, Y: Matrix): number {\n" +
      "  for (let i = 0; i < 600; i++) console.log(line);\n" +
      "  let sum = 0;\n" +
      "  for (let j = 0; j < Y.cols; j++) {\n" +
      "    sum += Y.data[j] * Math.log(AL.data[j]) + (1 - Y.data[j]) * Math.log(1 - AL.data[j]);\n" +
      "  }\n  return -sum / Y.cols;\n}",
    says: /printed more than 10 MB \(the output limit\)/,
    limit: "output",
  },
  "a syntax error in exercise 1": {
    notebook: NB2,
    exercise: "initializeParameters",
    source: "function initializeParameters(nX: number {\n  return {};\n}",
    says: /has a syntax error at line 1: ',' expected/,
  },
};

/** The attacks, the controls and the classmate, graded in one call. */
const graded = (async () => {
  const submissions: Record<string, Notebook | string> = {};
  for (const [name, attack] of Object.entries(ATTACKS)) {
    submissions[`${name}.ipynb`] = withExercise(pasted(attack.notebook), attack.exercise, "");
  }
  submissions[CLASSMATE] = pasted(NB2);
  for (const name of [NB2, NB3, NB4]) submissions[`control ${name}`] = course(name);
  const solved = course(NB2);
  submissions["planted mistake.ipynb"] = withExercise(
    solved,
    "updateParameters",
    exerciseSource(solved, "updateParameters").replace(
      "subtract(P, scale(dP, learningRate))",
      "add(P, scale(dP, learningRate))",
    ),
  );
  const nullSource = structuredClone(solved);
  nullSource.cells.find((c) => c.metadata.nbgrader?.grade_id === "computeCost-check")!.source =
    null as never;
  submissions["a null source.ipynb"] = nullSource;
  // The submissions' folder is known only once made: the attacks that name the classmate's
  // file are filled in then.
  return await grade(
    submissions,
    ["--timeout", "20"],
    <T>(dir: string, file: string, notebook: T) => {
      const attack = ATTACKS[file.replace(/\.ipynb$/, "")];
      if (attack === undefined) return notebook;
      return withExercise(
        notebook as Notebook,
        attack.exercise,
        attack.source.replaceAll("PATH", join(dir, CLASSMATE))
          .replace("SOLUTION", exerciseSource(course(attack.notebook), attack.exercise)),
      ) as T;
    },
  );
})();

async function gradeOf(file: string): Promise<GradeLine> {
  const { grades } = await graded;
  const found = grades.find((g) => g.notebook.endsWith(`/${file}`));
  assert.ok(found, `${file} was graded`);
  return found;
}

for (const [name, attack] of Object.entries(ATTACKS)) {
  Deno.test(`grade, attacked by ${name}: 0 on ${attack.exercise}, the rest graded`, async () => {
    const g = await gradeOf(`${name}.ipynb`);
    const attacked = g.exercises.find((e) => e.gradeId === attack.exercise)!;
    assert.equal(attacked.points, 0, attacked.message);
    assert.match(attacked.message, attack.says);
    if (attack.limit) assert.equal(attacked.limit, attack.limit);
    // Every other exercise of the submission is the student's own solution, and passes.
    const others = g.exercises.filter((e) => e !== attacked);
    assert.deepEqual(others.filter((e) => !e.passed).map((e) => `${e.gradeId}: ${e.message}`), []);
    assert.equal(g.score, g.maxScore - 1);
  });
}

Deno.test("grade, attacked: nothing of the files the attacks reached for is in the grades", async () => {
  const { stdout, stderr } = await graded;
  for (const output of [stdout, stderr]) {
    assert.doesNotMatch(output, new RegExp(SECRET));
    assert.doesNotMatch(output, /root:x:0:0/);
    assert.doesNotMatch(output, /nbformat_minor/); // the classmate's notebook, as text
  }
});

Deno.test("grade, attacked: the honest submissions in the same call are graded as always", async () => {
  for (const name of [NB2, NB3, NB4]) {
    const g = await gradeOf(`control ${name}`);
    assert.equal(g.score, g.maxScore, JSON.stringify(g.exercises));
  }
  const classmate = await gradeOf(CLASSMATE);
  assert.equal(classmate.score, 12, JSON.stringify(classmate.exercises));
  const mistake = await gradeOf("planted mistake.ipynb");
  assert.deepEqual(mistake.exercises.filter((e) => !e.passed).map((e) => e.gradeId), [
    "updateParameters",
  ]);
  assert.match(
    mistake.exercises.find((e) => e.gradeId === "updateParameters")!.message,
    /updateParameters: parameters\.W1\[0, 0\] differs/,
  );
});

Deno.test("grade, attacked: a null source gets its line naming the file; the run goes on", async () => {
  const { code, stderr, dir } = await graded;
  assert.equal(code, 1);
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.ok(lines[0].startsWith(`grade: ${join(dir, "a null source.ipynb")}: `), lines[0]);
  assert.match(lines[0], /: cell \d+'s source is not text \(null\)$/);
});

Deno.test("grade, attacked: an endless loop costs one time limit, not one per exercise", async () => {
  const g = await gradeOf("an endless loop at top level.ipynb");
  const timed = g.exercises.filter((e) => e.limit === "time");
  assert.deepEqual(timed.map((e) => e.gradeId), ["initializeParameters"]);
});

Deno.test({
  name: "grade, attacked: the temporary folders are gone",
  async fn() {
    const { dir } = await graded;
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(secrets, { recursive: true });
  },
});
