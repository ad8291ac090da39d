/**
 * Slow checks, run by `deno task test-full` (CI runs it after `deno task test`):
 * over the course's whole run, the fast backend's costs equal the plain loops'
 * (the default test run compares the first 100 iterations).
 */

import assert from "node:assert/strict";
import {
  flatten,
  labelsRow,
  lLayerModel,
  loadDataset,
  twoLayerModel,
  useBackend,
} from "../../lib/mod.ts";
import { courseDataDir } from "../helpers.ts";

Deno.test("over a whole run, the fast float64 costs equal the plain TypeScript ones", async () => {
  const data = await loadDataset({ dataDir: courseDataDir() });
  assert.equal(data.source, "course");
  const X = flatten(data.train), Y = labelsRow(data.train);
  try {
    for (
      const [train, layersDims, iterations] of [
        [lLayerModel, [12288, 20, 7, 5, 1], 2500], // the course's run
        [twoLayerModel, [12288, 7, 1], 500], // shorter: the same products, fewer rows
      ] as const
    ) {
      const run = async (backend: "fast" | "plain") => {
        useBackend({ backend });
        return (await train(X, Y, layersDims, { numIterations: iterations })).costs;
      };
      const plain = await run("plain"), fast = await run("fast");
      assert.equal(fast.length, iterations);
      let worst = 0;
      fast.forEach((c, i) => worst = Math.max(worst, Math.abs(c - plain[i]) / plain[i]));
      // The kernels add in the same order, so the difference is in fact 0.
      assert.ok(worst <= 1e-10, `[${layersDims}] on ${data.source} data: ${worst}`);
      assert.deepEqual(fast, plain, `[${layersDims}]: bit for bit`);
    }
  } finally {
    useBackend();
  }
});
