/**
 * Trains on the course's data with the fast backend and with the plain loops, and
 * asserts the costs are the same, bit for bit. Used by `fast_backend_test.ts` (the
 * first iterations) and `full/fast_backend_whole_run.ts` (whole runs).
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  flatten,
  labelsRow,
  lLayerModel,
  loadDataset,
  twoLayerModel,
  useBackend,
} from "../lib/mod.ts";
import { courseDataDir } from "./helpers.ts";

/** Iterations of each model to compare. */
export interface Iterations {
  /** The deep model, [12288, 20, 7, 5, 1]. */
  deep: number;
  /** The two-layer model, [12288, 7, 1]. */
  two: number;
}

/** Asserts the fast float64 costs equal the plain TypeScript ones over `iterations` of each model. */
export async function assertFastEqualsPlain(iterations: Iterations): Promise<void> {
  const data = await loadDataset({ dataDir: courseDataDir() });
  assert.equal(data.source, "course");
  const X = flatten(data.train), Y = labelsRow(data.train);
  try {
    for (
      const [train, layersDims, count] of [
        [lLayerModel, [12288, 20, 7, 5, 1], iterations.deep],
        [twoLayerModel, [12288, 7, 1], iterations.two],
      ] as const
    ) {
      const run = async (backend: "fast" | "plain") => {
        useBackend({ backend });
        return (await train(X, Y, layersDims, { numIterations: count })).costs;
      };
      const plain = await run("plain"), fast = await run("fast");
      assert.equal(fast.length, count);
      let worst = 0;
      fast.forEach((c, i) => worst = Math.max(worst, Math.abs(c - plain[i]) / plain[i]));
      // The kernels add in the same order, so the difference is in fact 0.
      assert.ok(worst <= 1e-10, `[${layersDims}] on ${data.source} data: ${worst}`);
      assert.deepEqual(fast, plain, `[${layersDims}]: bit for bit`);
    }
  } finally {
    useBackend();
  }
}
