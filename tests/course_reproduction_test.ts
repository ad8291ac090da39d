/**
 * The course, reproduced: `deno task train` on the course's files prints the
 * costs and accuracies of the NumPy reference (tests/reference/dnn_numpy.py),
 * committed in tests/fixtures/numpy_course.json.
 */

import assert from "node:assert/strict";
import { runTask } from "./helpers.ts";
import { readFixture } from "./numpy_fixtures.ts";

interface Reference {
  model: "deep" | "two";
  layersDims: number[];
  iterations: number;
  costs: [number, number][];
  trainAccuracy: number;
  testAccuracy: number;
}

const runs = readFixture("numpy_course.json").runs as Reference[];

for (const reference of runs) {
  Deno.test({
    name:
      `train --model ${reference.model} reproduces NumPy's costs and accuracies on the course data`,
    async fn() {
      // No DNN_DATA_DIR: train finds the course's files in data/, as in a fresh clone.
      const run = await runTask("train", [
        "--model",
        reference.model,
        "--iterations",
        `${reference.iterations}`,
        "--json",
      ], { DNN_DATA_DIR: undefined });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, "", "nothing on stderr: the course data was found");
      const lines = run.stdout.trim().split("\n");
      const result = JSON.parse(lines.at(-1)!);
      assert.equal(result.dataset, "course");
      assert.match(result.products, /^fast, \d+ threads?, f64$/, "through the fast backend");
      const costLines = lines.filter((l) => l.startsWith("Cost after iteration"));
      assert.deepEqual(result.layersDims, reference.layersDims);
      // Every printed cost within 1e-9 relative: the two runs sum in different orders
      // (BLAS against our loops), and 2,500 steps of gradient descent carry those
      // last-bit differences along; here they stay below 1e-12.
      assert.deepEqual(result.costs.map(([i]: number[]) => i), reference.costs.map(([i]) => i));
      reference.costs.forEach(([i, expected], k) => {
        const printed = Number(costLines[k].match(/^Cost after iteration (\d+): (.+)$/)![2]);
        assert.equal(printed, result.costs[k][1], "the JSON holds the printed cost");
        const relative = Math.abs(printed - expected) / expected;
        assert.ok(relative < 1e-9, `iteration ${i}: ours ${printed}, NumPy ${expected}`);
      });
      assert.equal(result.trainAccuracy, reference.trainAccuracy);
      assert.equal(result.testAccuracy, reference.testAccuracy);
      assert.equal(lines.at(-3), `Train accuracy: ${reference.trainAccuracy}`);
      assert.equal(lines.at(-2), `Test accuracy: ${reference.testAccuracy}`);
    },
  });
}
