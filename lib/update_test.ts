import assert from "node:assert/strict";
import { assertClose, fromNumPy, readFixture } from "../tests/numpy_fixtures.ts";
import { lModelBackward } from "./backward.ts";
import { lModelForward } from "./forward.ts";
import { initializeParametersDeep } from "./initialization.ts";
import { Matrix } from "./matrix.ts";
import { updateParameters } from "./update.ts";

const fx = readFixture("numpy_unit.json");
const inputs = fx.inputs as Record<string, unknown>;

Deno.test("updateParameters() matches NumPy's update_parameters and leaves its input alone", () => {
  const parameters = initializeParametersDeep(inputs.layers_dims as number[]);
  const before = structuredClone(parameters.W1.data);
  const [AL, caches] = lModelForward(fromNumPy(inputs.X), parameters);
  const updated = updateParameters(
    parameters,
    lModelBackward(AL, fromNumPy(inputs.Y), caches),
    0.1,
  );
  const expected = fx["update_parameters_0.1"] as Record<string, unknown>;
  for (const k of Object.keys(expected)) assertClose(updated[k], expected[k], { what: k });
  assert.deepEqual(parameters.W1.data, before);
});

Deno.test("updateParameters() throws naming a missing or misshapen gradient", () => {
  const parameters = { W1: new Matrix(2, 3), b1: new Matrix(2, 1) };
  assert.throws(
    () => updateParameters(parameters, { dW1: new Matrix(3, 2), db1: new Matrix(2, 1) }, 0.1),
    (e: Error) =>
      e instanceof TypeError && e.message === "updateParameters: dW1 (3, 2) must match W1 (2, 3)",
  );
  assert.throws(
    () => updateParameters(parameters, { dW1: new Matrix(2, 3) }, 0.1),
    (e: Error) => e instanceof TypeError && e.message === "updateParameters: db1 is missing",
  );
});

Deno.test("updateParameters() leaves the given parameters as they were", () => {
  const parameters = { W1: Matrix.from([[1, 2]]), b1: Matrix.from([[3]]) };
  const grads = { dW1: Matrix.from([[10, 20]]), db1: Matrix.from([[30]]) };
  const updated = updateParameters(parameters, grads, 0.5);
  assert.notEqual(updated.W1, parameters.W1);
  assert.deepEqual(parameters.W1.toArray(), [[1, 2]]);
  assert.deepEqual(parameters.b1.toArray(), [[3]]);
  assert.deepEqual(grads.dW1.toArray(), [[10, 20]]);
  assert.deepEqual(updated.W1.toArray(), [[1 - 0.5 * 10, 2 - 0.5 * 20]]);
});
