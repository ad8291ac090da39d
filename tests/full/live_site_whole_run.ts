/**
 * Slow checks, run by `deno task test-full`: over the course's whole run (2500
 * iterations), notebook 4's page prints every cost `deno task train` prints, to
 * the last digit, cross-origin isolated (2 threads) and on a plain static host
 * (1 thread). The default suite runs 20 iterations (`tests/live_site_test.ts`).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildSites,
  costLines,
  serve,
  train,
  trainInPage,
  watch,
  withBrowser,
} from "../live_site.ts";

const ITERATIONS = 2500;

let sites: Promise<{ solution: string; expected: string[] }> | undefined;

/** The solution site and train's cost lines, made once. */
function setUp() {
  return sites ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "dnn-live-whole-" });
    const { solution } = await buildSites(dir);
    const expected = costLines(await train(ITERATIONS, join(dir, "train-out")));
    assert.equal(expected.length, ITERATIONS / 100 + 1, "iterations 0, 100, ..., 2400, 2499");
    return { solution, expected };
  })();
}

for (const isolated of [true, false]) {
  Deno.test({
    name: `over a whole run, notebook 4's page prints train's costs, every digit, ${
      isolated ? "cross-origin isolated" : "on a plain static host"
    }`,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const { solution, expected } = await setUp();
      const server = serve(solution, isolated);
      try {
        await withBrowser(async (browser) => {
          const page = await browser.newPage();
          const problems = watch(page);
          const ran = await trainInPage(page, server.url, ITERATIONS, 900_000);
          const failed = [...ran].filter(([, c]) => c.state !== "done");
          assert.deepEqual(failed, [], "every cell runs without an error");
          const printed = [...ran.values()].flatMap((c) => costLines(c.text));
          assert.deepEqual(printed, expected);
          assert.deepEqual(problems, []);
        });
      } finally {
        await server.stop();
      }
    },
  });
}
