/**
 * The notebooks' fourteen exercises: their cells and nbgrader metadata, their
 * solutions against the library (the model answer), plausible mistakes against
 * the checks, and the checks' expected values against NumPy and the course.
 *
 * A solution is run here as the kernel runs it: the notebook's import cell and
 * its exercise cells, in order, written to a module and imported.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { MARKERS, regionLines } from "../cli/nbgrader.ts";
import * as lib from "../lib/mod.ts";
import {
  checkExercise,
  checkOnRandomInputs,
  ExerciseError,
  type ExerciseName,
  type Matrix,
} from "../lib/mod.ts";
import { courseDataDir, executeNotebook, ROOT } from "./helpers.ts";

/** The exercises of each notebook, in order. */
const EXERCISES: Record<string, ExerciseName[]> = {
  "02_building_blocks.ipynb": [
    "subtract",
    "addColumn",
    "initializeParameters",
    "initializeParametersDeep",
    "linearForward",
    "linearActivationForward",
    "lModelForward",
    "computeCost",
    "linearBackward",
    "linearActivationBackward",
    "lModelBackward",
    "updateParameters",
  ],
  "03_two_layer_model.ipynb": ["twoLayerModel"],
  "04_l_layer_model.ipynb": ["lLayerModel"],
};

interface Cell {
  cell_type: string;
  id?: string;
  source: string[];
  metadata: { nbgrader?: Record<string, unknown>; tags?: string[] };
}

function cellsOf(notebook: string): Cell[] {
  return JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", notebook))).cells;
}

const text = (cell: Cell) => cell.source.join("");

/** The lines between `// BEGIN SOLUTION` and `// END SOLUTION`, trimmed. */
function solutionLines(source: string): string[] {
  assert.ok(regionLines(source, MARKERS.solution) !== undefined, "a solution region");
  // The function's body: from the line that opens it (at the margin, ending with "{") to its
  // closing brace, the scaffold and the solution regions alike, without markers or comments.
  const lines = source.split("\n");
  const open = lines.findIndex((l) => /^\S.*\{$/.test(l)), close = lines.lastIndexOf("}");
  return lines.slice(open + 1, close).map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("//"));
}

/** The library's function `name`, from `export function name(` to its closing brace, trimmed lines. */
function libraryLines(name: string): string[] {
  for (const entry of Deno.readDirSync(join(ROOT, "lib"))) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const lines = Deno.readTextFileSync(join(ROOT, "lib", entry.name)).split("\n");
    const at = lines.findIndex((l) => new RegExp(`^export (async )?function ${name}\\b`).test(l));
    if (at < 0) continue;
    const end = lines.findIndex((l, i) => i > at && l === "}");
    return lines.slice(at + 1, end).map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("//"));
  }
  throw new Error(`no library function ${name}`);
}

/** A module of the notebook's import cells and exercise cells, with `edit` applied to one. */
async function solutionModule(
  notebook: string,
  edit?: { exercise: string; find: string; replace: string },
): Promise<Record<string, unknown>> {
  const cells = cellsOf(notebook);
  const parts = cells.filter((c) => c.cell_type === "code" && text(c).startsWith("import "))
    .map(text);
  for (const cell of cells.filter((c) => c.metadata.nbgrader?.solution)) {
    let source = text(cell);
    if (edit && cell.metadata.nbgrader?.grade_id === edit.exercise) {
      assert.equal(source.split(edit.find).length, 2, `"${edit.find}" once in ${edit.exercise}`);
      source = source.replace(edit.find, edit.replace);
    }
    parts.push(source);
  }
  parts.push(`export { ${EXERCISES[notebook].join(", ")} };`);
  const dir = await Deno.makeTempDir({ prefix: "exercises-" });
  const file = join(dir, "solutions.ts");
  await Deno.writeTextFile(file, parts.join("\n\n"));
  try {
    return await import(`file://${file}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("each exercise is a solution cell with its check cell right after, both with nbgrader metadata", () => {
  const gradeIds = new Set<string>();
  for (const [notebook, names] of Object.entries(EXERCISES)) {
    const cells = cellsOf(notebook);
    const solutions = cells.filter((c) => c.metadata.nbgrader?.solution);
    assert.deepEqual(solutions.map((c) => c.metadata.nbgrader?.grade_id), names, notebook);
    for (const name of names) {
      const at = cells.findIndex((c) => c.metadata.nbgrader?.grade_id === name);
      const [solution, check] = [cells[at], cells[at + 1]];
      assert.match(text(solution), new RegExp(`^(async )?function ${name}\\(`, "m"), name);
      assert.ok(solutionLines(text(solution)).length > 0, `${name}: solution`);
      assert.deepEqual(solution.metadata.nbgrader, {
        grade: false,
        grade_id: name,
        locked: false,
        schema_version: 3,
        solution: true,
        task: false,
      });
      assert.equal(
        text(check),
        `await checkExercise("${name}", ${name});\n// BEGIN HIDDEN TESTS\n` +
          `await checkOnRandomInputs("${name}", ${name});\n// END HIDDEN TESTS`,
        `${name}: check`,
      );
      assert.deepEqual(check.metadata.nbgrader, {
        grade: true,
        grade_id: `${name}-check`,
        locked: true,
        points: 1,
        schema_version: 3,
        solution: false,
        task: false,
      });
      assert.ok(cells[at - 1].cell_type === "markdown", `${name}: taught before`);
      for (const id of [name, `${name}-check`]) {
        assert.ok(!gradeIds.has(id), `grade_id ${id} used once`);
        gradeIds.add(id);
      }
    }
  }
  assert.equal(gradeIds.size, 28);
});

Deno.test("each solution is the library's own code: its body's lines, scaffold and solution, are the library function's, in order", () => {
  for (const [notebook, names] of Object.entries(EXERCISES)) {
    for (const name of names) {
      const cell = cellsOf(notebook).find((c) => c.metadata.nbgrader?.grade_id === name)!;
      const library = libraryLines(name);
      let at = 0;
      for (const line of solutionLines(text(cell))) {
        while (at < library.length && library[at] !== line) at++;
        assert.ok(
          at < library.length,
          `${notebook} ${name}: "${line}" is not in the library's, there`,
        );
        at++;
      }
    }
  }
});

Deno.test("each solution, run as the kernel runs it, passes its check and its hidden tests", async () => {
  for (const [notebook, names] of Object.entries(EXERCISES)) {
    const module = await solutionModule(notebook);
    for (const name of names) {
      const said: string[] = [];
      await checkExercise(name, module[name] as never, (line) => said.push(line));
      assert.match(said.at(-1)!, new RegExp(`^✔ ${name}: all tests passed`));
      await checkOnRandomInputs(name, module[name] as never, (line) => said.push(line));
      assert.match(said.at(-1)!, new RegExp(`^✔ ${name}: hidden tests passed`));
    }
  }
});

/** A plausible mistake in each exercise, and what its check must say. */
const MISTAKES: {
  exercise: ExerciseName;
  mistake: string;
  find: string;
  replace: string;
  says: RegExp;
}[] = [
  {
    exercise: "subtract",
    mistake: "the number subtracted the other way round",
    find: "c[i] = a[i] - B;",
    replace: "c[i] = B - a[i];",
    says: /^subtract: A - 0\.5\[0, 0\] differs: expected 1\.1243.*, got -1\.1243/,
  },
  {
    exercise: "subtract",
    mistake: "B added instead of subtracted",
    find: "c[i] = a[i] - b[i];",
    replace: "c[i] = a[i] + b[i];",
    says: /^subtract: A - B\[0, 0\] differs: expected -0\.1204.*, got 3\.369/,
  },
  {
    exercise: "addColumn",
    mistake: "b indexed by the column instead of the row",
    find: "const bi = b.data[i];",
    replace: "const bi = b.data[0];",
    says: /^addColumn: A \+ b\[1, 0\] differs: expected -2\.9113.*, got -1\.75/,
  },
  {
    exercise: "initializeParameters",
    mistake: "the weights not scaled by 0.01",
    find: "scale(rng.randn(nH, nX), 0.01)",
    replace: "rng.randn(nH, nX)",
    says:
      /^initializeParameters: parameters\.W1\[0, 0\] differs: expected 0\.0162.*, got 1\.62.* \(6 of 6 entries differ\)\. Hint: every entry is 100 times the expected: is the 1\/m \(or another factor\) missing\?$/,
  },
  {
    exercise: "initializeParameters",
    mistake: "W1 transposed",
    find: "scale(rng.randn(nH, nX), 0.01)",
    replace: "scale(rng.randn(nX, nH), 0.01)",
    says: /^initializeParameters: shape mismatch: parameters\.W1 is \(3, 2\), expected \(2, 3\)$/,
  },
  {
    exercise: "initializeParametersDeep",
    mistake: "the Step by Step's * 0.01 instead of / sqrt(n)",
    find: "divide(W, Math.sqrt(layersDims[l - 1]))",
    replace: "scale(W, 0.01)",
    says: /^initializeParametersDeep: parameters\.W1\[0, 0\] differs/,
  },
  {
    exercise: "linearForward",
    mistake: "b left out",
    find: "addColumn(matmul(W, APrev), b)",
    replace: "matmul(W, APrev)",
    says:
      /^linearForward: Z\[0, 0\] differs: expected 3\.26295337.*\(2 of 2 entries differ\)\. Hint: each row is off by the same amount in every column: is `\+ b` missing/,
  },
  {
    exercise: "linearActivationForward",
    mistake: "the wrong activation",
    find: '"sigmoid" ? sigmoid(Z) : relu(Z)',
    replace: '"sigmoid" ? relu(Z) : sigmoid(Z)',
    says: /^linearActivationForward: A with sigmoid\[0, 0\] differs/,
  },
  {
    exercise: "lModelForward",
    mistake: "ReLU on the output layer too",
    find: 'l < L ? "relu" : "sigmoid"',
    replace: '"relu"',
    says: /^lModelForward: AL\[0, 0\] differs: expected 0\.0392.*\(4 of 4 entries differ\)$/,
  },
  {
    exercise: "computeCost",
    mistake: "a missing 1/m",
    find: "(1 / m) * (-yLogA - notYLogNotA)",
    replace: "-yLogA - notYLogNotA",
    says:
      /^computeCost: cost for Y = \[\[1,1,0\]\] differs: expected 0\.2797765635793422, got 0\.83/,
  },
  {
    exercise: "computeCost",
    mistake: "a sign flipped",
    find: "(-yLogA - notYLogNotA)",
    replace: "(yLogA + notYLogNotA)",
    says:
      /^computeCost: cost for Y = \[\[1,1,0\]\] differs: expected 0\.2797765635793422, got -0\.27/,
  },
  {
    exercise: "linearBackward",
    mistake: "a missing 1/m in dW",
    find: "scaleInPlace(matmulTransB(dZ, APrev), 1 / m)",
    replace: "matmulTransB(dZ, APrev)",
    says: /^linearBackward: dW\[0, 0\] differs/,
  },
  {
    exercise: "linearBackward",
    mistake: "dAPrev from W instead of its transpose (a product of the wrong shape)",
    find: "matmulTransA(W, dZ)",
    replace: "matmulTransB(dZ, W)",
    says:
      /^linearBackward threw TypeError: matmulTransB: \(3, 4\) @ \(3, 5\)ᵀ: inner dimensions differ$/,
  },
  {
    exercise: "linearActivationBackward",
    mistake: "the backward step of the wrong activation",
    find: '"sigmoid" ? sigmoidBackward(dA, cache.Z) : reluBackward(dA, cache.Z)',
    replace: '"sigmoid" ? reluBackward(dA, cache.Z) : sigmoidBackward(dA, cache.Z)',
    says: /^linearActivationBackward: dAPrev with sigmoid\[0, 0\] differs/,
  },
  {
    exercise: "lModelBackward",
    mistake: "dAL with its sign flipped",
    find: "divide(oneMinus(Y), oneMinus(AL))), -1);",
    replace: "divide(oneMinus(Y), oneMinus(AL))), 1);",
    says: /^lModelBackward: grads\.dA1\[0, 0\] differs: expected 0\.129.*, got -0\.129/,
  },
  {
    exercise: "updateParameters",
    mistake: "a step up the gradient instead of down",
    find: "subtract(P, scale(dP, learningRate))",
    replace: "add(P, scale(dP, learningRate))",
    says: /^updateParameters: parameters\.W1\[0, 0\] differs: expected -0\.5956/,
  },
  {
    exercise: "twoLayerModel",
    mistake: "the wrong activation in the hidden layer",
    find: 'linearActivationForward(X, W1, b1, "relu")',
    replace: 'linearActivationForward(X, W1, b1, "sigmoid")',
    says:
      /^twoLayerModel: costs of the first 3 iterations\[0\] differs: expected 0\.693049735659989/,
  },
  {
    exercise: "lLayerModel",
    mistake: "the updated parameters never kept",
    find: "parameters = updateParameters(parameters, grads, learningRate);",
    replace: "updateParameters(parameters, grads, learningRate);",
    says: /^lLayerModel: costs of the first 3 iterations\[1\] differs: expected 0\.69799/,
  },
  // The rules the course's values do not show, which the public check states and checks.
  {
    exercise: "initializeParameters",
    mistake: "the seed option ignored",
    find: "const rng = new RandomState(seed);",
    replace: "const rng = new RandomState(1);",
    says:
      /^initializeParameters: with \{ seed: 3 \}, parameters\.W1\[0, 0\] differs: .*: the seed option must seed the RandomState$/,
  },
  {
    exercise: "initializeParametersDeep",
    mistake: "the seed option ignored",
    find: "const rng = new RandomState(seed);",
    replace: "const rng = new RandomState(1);",
    says: /^initializeParametersDeep: with \{ seed: 3 \}, parameters\.W1\[0, 0\] differs/,
  },
  {
    exercise: "linearBackward",
    mistake: "dAPrev computed when { dAPrev: false } asks for none",
    find: "const dAPrev = wanted ? matmulTransA(W, dZ) : undefined;",
    replace: "const dAPrev = matmulTransA(W, dZ);",
    says:
      /^linearBackward: with \{ dAPrev: false \}, dAPrev should be undefined \(the layer's input needs no gradient\), got a Matrix \(5, 4\)$/,
  },
  {
    exercise: "linearActivationBackward",
    mistake: "the options not passed on",
    find: "return linearBackward(dZ, cache.linear, options);",
    replace: "return linearBackward(dZ, cache.linear);",
    says:
      /^linearActivationBackward: with \{ dAPrev: false \}, dAPrev should be undefined \(pass the options on to linearBackward\)/,
  },
  {
    exercise: "lModelBackward",
    mistake: "dA0 kept, as the NumPy course does",
    find: "{ dAPrev: l > 1 }, // the input X needs no gradient",
    replace: "{},",
    says: /^lModelBackward: grads has dA0: dA0 is the gradient of the input X, which nothing uses/,
  },
  {
    exercise: "twoLayerModel",
    mistake: "onIteration never called",
    find: "await onIteration?.(i, cost, parameters);",
    replace: "",
    says:
      /^twoLayerModel: with \{ numIterations: 3, onIteration \}, onIteration was called 0 times: it must be called once per iteration/,
  },
  {
    exercise: "lLayerModel",
    mistake: "onIteration not given the parameters",
    find: "await onIteration?.(i, cost, parameters);",
    replace: "await onIteration?.(i, cost);",
    says:
      /^lLayerModel: onIteration's parameters at iteration 0\.W1 should be a Matrix, got undefined: pass onIteration the updated parameters/,
  },
  {
    exercise: "twoLayerModel",
    mistake: "the seed option not passed on",
    find: "initializeParameters(nX, nH, nY, options)",
    replace: "initializeParameters(nX, nH, nY)",
    says: /^twoLayerModel: with \{ seed: 4 \} on 8 random examples, costs\[0\] differs/,
  },
  {
    exercise: "lLayerModel",
    mistake: "the seed option not passed on",
    find: "initializeParametersDeep(layersDims, options)",
    replace: "initializeParametersDeep(layersDims)",
    says: /^lLayerModel: with \{ seed: 4 \} on 8 random examples, costs\[0\] differs/,
  },
];

for (const { exercise, mistake, find, replace, says } of MISTAKES) {
  Deno.test(`${exercise} with ${mistake}: its check and hidden tests fail, naming what differs`, async () => {
    const notebook = Object.keys(EXERCISES).find((n) => EXERCISES[n].includes(exercise))!;
    const module = await solutionModule(notebook, { exercise, find, replace });
    await assert.rejects(
      checkExercise(exercise, module[exercise] as never, () => {}),
      (e: Error) => {
        assert.equal(e.name, "ExerciseError");
        assert.match(e.message, says);
        return true;
      },
    );
    await assert.rejects(
      checkOnRandomInputs(exercise, module[exercise] as never, () => {}),
      (e: Error) => {
        assert.equal(e.name, "ExerciseError");
        assert.match(e.message, new RegExp(`^${exercise}.* \\(hidden tests, random inputs\\)$`));
        return true;
      },
    );
  });
}

Deno.test("the mistakes cover every exercise", () => {
  assert.deepEqual(
    new Set(MISTAKES.map((m) => m.exercise)),
    new Set(Object.values(EXERCISES).flat()),
  );
});

/** A fixture value at a path like `linearForward.expected.Z`. */
function at(fixture: unknown, path: string): unknown {
  return path.split(".").reduce((v, key) => (v as Record<string, unknown>)[key], fixture);
}

Deno.test("the checks expect what the course publishes beside its test cells", () => {
  const { cases } = JSON.parse(Deno.readTextFileSync(join(ROOT, "lib", "exercise_cases.json")));
  // Printed by the course's notebooks, to 8 decimals (np.set_printoptions' default).
  const published: Record<string, number[][]> = {
    "initializeParameters.expected.W1": [
      [0.01624345, -0.00611756, -0.00528172],
      [-0.01072969, 0.00865408, -0.02301539],
    ],
    "initializeParameters.expected.W2": [[0.01744812, -0.00761207]],
    "linearForward.expected.Z": [[3.26295337, -1.23429987]],
    "linearActivationForward.expected.sigmoid.A": [[0.96890023, 0.11013289]],
    "linearActivationForward.expected.relu.A": [[3.43896131, 0]],
    "lModelForward.expected.AL": [[0.03921668, 0.70498921, 0.19734387, 0.04728177]],
    "linearBackward.expected.db": [[-0.14713786], [-0.11313155], [-0.13209101]],
    "linearBackward.expected.dW": [
      [0.07313866, -0.0976715, -0.87585828, 0.73763362, 0.00785716],
      [0.85508818, 0.37530413, -0.59912655, 0.71278189, -0.58931808],
      [0.97913304, -0.24376494, -0.08839671, 0.55151192, -0.10290907],
    ],
    "linearActivationBackward.expected.sigmoid.dAPrev": [
      [0.11017994, 0.01105339],
      [0.09466817, 0.00949723],
      [-0.05743092, -0.00576154],
    ],
    "linearActivationBackward.expected.sigmoid.dW": [[0.10266786, 0.09778551, -0.01968084]],
    "linearActivationBackward.expected.sigmoid.db": [[-0.05729622]],
    "linearActivationBackward.expected.relu.dAPrev": [
      [0.44090989, 0],
      [0.37883606, 0],
      [-0.2298228, 0],
    ],
    "linearActivationBackward.expected.relu.dW": [[0.44513824, 0.37371418, -0.10478989]],
    "linearActivationBackward.expected.relu.db": [[-0.20837892]],
    "lModelBackward.expected.dW1": [
      [0.41010002, 0.07807203, 0.13798444, 0.10502167],
      [0, 0, 0, 0],
      [0.05283652, 0.01005865, 0.01777766, 0.0135308],
    ],
    "lModelBackward.expected.db1": [[-0.22007063], [0], [-0.02835349]],
    "lModelBackward.expected.dA1": [
      [0.12913162, -0.44014127],
      [-0.14175655, 0.48317296],
      [0.01663708, -0.05670698],
    ],
    "updateParameters.expected.W1": [
      [-0.59562069, -0.09991781, -2.14584584, 1.82662008],
      [-1.76569676, -0.80627147, 0.51115557, -1.18258802],
      [-1.0535704, -0.86128581, 0.68284052, 2.20374577],
    ],
    "updateParameters.expected.b1": [[-0.04659241], [-1.28888275], [0.53405496]],
    "updateParameters.expected.W2": [[-0.55569196, 0.0354055, 1.32964895]],
    "updateParameters.expected.b2": [[-0.84610769]],
  };
  for (const [path, rows] of Object.entries(published)) {
    const ours = at(cases, path) as number[][];
    assert.deepEqual([ours.length, ours[0].length], [rows.length, rows[0].length], path);
    rows.forEach((row, i) =>
      row.forEach((v, j) => {
        // Rounded to 8 decimals: half a unit of the 8th.
        assert.ok(Math.abs(ours[i][j] - v) <= 5e-9 + 1e-15, `${path}[${i}, ${j}] ${ours[i][j]}`);
      })
    );
  }
  // Printed in full: the cost of the test case, in today's edition and the older one, and the
  // first cost of each model on the course's training set.
  const close = (a: number, b: number) => Math.abs(a - b) <= 4e-16 * Math.abs(b);
  assert.ok(close(cases.computeCost[0].expected.cost, 0.2797765635793422));
  assert.ok(close(cases.computeCost[1].expected.cost, 0.41493159961539694));
  assert.ok(close(cases.twoLayerModel.expected.costs[0], 0.693049735659989));
  assert.ok(close(cases.lLayerModel.expected.costs[0], 0.7717493284237686));
});

Deno.test("lib/exercise_cases.json is what the NumPy script writes from the course's files", async () => {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [join(ROOT, "tests/reference/make_exercise_cases.py"), courseDataDir()],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const fresh = JSON.parse(new TextDecoder().decode(out.stdout));
  const committed = JSON.parse(Deno.readTextFileSync(join(ROOT, "lib", "exercise_cases.json")));
  // The same numbers, but for the BLAS of this machine's NumPy summing in another order: the
  // products of the test cases are of a handful of terms, the model costs of 12288 x 209.
  const compare = (a: unknown, b: unknown, path: string): void => {
    if (typeof b === "number") {
      assert.ok(Math.abs((a as number) - b) <= 1e-12 * Math.abs(b) + 1e-15, `${path}: ${a} ${b}`);
    } else if (Array.isArray(b)) {
      assert.equal((a as unknown[]).length, b.length, path);
      b.forEach((v, i) => compare((a as unknown[])[i], v, `${path}[${i}]`));
    } else if (b !== null && typeof b === "object") {
      assert.deepEqual(Object.keys(a as object).sort(), Object.keys(b).sort(), path);
      for (const [k, v] of Object.entries(b)) {
        compare((a as Record<string, unknown>)[k], v, `${path}.${k}`);
      }
    } else {
      assert.equal(a, b, path);
    }
  };
  compare(fresh.cases, committed.cases, "cases");
});

Deno.test("in the real kernel, a mistake stops the notebook at its exercise's check, with the message", async () => {
  const notebook = JSON.parse(
    Deno.readTextFileSync(join(ROOT, "notebooks", "02_building_blocks.ipynb")),
  );
  const cell = notebook.cells.find((c: Cell) => c.id === "linearBackward");
  const find = "scaleInPlace(matmulTransB(dZ, APrev), 1 / m)";
  assert.ok(text(cell).includes(find));
  cell.source = [text(cell).replace(find, "matmulTransB(dZ, APrev)")];
  // Beside the others, so that the kernel finds the import map (ignored by git: *.tmp-*).
  const name = `02_building_blocks.tmp-${crypto.randomUUID().slice(0, 8)}.ipynb`;
  const dir = await Deno.makeTempDir({ prefix: "mistake-" });
  await Deno.writeTextFile(join(ROOT, "notebooks", name), JSON.stringify(notebook));
  try {
    const run = await executeNotebook(name, join(dir, "executed.ipynb"), {});
    assert.equal(run.success, false);
    assert.match(
      run.stderr,
      /ExerciseError: linearBackward: dW\[0, 0\] differs:\s+expected 0\.07313866/,
    );
    const executed = JSON.parse(await Deno.readTextFile(join(dir, "executed.ipynb")));
    const check = executed.cells.find((c: Cell) => c.id === "linearBackward-check");
    const printed = JSON.stringify(check.outputs);
    assert.match(printed, /dW expected \[\[0\.07313866/, "the check printed what was expected");
    assert.match(printed, /ExerciseError/, "and failed");
    // One message: no stack of the library's internals, no path of the machine's.
    const [error] = check.outputs.filter((o: { output_type: string }) => o.output_type === "error");
    assert.match(error.evalue, /^linearBackward: dW\[0, 0\] differs: expected 0\.07313866/);
    const traceback = error.traceback.join("\n");
    assert.doesNotMatch(traceback, /exercises\.ts|file:\/\/|\/lib\//, traceback);
    // The checks before it passed.
    const before = executed.cells.find((c: Cell) => c.id === "computeCost-check");
    assert.match(JSON.stringify(before.outputs), /✔ computeCost: all tests passed/);
  } finally {
    await Deno.remove(join(ROOT, "notebooks", name)).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failed check is shown in lines of at most 70 characters, cut at spaces; its message stays one line", async () => {
  const noB = (APrev: Matrix, W: Matrix, b: Matrix) => {
    const [, cache] = lib.linearForward(APrev, W, b);
    return [lib.matmul(W, APrev), cache] as [Matrix, typeof cache];
  };
  const error = await checkExercise("linearForward", noB, () => {}).catch((e) => e);
  assert.ok(error instanceof ExerciseError);
  const lines = error.stack!.split("\n");
  assert.ok(lines.length >= 3, error.stack);
  assert.match(lines[0], /^ExerciseError: linearForward: Z\[0, 0\] differs:$/);
  assert.ok(lines.some((l) => /^ {2}Hint: /.test(l)), error.stack);
  for (const line of lines) assert.ok(line.length <= 70, `${line.length}: ${line}`);
  // The same words, in the same order: only spaces became line breaks.
  assert.equal(lines.map((l) => l.trim()).join(" "), `ExerciseError: ${error.message}`);
  assert.doesNotMatch(error.message, /\n/);
});
