import assert from "node:assert/strict";
import { fromNumPy, readFixture } from "../tests/numpy_fixtures.ts";
import { computeCost } from "./cost.ts";
import { Matrix } from "./matrix.ts";

const fx = readFixture("numpy_unit.json");
const inputs = fx.inputs as Record<string, unknown>;

Deno.test("computeCost() matches NumPy's compute_cost", () => {
  const cost = computeCost(fromNumPy(inputs.AL), fromNumPy(inputs.Y));
  // A sum of 8 logs: a few ulps of difference in order and in log itself.
  assert.ok(Math.abs(cost - (fx.cost as number)) <= 1e-14 * (fx.cost as number));
});

Deno.test("computeCost() is ln 2 for a prediction of 0.5, whatever the labels", () => {
  const cost = computeCost(Matrix.from([[0.5, 0.5, 0.5]]), Matrix.from([[1, 0, 1]]));
  assert.ok(Math.abs(cost - Math.LN2) < 1e-15);
});

Deno.test("computeCost() is infinite for a confident wrong prediction", () => {
  assert.equal(computeCost(Matrix.from([[1]]), Matrix.from([[0]])), Infinity);
});

Deno.test("computeCost() throws if AL and Y are not both (1, m)", () => {
  assert.throws(
    () => computeCost(new Matrix(1, 3), new Matrix(1, 4)),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "computeCost: AL (1, 3) and Y (1, 4) must both be (1, m) with the same m",
  );
  assert.throws(() => computeCost(new Matrix(2, 3), new Matrix(2, 3)), /AL \(2, 3\)/);
});
