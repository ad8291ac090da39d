/**
 * Every cell's outputs reach Jupyter before the cell ends, under Run All, in the real
 * Deno kernel (see `lib/kernel.ts`): a Jupyter client of our own
 * (`tests/run_all_wire.py`, on jupyter_client) sends every request at once, as the
 * front end's Run All does, and records what the kernel sends.
 *
 * Without the library's flush, this kernel (Deno 2.9.6) sent some outputs of such
 * cells after their `idle` or under the next request: this test failed in 3 runs of 3
 * with the flush switched off, so its assertions catch the defect, not by luck.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "./helpers.ts";

interface WireOutput {
  type: string;
  /** The cell whose request the output's parent header names (0-based). */
  parent: number | null;
  /** The cell that made it, from the "cell N" its text starts with. */
  made: number | null;
  afterIdle: boolean;
  text: string;
}

/** Runs the cells at once in a fresh kernel and returns what it sent. */
async function runAll(cells: string[]): Promise<WireOutput[]> {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify(cells));
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [join(ROOT, "tests", "run_all_wire.py"), file],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    assert.ok(out.success, `run_all_wire.py failed: ${decode(out.stderr)}`);
    return JSON.parse(decode(out.stdout));
  } finally {
    await Deno.remove(file);
  }
}

/** Each cell of this kind makes its outputs in another way, the last thing it does. */
const KINDS = [
  // A line printed last.
  (n: number) => `console.log("cell ${n}: first line"); console.log("cell ${n}: last line");`,
  // A large value as the cell's last expression (an execute_result of 1 MB).
  (n: number) => `new Displayable({ "text/plain": "cell ${n} " + "x".repeat(1_000_000) });`,
  // A display, awaited, as the cell's last step.
  (n: number) =>
    `await Deno.jupyter.display(new Displayable({ "text/plain": "cell ${n} " + "y".repeat(100_000) }));`,
  // Live progress, then its last state.
  (n: number) =>
    `const p${n} = liveProgress(3, { label: "cell ${n}" }); await p${n}.update(0, 0.7); await p${n}.done();`,
  // A plot: SVG and PNG, the last expression's value.
  (n: number) =>
    `await barChart([{ group: "a", label: "train", value: 0.9 }], { title: "cell ${n}" });`,
];

Deno.test("in the Deno kernel, Run All: every cell's outputs come before its idle, under its own request", async () => {
  const cells = ['import { barChart, Displayable, liveProgress } from "@dnn/lib";'];
  for (let n = 1; n <= 40; n++) cells.push(KINDS[n % KINDS.length](n));
  const outputs = await runAll(cells);

  const errors = outputs.filter((o) => o.type === "error");
  assert.deepEqual(errors, [], "no cell failed");
  const late = outputs.filter((o) => o.afterIdle);
  assert.deepEqual(late, [], "outputs sent after their request's idle");
  const misplaced = outputs.filter((o) => o.made !== null && o.parent !== o.made);
  assert.deepEqual(misplaced, [], "outputs sent under another cell's request");
  // Every cell's outputs came, each cell's in the number its kind makes.
  const count = (n: number) => outputs.filter((o) => o.made === n).length;
  const expected = [2, 1, 1, 1, 1]; // by kind; the progress line's update is not an output
  for (let n = 1; n < cells.length; n++) {
    assert.equal(count(n), expected[n % KINDS.length], `cell ${n}'s outputs: ${cells[n]}`);
  }
});
