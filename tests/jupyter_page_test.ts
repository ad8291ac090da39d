/** How the front-end checks count a cell's outputs and tell what went astray. */

import assert from "node:assert/strict";
import { compare, kinds, type Output } from "./jupyter_page.ts";

const line = (text: string): Output => ({ output_type: "stream", name: "stdout", text });
const plot = (count: number): Output => ({
  output_type: "execute_result",
  data: { "image/svg+xml": "<svg/>", "image/png": "iVBOR", "text/plain": "Cost" },
  execution_count: count,
});

Deno.test("kinds() counts each printed line, and each display or value by its MIME types", () => {
  const counts = kinds([
    line("Cost after iteration 0: 0.77\n"),
    line("Cost after iteration 4: 0.70\ntrained in 0.2 s\n"),
    { output_type: "stream", name: "stderr", text: ["warning: ", "slow\n"] },
    { output_type: "display_data", data: { "text/plain": "Training: iteration 5/5" } },
    plot(7),
    { output_type: "error", ename: "TypeError" },
  ]);
  assert.deepEqual(Object.fromEntries(counts), {
    "stdout line": 3,
    "stderr line": 1,
    "display_data text/plain": 1,
    "execute_result image/png,image/svg+xml,text/plain": 1,
    "error TypeError": 1,
  });
  // The front end merges the lines of one stream into one output: the same count.
  assert.deepEqual(kinds([line("a\nb\n"), line("c")]), kinds([line("a\nb\nc")]));
});

Deno.test("compare() names what a cell lacks and what it shows from another cell", () => {
  const expected = kinds([line("Train accuracy: 0.98\nTest accuracy: 0.8\n")]);
  assert.deepEqual(compare(expected, [line("Train accuracy: 0.98\nTest accuracy: 0.8\n")], 8), {
    outputs: 2,
    missing: [],
    misplaced: [],
  });
  // The last line went to the next cell, with the plot of the cell before.
  assert.deepEqual(compare(expected, [line("Train accuracy: 0.98\n"), plot(8)], 8), {
    outputs: 2,
    missing: ["stdout line"],
    misplaced: ["execute_result image/png,image/svg+xml,text/plain"],
  });
  // A value shown under a cell that made one too, but counted as another cell's.
  const plotted = kinds([plot(7)]);
  assert.deepEqual(compare(plotted, [plot(6)], 7).misplaced, [
    "execute_result of cell [6] under [7]",
  ]);
});
