import assert from "node:assert/strict";
import { assertClose, fromNumPy, readFixture } from "../tests/numpy_fixtures.ts";
import { layerCount, linearActivationForward, linearForward, lModelForward } from "./forward.ts";
import { initializeParametersDeep } from "./initialization.ts";
import { Matrix } from "./matrix.ts";

const fx = readFixture("numpy_unit.json");
const inputs = fx.inputs as Record<string, unknown>;
const APrev = fromNumPy(inputs.A_prev), W = fromNumPy(inputs.W), b = fromNumPy(inputs.b);

Deno.test("linearForward() matches NumPy's W @ A + b and caches its inputs", () => {
  const [Z, cache] = linearForward(APrev, W, b);
  assertClose(Z, fx.Z_linear, { what: "Z" });
  assert.equal(cache.APrev, APrev);
  assert.equal(cache.W, W);
  assert.equal(cache.b, b);
});

Deno.test("linearForward() throws naming the shapes that do not fit", () => {
  assert.throws(
    () => linearForward(new Matrix(4, 2), new Matrix(3, 5), new Matrix(3, 1)),
    (e: Error) =>
      e instanceof TypeError &&
      e.message ===
        "linearForward: W (3, 5), APrev (4, 2) and b (3, 1) do not fit: W must be (n, 4) and b (3, 1)",
  );
  assert.throws(() => linearForward(APrev, W, new Matrix(2, 1)), /b \(2, 1\)/);
});

Deno.test("linearActivationForward() matches NumPy for relu and sigmoid", () => {
  const [A, cache] = linearActivationForward(APrev, W, b, "relu");
  assertClose(A, fx.linear_forward_relu, { what: "relu layer" });
  assertClose(cache.Z, fx.Z_linear, { what: "Z" });
  assertClose(linearActivationForward(APrev, W, b, "sigmoid")[0], fx.linear_forward_sigmoid, {
    what: "sigmoid layer",
  });
});

Deno.test("lModelForward() matches NumPy's L_model_forward on a 3-layer network", () => {
  const parameters = initializeParametersDeep(inputs.layers_dims as number[]);
  const [AL, caches] = lModelForward(fromNumPy(inputs.X), parameters);
  assertClose(AL, fx.L_model_forward_AL, { what: "AL" });
  assert.equal(caches.length, 3);
  assert.deepEqual(caches.map((c) => c.Z.shape), [[4, 4], [3, 4], [1, 4]]);
});

Deno.test("lModelForward() works with a single example (m = 1)", () => {
  const parameters = initializeParametersDeep([2, 1]);
  const [AL] = lModelForward(Matrix.from([[1], [2]]), parameters);
  const z = parameters.W1.get(0, 0) + 2 * parameters.W1.get(0, 1);
  assert.ok(Math.abs(AL.get(0, 0) - 1 / (1 + Math.exp(-z))) < 1e-15);
});

Deno.test("layerCount() counts the layers and names what is missing", () => {
  assert.equal(layerCount(initializeParametersDeep([3, 2, 2, 1])), 3);
  assert.throws(() => layerCount({}), /W1 is missing/);
  assert.throws(() => layerCount({ W1: new Matrix(1, 1) }), /b1 is missing/);
});
