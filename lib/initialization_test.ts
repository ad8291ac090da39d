import assert from "node:assert/strict";
import { assertClose, readFixture } from "../tests/numpy_fixtures.ts";
import {
  checkLayersDims,
  initializeParameters,
  initializeParametersDeep,
} from "./initialization.ts";

const fx = readFixture("numpy_unit.json");

Deno.test("initializeParameters() equals the course's, seeded with 1, bit for bit", () => {
  const p = initializeParameters(5, 4, 1);
  const expected = fx.initialize_parameters_5_4_1 as Record<string, unknown>;
  assert.deepEqual(Object.keys(p), ["W1", "b1", "W2", "b2"]);
  for (const k of Object.keys(expected)) {
    assertClose(p[k], expected[k], { rtol: 0, atol: 0, what: k });
  }
});

Deno.test("initializeParametersDeep() equals the course's, seeded with 1, bit for bit", () => {
  const p = initializeParametersDeep([5, 4, 3, 1]);
  const expected = fx.initialize_parameters_deep as Record<string, unknown>;
  assert.deepEqual(Object.keys(p), ["W1", "b1", "W2", "b2", "W3", "b3"]);
  for (const k of Object.keys(expected)) {
    assertClose(p[k], expected[k], { rtol: 0, atol: 0, what: k });
  }
});

Deno.test("initializeParametersDeep() gives other weights for another seed", () => {
  const a = initializeParametersDeep([4, 2, 1]),
    b = initializeParametersDeep([4, 2, 1], { seed: 2 });
  assert.notDeepEqual(a.W1.toArray(), b.W1.toArray());
});

Deno.test("checkLayersDims() throws a RangeError for too few or non-positive sizes", () => {
  assert.throws(() => checkLayersDims([12288]), /at least 2 sizes.*\[12288\]/);
  assert.throws(() => checkLayersDims([4, 2.5, 1]), /layersDims\[1\]=2.5/);
  assert.throws(
    () => checkLayersDims([4, 3, -1]),
    (e: Error) => e instanceof RangeError && /layersDims\[2\]=-1/.test(e.message),
  );
  assert.throws(() => initializeParameters(4, 0, 1), /layersDims\[1\]=0/);
});
