import assert from "node:assert/strict";
import { notebookParameters } from "./parameters.ts";

Deno.test("notebookParameters() keeps the defaults when nothing is set, and says they are the cell's", () => {
  const defaults = { numIterations: 2500, layersDims: [12288, 20, 7, 5, 1], dataDir: "../data" };
  const said: string[] = [];
  const say = (line: string) => void said.push(line);
  assert.deepEqual(notebookParameters(defaults, {}, say), defaults);
  assert.deepEqual(said, [
    "numIterations = 2500, from this cell",
    "layersDims = [12288, 20, 7, 5, 1], from this cell",
    'dataDir = "../data", from this cell',
  ]);
  said.length = 0;
  assert.deepEqual(notebookParameters(defaults, { DNN_NUM_ITERATIONS: "" }, say), defaults);
  assert.equal(said[0], "numIterations = 2500, from this cell", "an empty variable is not set");
});

Deno.test("notebookParameters() reads DNN_ variables by each knob's type, and says each", () => {
  const env = { DNN_NUM_ITERATIONS: "300", DNN_LAYERS_DIMS: "12288, 7,1", DNN_DATA_DIR: "/cats" };
  const said: string[] = [];
  assert.deepEqual(
    notebookParameters(
      {
        numIterations: 2500,
        layersDims: [12288, 20, 7, 5, 1],
        dataDir: "../data",
        learningRate: 0.0075,
      },
      env,
      (line) => said.push(line),
    ),
    { numIterations: 300, layersDims: [12288, 7, 1], dataDir: "/cats", learningRate: 0.0075 },
  );
  assert.deepEqual(said, [
    "numIterations = 300, from DNN_NUM_ITERATIONS (the cell says 2500)",
    "layersDims = [12288, 7, 1], from DNN_LAYERS_DIMS (the cell says [12288, 20, 7, 5, 1])",
    'dataDir = "/cats", from DNN_DATA_DIR (the cell says "../data")',
    "learningRate = 0.0075, from this cell",
  ]);
});

Deno.test("notebookParameters() reads the process's environment by default", () => {
  const name = "DNN_PROBE_DEFAULT_ENVIRONMENT"; // read by no other code
  Deno.env.set(name, "7");
  try {
    assert.deepEqual(notebookParameters({ probeDefaultEnvironment: 1 }, undefined, () => {}), {
      probeDefaultEnvironment: 7,
    });
  } finally {
    Deno.env.delete(name);
  }
});

Deno.test("notebookParameters() names a variable that is not a number", () => {
  assert.throws(
    () => notebookParameters({ numIterations: 1 }, { DNN_NUM_ITERATIONS: "many" }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        'Cannot use DNN_NUM_ITERATIONS as it must be a number or numbers separated by commas: "many"',
  );
  assert.throws(
    () => notebookParameters({ layersDims: [1] }, { DNN_LAYERS_DIMS: "12288,,1" }),
    /DNN_LAYERS_DIMS/,
  );
});
