import assert from "node:assert/strict";
import { assertClose, fromNumPy, readFixture } from "../tests/numpy_fixtures.ts";
import { relu, reluBackward, sigmoid, sigmoidBackward } from "./activations.ts";
import { Matrix } from "./matrix.ts";

const fx = readFixture("numpy_unit.json");
const inputs = fx.inputs as Record<string, unknown>;
const Z = fromNumPy(inputs.Z), dA = fromNumPy(inputs.dA);

Deno.test("sigmoid() matches NumPy and returns Z as its cache", () => {
  const [A, cache] = sigmoid(Z);
  assertClose(A, fx.sigmoid, { what: "sigmoid(Z)" });
  assert.equal(cache, Z);
});

Deno.test("sigmoid() saturates to 0 and 1 without NaN", () => {
  const [A] = sigmoid(Matrix.from([[-1000, 1000]]));
  assert.deepEqual(A.toArray(), [[0, 1]]);
});

Deno.test("relu() matches NumPy, zero for Z <= 0", () => {
  const [A, cache] = relu(Z);
  assertClose(A, fx.relu, { rtol: 0, atol: 0, what: "relu(Z)" });
  assert.equal(cache, Z);
  assert.deepEqual(relu(Matrix.from([[0, -0.5, 0.5]]))[0].toArray(), [[0, 0, 0.5]]);
});

Deno.test("sigmoidBackward() matches NumPy and centred differences", () => {
  assertClose(sigmoidBackward(dA, Z), fx.sigmoid_backward, { what: "sigmoidBackward" });
  // dZ = dA * s'(Z); s'(z) by centred differences has error O(h^2) ~ 1e-10.
  const h = 1e-5;
  const dZ = sigmoidBackward(new Matrix(1, 1, new Float64Array([1])), Matrix.from([[0.3]]));
  const s = (z: number) => 1 / (1 + Math.exp(-z));
  assert.ok(Math.abs(dZ.get(0, 0) - (s(0.3 + h) - s(0.3 - h)) / (2 * h)) < 1e-9);
});

Deno.test("reluBackward() matches NumPy: dA where Z > 0, else 0", () => {
  assertClose(reluBackward(dA, Z), fx.relu_backward, { rtol: 0, atol: 0, what: "reluBackward" });
});

Deno.test("sigmoidBackward() and reluBackward() throw naming both shapes", () => {
  for (const f of [sigmoidBackward, reluBackward]) {
    assert.throws(
      () => f(new Matrix(3, 4), new Matrix(4, 3)),
      (e: Error) =>
        e instanceof TypeError && e.message === `${f.name}: dA (3, 4) and Z (4, 3): shapes differ`,
    );
  }
});
