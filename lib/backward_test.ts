import assert from "node:assert/strict";
import { assertClose, fromNumPy, readFixture } from "../tests/numpy_fixtures.ts";
import {
  costGradient,
  linearActivationBackward,
  linearBackward,
  lModelBackward,
} from "./backward.ts";
import { computeCost } from "./cost.ts";
import { linearActivationForward, lModelForward } from "./forward.ts";
import { initializeParametersDeep, type Parameters } from "./initialization.ts";
import { Matrix } from "./matrix.ts";
import { RandomState } from "./random.ts";

const fx = readFixture("numpy_unit.json");
const inputs = fx.inputs as Record<string, unknown>;

Deno.test("linearBackward() matches NumPy's linear_backward", () => {
  const cache = { APrev: fromNumPy(inputs.A_prev), W: fromNumPy(inputs.W), b: fromNumPy(inputs.b) };
  const expected = fx.linear_backward as Record<string, unknown>;
  const [dAPrev, dW, db] = linearBackward(fromNumPy(fx.relu_backward), cache);
  assertClose(dAPrev!, expected.dA_prev, { what: "dAPrev" });
  assertClose(dW, expected.dW, { what: "dW" });
  assertClose(db, expected.db, { what: "db" });
});

Deno.test("linearBackward() skips dAPrev when asked, with the same dW and db", () => {
  const cache = { APrev: fromNumPy(inputs.A_prev), W: fromNumPy(inputs.W), b: fromNumPy(inputs.b) };
  const dZ = fromNumPy(fx.relu_backward);
  const [none, dW, db] = linearBackward(dZ, cache, { dAPrev: false });
  const [, dW2, db2] = linearBackward(dZ, cache);
  assert.equal(none, undefined);
  assert.deepEqual([dW, db], [dW2, db2]);
});

Deno.test("linearBackward() throws if dZ does not have Z's shape", () => {
  const cache = { APrev: new Matrix(5, 4), W: new Matrix(3, 5), b: new Matrix(3, 1) };
  assert.throws(
    () => linearBackward(new Matrix(3, 5), cache),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "linearBackward: dZ (3, 5) must have the shape of Z, (3, 4)",
  );
});

Deno.test("linearActivationBackward() goes through the activation, then the linear step", () => {
  const APrev = fromNumPy(inputs.A_prev), W = fromNumPy(inputs.W), b = fromNumPy(inputs.b);
  const [, cache] = linearActivationForward(APrev, W, b, "relu");
  // dZ = dA where this layer's Z > 0, written out by hand.
  const dA = fromNumPy(inputs.dA);
  const [dAPrev, dW] = linearActivationBackward(dA, cache, "relu");
  const dZ = new Matrix(3, 4);
  for (let i = 0; i < 12; i++) dZ.data[i] = cache.Z.data[i] > 0 ? dA.data[i] : 0;
  const [dAPrev2, dW2] = linearBackward(dZ, cache.linear);
  assert.deepEqual([dAPrev, dW], [dAPrev2, dW2]);
});

Deno.test("costGradient() matches NumPy's dAL", () => {
  assertClose(costGradient(fromNumPy(inputs.AL), fromNumPy(inputs.Y)), fx.dAL, { what: "dAL" });
});

Deno.test("lModelBackward() matches NumPy's L_model_backward and leaves out dA0", () => {
  const parameters = initializeParametersDeep(inputs.layers_dims as number[]);
  const [AL, caches] = lModelForward(fromNumPy(inputs.X), parameters);
  const grads = lModelBackward(AL, fromNumPy(inputs.Y), caches);
  const expected = fx.L_model_backward as Record<string, unknown>;
  assert.deepEqual(Object.keys(grads).sort(), Object.keys(expected).sort());
  for (const k of Object.keys(expected)) assertClose(grads[k], expected[k], { what: k });
});

/** The cost of a network as a function of its parameters, for finite differences. */
function cost(X: Matrix, Y: Matrix, parameters: Parameters): number {
  return computeCost(lModelForward(X, parameters)[0], Y);
}

/**
 * The course's gradient check: ||grad - approx|| / (||grad|| + ||approx||) over all
 * parameters, with approx from centred differences of step eps.
 */
function gradientCheck(layersDims: number[], m: number, seed: number): number {
  const rng = new RandomState(seed);
  const X = rng.randn(layersDims[0], m);
  const Y = new Matrix(1, m);
  for (let j = 0; j < m; j++) Y.data[j] = rng.random() < 0.5 ? 1 : 0;
  // Larger weights than the initialiser's so that every layer's gradient is far from 0.
  const parameters = initializeParametersDeep(layersDims, { seed });
  for (const P of Object.values(parameters)) {
    for (let i = 0; i < P.data.length; i++) P.data[i] += 0.3 * rng.gauss();
  }
  const [AL, caches] = lModelForward(X, parameters);
  const grads = lModelBackward(AL, Y, caches);
  const eps = 1e-7;
  let diff = 0, normGrad = 0, normApprox = 0;
  for (const [name, P] of Object.entries(parameters)) {
    for (let i = 0; i < P.data.length; i++) {
      const keep = P.data[i];
      P.data[i] = keep + eps;
      const plus = cost(X, Y, parameters);
      P.data[i] = keep - eps;
      const minus = cost(X, Y, parameters);
      P.data[i] = keep;
      const approx = (plus - minus) / (2 * eps);
      const grad = grads[`d${name}`].data[i];
      diff += (grad - approx) ** 2;
      normGrad += grad ** 2;
      normApprox += approx ** 2;
    }
  }
  return Math.sqrt(diff) / (Math.sqrt(normGrad) + Math.sqrt(normApprox));
}

// Centred differences have truncation error O(eps^2) = 1e-14 and rounding error about
// 1e-16 / eps = 1e-9 on each derivative: a correct backward pass lands near 1e-9, a wrong
// one (a missing 1/m, a transposed product, a wrong activation derivative) near 1e-1.
for (
  const [layersDims, m, seed] of [
    [[4, 5, 3, 1], 6, 1], // ReLU hidden layers and a sigmoid output
    [[3, 4, 1], 5, 2], // the two-layer shape
    [[5, 1], 7, 3], // sigmoid only: logistic regression
    [[2, 3, 3, 2, 1], 1, 4], // one example (m = 1)
  ] as const
) {
  Deno.test(`lModelBackward() agrees with centred differences on [${layersDims}], m = ${m}`, () => {
    const difference = gradientCheck([...layersDims], m, seed);
    console.log(`relative difference ${difference.toExponential(2)}`);
    assert.ok(difference < 1e-7, `relative difference ${difference}`);
  });
}

Deno.test("the gradient check catches a wrong gradient", () => {
  // Teeth for the test above: the same check on a deliberately wrong dW1 fails.
  const rng = new RandomState(9);
  const X = rng.randn(3, 4), Y = Matrix.from([[1, 0, 1, 0]]);
  const parameters = initializeParametersDeep([3, 2, 1]);
  const [AL, caches] = lModelForward(X, parameters);
  const grads = lModelBackward(AL, Y, caches);
  const P = parameters.W1, eps = 1e-7;
  P.data[0] += eps;
  const plus = cost(X, Y, parameters);
  P.data[0] -= 2 * eps;
  const minus = cost(X, Y, parameters);
  P.data[0] += eps;
  const approx = (plus - minus) / (2 * eps);
  assert.ok(Math.abs(grads.dW1.data[0] - approx) < 1e-8);
  assert.ok(Math.abs(2 * grads.dW1.data[0] - approx) > 1e-4); // a factor-2 bug would show
});
