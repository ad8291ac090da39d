import assert from "node:assert/strict";
import { notebookParameters } from "./parameters.ts";

function withEnv(vars: Record<string, string>, f: () => void): void {
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  try {
    f();
  } finally {
    for (const k of Object.keys(vars)) Deno.env.delete(k);
  }
}

Deno.test("notebookParameters() keeps the defaults when nothing is set", () => {
  const defaults = { numIterations: 2500, layersDims: [12288, 20, 7, 5, 1], dataDir: "../data" };
  assert.deepEqual(notebookParameters(defaults), defaults);
});

Deno.test("notebookParameters() reads DNN_ variables by each knob's type", () => {
  withEnv(
    { DNN_NUM_ITERATIONS: "300", DNN_LAYERS_DIMS: "12288, 7,1", DNN_DATA_DIR: "/cats" },
    () => {
      assert.deepEqual(
        notebookParameters({
          numIterations: 2500,
          layersDims: [12288, 20, 7, 5, 1],
          dataDir: "../data",
        }),
        { numIterations: 300, layersDims: [12288, 7, 1], dataDir: "/cats" },
      );
    },
  );
});

Deno.test("notebookParameters() names a variable that is not a number", () => {
  withEnv({ DNN_NUM_ITERATIONS: "many" }, () => {
    assert.throws(
      () => notebookParameters({ numIterations: 1 }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          'Cannot use DNN_NUM_ITERATIONS as it must be a number or numbers separated by commas: "many"',
    );
  });
  withEnv({ DNN_LAYERS_DIMS: "12288,,1" }, () => {
    assert.throws(() => notebookParameters({ layersDims: [1] }), /DNN_LAYERS_DIMS/);
  });
});
