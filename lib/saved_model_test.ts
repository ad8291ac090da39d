import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { ROOT } from "../tests/helpers.ts";
import { DataError } from "./errors.ts";
import { saveParameters } from "./hdf5.ts";
import { initializeParametersDeep, type Parameters } from "./initialization.ts";
import { Matrix } from "./matrix.ts";
import { lLayerModel } from "./models.ts";
import { RandomState } from "./random.ts";
import { loadOrTrain } from "./saved_model.ts";

// A tiny dataset, so that training here takes milliseconds: X (5, 8), Y (1, 8).
const X = new RandomState(3).randn(5, 8);
const Y = Matrix.from([[0, 1, 1, 0, 1, 0, 0, 1]]);

const arrays = (parameters: Parameters) =>
  Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v.toArray()]));

/** Runs `fn` with a fresh folder, removed afterwards. */
async function inFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dnn-saved-model-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadOrTrain() loads the saved parameters when the file holds the sizes asked for", async () => {
  await inFolder(async (dir) => {
    const file = join(dir, "params_deep.h5");
    const saved = initializeParametersDeep([5, 4, 3, 1], { seed: 42 });
    await saveParameters(file, saved, [5, 4, 3, 1]);
    const said: string[] = [];
    const parameters = await loadOrTrain(file, X, Y, [5, 4, 3, 1], {
      numIterations: 10,
      say: (line) => said.push(line),
    });
    assert.deepEqual(arrays(parameters), arrays(saved)); // not trained: seed 42's values
    assert.deepEqual(said, [`loaded ${file}: layersDims [5,4,3,1]`]);
  });
});

Deno.test("loadOrTrain() refuses a saved model of other sizes, saying what to do, and leaves it", async () => {
  await inFolder(async (dir) => {
    const file = join(dir, "params_deep.h5");
    await saveParameters(file, initializeParametersDeep([5, 2, 1]), [5, 2, 1]);
    const before = await Deno.readFile(file);
    const said: string[] = [];
    await assert.rejects(
      loadOrTrain(file, X, Y, [5, 4, 3, 1], { say: (line) => said.push(line) }),
      new Error(
        `${file} holds a [5,2,1] model, not [5,4,3,1]: ` +
          "set layersDims to [5,2,1], or train [5,4,3,1] in notebook 4",
      ),
    );
    assert.deepEqual(said, []);
    assert.deepEqual(await Deno.readFile(file), before);
  });
});

Deno.test("loadOrTrain() trains the L-layer model here when the file is missing, printing no cost", async () => {
  await inFolder(async (dir) => {
    const file = join(dir, "params_deep.h5");
    const said: string[] = [];
    const parameters = await loadOrTrain(file, X, Y, [5, 3, 1], {
      numIterations: 20,
      learningRate: 0.1,
      say: (line) => said.push(line),
    });
    const expected = await lLayerModel(X, Y, [5, 3, 1], { numIterations: 20, learningRate: 0.1 });
    assert.deepEqual(arrays(parameters), arrays(expected.parameters));
    assert.deepEqual(said, [`${file} not found: training [5,3,1] here`]);
    await assert.rejects(Deno.stat(file), Deno.errors.NotFound, "nothing is saved");
  });
});

Deno.test("loadOrTrain() passes printEvery and the model's options on to the training", async () => {
  await inFolder(async (dir) => {
    const said: string[] = [];
    const parameters = await loadOrTrain(join(dir, "p.h5"), X, Y, [5, 2, 1], {
      numIterations: 10,
      printEvery: 5,
      seed: 2,
      say: (line) => said.push(line),
    });
    assert.deepEqual(said.slice(1).map((l) => l.replace(/: .*/, "")), [
      "Cost after iteration 0",
      "Cost after iteration 5",
      "Cost after iteration 9",
    ]);
    const expected = await lLayerModel(X, Y, [5, 2, 1], { numIterations: 10, seed: 2 });
    assert.deepEqual(arrays(parameters), arrays(expected.parameters));
  });
});

Deno.test("loadOrTrain() reports a damaged file, naming it, rather than training over it", async () => {
  await inFolder(async (dir) => {
    const file = join(dir, "params_deep.h5");
    await Deno.writeTextFile(file, "not HDF5 at all");
    await assert.rejects(
      loadOrTrain(file, X, Y, [5, 3, 1], { numIterations: 5, say: () => {} }),
      (e) =>
        e instanceof DataError && e.file === file && /not a readable HDF5 file/.test(e.message),
    );
  });
});

Deno.test("loadOrTrain() names a file inside the project by its path from the current folder", async () => {
  await Deno.mkdir(join(ROOT, "out"), { recursive: true });
  const dir = await Deno.makeTempDir({ dir: join(ROOT, "out"), prefix: "saved-model-test-" });
  try {
    const file = join(dir, "params_deep.h5");
    await saveParameters(file, initializeParametersDeep([5, 1]), [5, 1]);
    const said: string[] = [];
    await loadOrTrain(file, X, Y, [5, 1], { say: (line) => said.push(line) });
    assert.deepEqual(said, [`loaded ${relative(Deno.cwd(), file)}: layersDims [5,1]`]);
    await assert.rejects(
      loadOrTrain(file, X, Y, [5, 2, 1]),
      (e: Error) => e.message.startsWith(`${relative(Deno.cwd(), file)} holds a [5,1] model`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
