import assert from "node:assert/strict";
import { join } from "node:path";
import {
  accuracy,
  DataError,
  lLayerModel,
  loadRun,
  Matrix,
  predict,
  RandomState,
  saveRun,
  train,
  twoLayerModel,
} from "./mod.ts";

/** 40 random examples of 4 values, labelled by the sign of their sum, and 20 to test on. */
function data() {
  const r = new RandomState(7);
  const X = r.randn(4, 60);
  const labels = Array.from({ length: 60 }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < 4; i++) sum += X.get(i, j);
    return sum > 0 ? 1 : 0;
  });
  const part = (from: number, to: number) => ({
    X: Matrix.from(X.toArray().map((row) => row.slice(from, to))),
    Y: Matrix.from([labels.slice(from, to)]),
  });
  return { trainSet: part(0, 40), testSet: part(40, 60) };
}

Deno.test("train() measures the accuracies of the parameters after each hundred iterations", async () => {
  const { trainSet, testSet } = data();
  const options = { numIterations: 250, learningRate: 0.05 };
  const run = await train(lLayerModel, trainSet.X, trainSet.Y, [4, 3, 1], {
    ...options,
    test: testSet,
    say: () => {},
  });
  assert.deepEqual(run.accuracies.map((a) => a.iteration), [100, 200, 250]);
  // Independently: a model trained for exactly that many iterations has those parameters.
  for (const { iteration, train: trainAccuracy, test } of run.accuracies) {
    const { parameters } = await lLayerModel(trainSet.X, trainSet.Y, [4, 3, 1], {
      ...options,
      numIterations: iteration,
    });
    assert.equal(trainAccuracy, accuracy(predict(trainSet.X, parameters), trainSet.Y));
    assert.equal(test, accuracy(predict(testSet.X, parameters), testSet.Y));
  }
  assert.equal(run.trainAccuracy, run.accuracies[2].train);
  assert.equal(run.testAccuracy, run.accuracies[2].test);
  assert.equal(run.costs.length, 250);
  assert.deepEqual(run.layersDims, [4, 3, 1]);
});

Deno.test("train() prints the cost as the course does, and passes onIteration on", async () => {
  const { trainSet } = data();
  const lines: string[] = [];
  const seen: number[] = [];
  const run = await train(twoLayerModel, trainSet.X, trainSet.Y, [4, 3, 1], {
    numIterations: 201,
    printEvery: 100,
    say: (line) => lines.push(line),
    onIteration: (i) => void seen.push(i),
  });
  assert.deepEqual(lines, [0, 100, 200].map((i) => `Cost after iteration ${i}: ${run.costs[i]}`));
  assert.equal(seen.length, 201);
  assert.equal(run.testAccuracy, undefined);
  assert.ok(!("test" in run.accuracies[0]));
  const quiet: string[] = [];
  await train(twoLayerModel, trainSet.X, trainSet.Y, [4, 3, 1], {
    numIterations: 5,
    printEvery: 0,
    say: (line) => quiet.push(line),
  });
  assert.deepEqual(quiet, []);
});

Deno.test("train() refuses a bad printEvery or trackEvery, naming it", async () => {
  const { trainSet } = data();
  for (const [option, value] of [["printEvery", -1], ["trackEvery", 0], ["trackEvery", 2.5]]) {
    await assert.rejects(
      train(lLayerModel, trainSet.X, trainSet.Y, [4, 1], { [option]: value, numIterations: 1 }),
      new RegExp(`^RangeError: ${option} must be a whole number.*not ${value}$`),
    );
  }
});

Deno.test("a model that never calls onIteration still gets its final accuracy", async () => {
  const { trainSet } = data();
  const silent = (X: Matrix, Y: Matrix, dims: readonly number[]) =>
    lLayerModel(X, Y, dims, { numIterations: 3 });
  const run = await train(silent, trainSet.X, trainSet.Y, [4, 1], { say: () => {} });
  assert.deepEqual(run.accuracies.map((a) => a.iteration), [3]);
});

Deno.test("saveRun() and loadRun(): the run comes back without its parameters", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { trainSet, testSet } = data();
    const run = await train(lLayerModel, trainSet.X, trainSet.Y, [4, 2, 1], {
      numIterations: 120,
      test: testSet,
      say: () => {},
    });
    const file = join(dir, "deep", "run.json");
    await saveRun(file, run);
    const { parameters: _, ...rest } = run;
    assert.deepEqual(await loadRun(file), rest);
    assert.deepEqual([...Deno.readDirSync(join(dir, "deep"))].map((e) => e.name), ["run.json"]);
    assert.equal(await loadRun(join(dir, "none.json")), undefined);
    await Deno.writeTextFile(join(dir, "bad.json"), "{");
    await assert.rejects(loadRun(join(dir, "bad.json")), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /bad\.json: is not JSON/);
      return true;
    });
    await Deno.writeTextFile(join(dir, "other.json"), '{"costs": [1]}');
    await assert.rejects(loadRun(join(dir, "other.json")), /other\.json: is not a run saved/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveRun() leaves an earlier file as it was when it cannot write", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "run.json");
    await Deno.writeTextFile(file, "earlier");
    const bad = { layersDims: [1], costs: [], accuracies: [], trainAccuracy: 1, seconds: 0 };
    // A value JSON cannot hold (a BigInt) makes the write fail before the rename.
    await assert.rejects(
      saveRun(file, { ...bad, seconds: 1n as unknown as number, parameters: {} }),
    );
    assert.equal(await Deno.readTextFile(file), "earlier");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["run.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
