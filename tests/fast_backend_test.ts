/**
 * The fast backend where a user meets it: training runs on the course's data.
 * Its kernels are tested one by one in lib/fast/backend_test.ts.
 */

import assert from "node:assert/strict";
import { flatten, labelsRow, lLayerModel, loadDataset } from "../lib/mod.ts";
import { assertFastEqualsPlain } from "./fast_vs_plain.ts";
import { handWrittenLoop } from "./hand_written_loop.ts";
import { courseDataDir, ROOT } from "./helpers.ts";

Deno.test("over the first 100 iterations, the fast float64 costs equal the plain TypeScript ones", async () => {
  // The whole 2500-iteration run is compared in tests/full/fast_backend_whole_run.ts.
  await assertFastEqualsPlain({ deep: 100, two: 100 });
});

Deno.test("a training loop written by hand from the building blocks gives lLayerModel's costs", async () => {
  // The loop a learner writes in a notebook, knowing nothing of backends: on the
  // default (fast) backend, as the model. The benchmark times the two side by side.
  const data = await loadDataset({ dataDir: courseDataDir() });
  const X = flatten(data.train), Y = labelsRow(data.train);
  const layersDims = [12288, 20, 7, 5, 1];
  const byHand = handWrittenLoop(X, Y, layersDims, 200);
  const { costs } = await lLayerModel(X, Y, layersDims, { numIterations: 200 });
  assert.deepEqual(byHand, costs, "bit for bit");
  assert.ok(costs[199] < costs[0] - 0.05, "it trains");
});

Deno.test({
  name: "the whole 4-layer run on the course's data stays below 300 MB of resident memory",
  async fn() {
    // Python's getrusage gives the largest resident size the command reached.
    const code = `import resource, subprocess, sys
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr)`;
    const out = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", code, Deno.execPath(), "task", "--quiet", "train", "--json"],
      cwd: ROOT,
      env: { DNN_DATA_DIR: courseDataDir() },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const [status, last] = new TextDecoder().decode(out.stdout).trim().split("\n");
    const [code_, maxKB] = status.split(" ").map(Number);
    assert.equal(code_, 0, last);
    const result = JSON.parse(last);
    assert.equal(result.iterations, 2500);
    assert.equal(result.dataset, "course");
    assert.match(result.products, /^fast, /);
    const mb = maxKB / 1024;
    console.log(`peak resident memory of train on the course data: ${mb.toFixed(1)} MB`);
    assert.ok(mb > 20, `a real measurement: ${mb} MB`);
    assert.ok(mb < 300, `${mb.toFixed(1)} MB`);
  },
});
