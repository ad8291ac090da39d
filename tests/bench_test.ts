/**
 * `deno task bench` still runs and prints every row, with tiny counts; its
 * timings are read by people, never asserted.
 */

import assert from "node:assert/strict";
import { Matrix } from "../lib/mod.ts";
import { npy } from "./bench.ts";
import { python, runTask } from "./helpers.ts";

Deno.test("deno task bench prints every way against NumPy, whole runs, and the drift of each", async () => {
  const empty = await Deno.makeTempDir({ prefix: "dnn-empty-" }); // the synthetic dataset
  const run = await runTask("bench", [
    "--iterations",
    "2",
    "--numpy-iterations",
    "3",
    "--rounds",
    "1",
    "--drift-iterations",
    "5",
    "--whole-runs",
    "1",
    "--whole-iterations",
    "3",
    "--profile-iterations",
    "2",
    "--data",
    empty,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split("\n");
  // A table row's cells: the columns are padded with spaces, the last one too.
  const cells = (line: string) => line.trim().split(/\s{2,}/);
  for (const model of ["deep [12288,20,7,5,1]", "two [12288,7,1]"]) {
    const at = lines.findIndex((l) => l.startsWith(model) && l.includes("x NumPy"));
    assert.ok(at >= 0, `a timing table for ${model}`);
    // The deep model has a row more: a training loop written by hand from the building blocks.
    const labels = [
      "plain TypeScript",
      "fast f64, 1 thread",
      "fast f64, 2 threads (default)",
      "fast f64 + FMA, 2 threads",
      "fast f32 + FMA, 2 threads (f32's default)",
      "fast f32 without FMA, 2 threads",
      ...(model.startsWith("deep") ? ["hand-written loop, fast f64, 2 threads"] : []),
      "NumPy",
    ].map((label) => label.replace("2 threads", `${navigator.hardwareConcurrency} threads`));
    const rows = lines.slice(at + 1, at + 1 + labels.length).map(cells);
    assert.deepEqual(rows.map((r) => r[0]), labels);
    for (const r of rows) assert.ok(Number(r[1]) > 0 && /^\d+\.\d\dx$/.test(r[2]), r.join(" | "));
    // The drift table: the float64 ways are the default's numbers, bit for bit.
    const drift = lines.findIndex((l) => l.startsWith(model) && l.includes("max relative"));
    const driftRows = lines.slice(drift + 1, drift + 7).map(cells);
    assert.deepEqual(driftRows.slice(0, 3).map((r) => r[1]), Array(3).fill("0 (bit for bit)"));
    assert.match(driftRows[4][1], /^\d\.\de-\d+$/, "float32 differs");
  }
  // Which NumPy, and which BLAS kernel it ran.
  assert.match(
    run.stdout,
    /^NumPy \d+\.\d+\.\d+ \(\S+\), OpenBLAS [\d.]+, \w+ kernels, \d+ threads; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for it\./m,
  );
  // Where an iteration goes: the two big products beside NumPy's, the rest, the peak loop.
  const threads = navigator.hardwareConcurrency;
  for (const precision of ["f64", "f32"]) {
    const at = lines.findIndex((l) => l.startsWith(`${precision} `) && l.includes("NumPy GFLOP/s"));
    assert.ok(at >= 0, `a profile table for ${precision}`);
    const rows = lines.slice(at + 1, at + 7).map(cells);
    assert.deepEqual(rows.map((r) => r[0]), [
      "W1 @ X",
      "dZ1 @ Xᵀ",
      "the other 9 products",
      "the rest: element-wise passes, new arrays",
      "one iteration",
      `peak loop, ${threads} threads (the ceiling)`,
    ]);
    assert.match(lines[at + 7], /^The peak loop's line: .* forward \d+\.\d\d ms, cost /);
    for (const r of rows.slice(0, 2)) {
      assert.equal(r.length, 5, r.join(" | "));
      for (const figure of r.slice(1)) assert.ok(Number(figure) > 0, r.join(" | "));
    }
    for (const r of rows.slice(2, 5)) assert.ok(Number(r[1]) >= 0, r.join(" | "));
    assert.ok(Number(rows[5][1]) > 0 && Number(rows[5][2]) > 0, rows[5].join(" | "));
  }
  // The whole runs: three processes, each with its seconds and ratio.
  const at = lines.findIndex((l) => l.startsWith("Whole runs: the deep model"));
  assert.ok(at >= 0, "a whole-run table");
  assert.match(lines[at], /3 iterations on the synthetic dataset/);
  const rows = lines.slice(at + 3, at + 6).map(cells);
  assert.deepEqual(rows.map((r) => r[0]), [
    "NumPy",
    "deno task train (fast f64, the default)",
    "deno task train --precision f32 (fast f32 + FMA)",
  ]);
  for (const r of rows) assert.ok(Number(r[1]) > 0 && /^\d+\.\d\dx$/.test(r[2]), r.join(" | "));
});

Deno.test("npy() writes a file NumPy loads to the same numbers", async () => {
  const M = new Matrix(3, 2, new Float64Array([0.1, -2, 1e-300, Math.PI, 5, 1 / 3]));
  const file = await Deno.makeTempFile({ suffix: ".npy" });
  await Deno.writeFile(file, npy(M));
  const loaded = await python(
    "import sys, json, numpy as np; a = np.load(sys.argv[1]); " +
      "print(json.dumps([a.dtype.str, list(a.shape), a.flatten().tolist()]))",
    file,
  );
  assert.deepEqual(JSON.parse(loaded), ["<f8", [3, 2], Array.from(M.data)]);
  await Deno.remove(file);
});
