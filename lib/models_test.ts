import assert from "node:assert/strict";
import { lModelBackward } from "./backward.ts";
import { computeCost } from "./cost.ts";
import { lModelForward } from "./forward.ts";
import {
  initializeParameters,
  initializeParametersDeep,
  type Parameters,
} from "./initialization.ts";
import { OptionError } from "./errors.ts";
import { Matrix } from "./matrix.ts";
import { accuracy, checkExamples, lLayerModel, predict, twoLayerModel } from "./models.ts";
import { RandomState } from "./random.ts";
import { updateParameters } from "./update.ts";

/** A small learnable problem: label 1 when the first two features sum above 0. */
function toyData(n: number, m: number, seed = 5): { X: Matrix; Y: Matrix } {
  const rng = new RandomState(seed);
  const X = rng.randn(n, m), Y = new Matrix(1, m);
  for (let j = 0; j < m; j++) Y.data[j] = X.get(0, j) + X.get(1, j) > 0 ? 1 : 0;
  return { X, Y };
}

Deno.test("lLayerModel() is the course's loop: forward, cost, backward, update", async () => {
  const { X, Y } = toyData(4, 10);
  const layersDims = [4, 3, 2, 1];
  const { parameters, costs } = await lLayerModel(X, Y, layersDims, {
    learningRate: 0.1,
    numIterations: 3,
  });
  // The same three steps written out with the building blocks.
  let p = initializeParametersDeep(layersDims);
  const expected: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [AL, caches] = lModelForward(X, p);
    expected.push(computeCost(AL, Y));
    p = updateParameters(p, lModelBackward(AL, Y, caches), 0.1);
  }
  assert.deepEqual(costs, expected);
  assert.deepEqual(parameters, p);
});

Deno.test("twoLayerModel() starts from initializeParameters() and learns", async () => {
  const { X, Y } = toyData(4, 40);
  const seen: [number, number][] = [];
  const { parameters, costs } = await twoLayerModel(X, Y, [4, 5, 1], {
    learningRate: 0.1,
    numIterations: 400,
    onIteration: (i, cost) => seen.push([i, cost]),
  });
  const [AL] = lModelForward(X, initializeParameters(4, 5, 1));
  assert.equal(costs[0], computeCost(AL, Y));
  assert.deepEqual(seen, costs.map((c, i) => [i, c]));
  assert.ok(costs[399] < 0.5 * costs[0], `cost ${costs[0]} -> ${costs[399]}`);
  assert.ok(accuracy(predict(X, parameters), Y) >= 0.9);
});

Deno.test("twoLayerModel() and lLayerModel() agree on [nX, nH, 1] but for the initial scale", async () => {
  // Same architecture, different initialisers (randn * 0.01 against randn / sqrt(nX)).
  const { X, Y } = toyData(3, 8);
  const two = await twoLayerModel(X, Y, [3, 2, 1], { numIterations: 1 });
  const deep = await lLayerModel(X, Y, [3, 2, 1], { numIterations: 1 });
  assert.ok(Math.abs(two.costs[0] - Math.LN2) < 1e-3); // tiny weights: AL ~ 0.5
  assert.notEqual(two.costs[0], deep.costs[0]);
});

Deno.test("the models throw a RangeError naming the iteration when the cost diverges", async () => {
  const { X, Y } = toyData(4, 20);
  await assert.rejects(
    () => lLayerModel(X, Y, [4, 8, 1], { learningRate: 1e6, numIterations: 100 }),
    (e: Error) =>
      e instanceof RangeError &&
      /^Training diverged at iteration \d+: the cost is (NaN|Infinity); try a smaller learning rate than 1000000$/
        .test(e.message),
  );
});

Deno.test("the models check their options", async () => {
  const { X, Y } = toyData(4, 5);
  for (const model of [lLayerModel, twoLayerModel]) {
    const dims = model === lLayerModel ? [4, 1] : [4, 2, 1];
    for (const learningRate of [0, -1, NaN, Infinity]) {
      await assert.rejects(
        () => model(X, Y, dims, { learningRate }),
        (e: Error) =>
          e instanceof OptionError && e.option === "learningRate" &&
          e.message.includes(`learningRate=${learningRate}`),
      );
    }
    for (const numIterations of [0, 2.5, -3]) {
      await assert.rejects(
        () => model(X, Y, dims, { numIterations }),
        (e: Error) =>
          e instanceof OptionError && e.option === "numIterations" &&
          e.message.includes(`numIterations=${numIterations}`),
      );
    }
    await assert.rejects(() => model(X, new Matrix(1, 4), dims), /Y \(1, 4\) must be \(1, 5\)/);
  }
  await assert.rejects(
    () => twoLayerModel(X, Y, [4, 1]),
    /must have 3 sizes \[nX, nH, nY\] for the two-layer model: \[4,1\]$/,
  );
  await assert.rejects(() => lLayerModel(X, Y, [4, 0, 1]), /layersDims\[1\]=0/);
});

Deno.test("the models wait for an onIteration that returns a promise", async () => {
  const { X, Y } = toyData(4, 12);
  const events: string[] = [];
  await lLayerModel(X, Y, [4, 3, 1], {
    numIterations: 3,
    onIteration: async (i) => {
      events.push(`start ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${i}`);
    },
  });
  assert.deepEqual(events, ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
});

Deno.test("checkExamples() names the shapes or the label that do not fit", () => {
  const X = new Matrix(4, 3);
  assert.throws(
    () => checkExamples(X, new Matrix(1, 3), [5, 1]),
    (e: Error) =>
      e instanceof OptionError && e.option === "layersDims" &&
      e.rule === "must start with 4, the number of values in one example (a column of X)" &&
      e.message === "Cannot train as X (4, 3) has 4 features but layersDims[0] is 5",
  );
  assert.throws(() => checkExamples(X, new Matrix(1, 2), [4, 1]), /Y \(1, 2\) must be \(1, 3\)/);
  assert.throws(() => checkExamples(X, new Matrix(1, 3), [4, 2]), /output layer must have size 1/);
  assert.throws(
    () => checkExamples(X, Matrix.from([[0, 1, 2]]), [4, 1]),
    (e: Error) =>
      e instanceof RangeError && e.message === "Cannot train as labels must be 0 or 1: Y[0, 2]=2",
  );
});

Deno.test("predict() thresholds the probabilities at 0.5, exclusive", () => {
  // One sigmoid unit with W = 1, b = 0: probabilities sigmoid(x).
  const parameters = { W1: Matrix.from([[1]]), b1: Matrix.from([[0]]) };
  assert.deepEqual(predict(Matrix.from([[-3, 0, 1e-9, 3]]), parameters).toArray(), [[0, 0, 1, 1]]);
});

Deno.test("accuracy() is the fraction of matching labels and checks shapes", () => {
  assert.equal(accuracy(Matrix.from([[1, 1, 0]]), Matrix.from([[1, 0, 0]])), 2 / 3);
  assert.throws(() => accuracy(new Matrix(1, 2), new Matrix(1, 3)), /p \(1, 2\) and Y \(1, 3\)/);
});

Deno.test("onIteration gets the parameters after the iteration's update", async () => {
  const { X, Y } = toyData(3, 8);
  for (const model of [twoLayerModel, lLayerModel]) {
    const given: Parameters[] = [];
    const { parameters } = await model(X, Y, [3, 2, 1], {
      numIterations: 2,
      onIteration: (_i, _cost, p) => void given.push(p),
    });
    const first = await model(X, Y, [3, 2, 1], { numIterations: 1 });
    assert.deepEqual(given[0], first.parameters);
    assert.deepEqual(given[1], parameters);
  }
});
