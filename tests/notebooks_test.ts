/**
 * The notebooks, executed by the real Deno kernel through Jupyter with few
 * iterations, and checked: every cell tagged to plot has a plot, to show an image
 * has a PNG, to print has printed, and no cell has an error. Committed notebooks
 * carry no outputs.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkOutputs, courseNotebooks, OUT } from "../lib/cli/notebooks.ts";
import { findCourseData, ROOT, runTask } from "./helpers.ts";

const names = courseNotebooks();

Deno.test("the course has its seven notebooks, in order", () => {
  assert.deepEqual(names.map((n) => n.slice(0, 3)), [
    "01_",
    "02_",
    "03_",
    "04_",
    "05_",
    "06_",
    "07_",
  ]);
});

Deno.test("committed notebooks have no outputs and no execution counts", () => {
  for (const name of names) {
    const nb = JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", name)));
    for (const cell of nb.cells) {
      if (cell.cell_type !== "code") continue;
      assert.deepEqual(cell.outputs, [], `${name}: a cell has outputs`);
      assert.equal(cell.execution_count, null, `${name}: a cell has an execution count`);
    }
    assert.equal(nb.metadata.kernelspec.name, "deno", `${name} runs with the Deno kernel`);
  }
});

Deno.test("each notebook opens with a title, sets its knobs in a parameters cell, and ends with exercises", () => {
  for (const name of names) {
    const cells = JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", name))).cells;
    const text = (c: { source: string[] }) => c.source.join("");
    assert.match(
      text(cells[0]),
      /^# \d\. .+\n\n[*_][\s\S]+?[*_]\n\nYou will learn:/,
      `${name}: title, subtitle, "you will learn"`,
    );
    assert.ok(
      cells.some((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.includes("parameters")),
      name,
    );
    assert.match(text(cells.at(-1)), /## Exercises/, `${name}: ends with exercises`);
  }
});

Deno.test("deno task notebooks executes every notebook with the expected outputs", async () => {
  const course = findCourseData();
  const env = "dir" in course ? { DNN_DATA_DIR: course.dir } : {};
  await Deno.remove(join(OUT, "notebooks"), { recursive: true }).catch(() => {});
  const run = await runTask("notebooks", ["--iterations", "30"], env);
  assert.equal(run.code, 0, run.stderr);
  for (const name of names) {
    assert.match(run.stdout, new RegExp(`${name}: executed in`));
    const { errors, missing } = checkOutputs(join(OUT, "notebooks", name));
    assert.deepEqual(errors, [], name);
    assert.deepEqual(missing, [], name);
  }
  // The sources are left as they were.
  for (const name of names) {
    const nb = JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", name)));
    assert.ok(nb.cells.every((c: { outputs?: unknown[] }) => (c.outputs ?? []).length === 0), name);
  }
  // The parameters reached the kernel: 30 iterations, so the last cost printed is iteration 29.
  const three = Deno.readTextFileSync(join(OUT, "notebooks", "03_two_layer_model.ipynb"));
  assert.match(three, /Cost after iteration 29: /);
  assert.doesNotMatch(three, /Cost after iteration 100: /);
});

Deno.test("checkOutputs() reports an error output and a plot cell without a plot", async () => {
  const file = await Deno.makeTempFile({ suffix: ".ipynb" });
  const cell = (tags: string[], outputs: unknown[]) => ({
    cell_type: "code",
    source: "",
    metadata: { tags },
    outputs,
  });
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      cells: [
        cell(["expect-plot"], [{ output_type: "stream", text: "no plot" }]),
        cell([], [{ output_type: "error", ename: "TypeError", evalue: "x is undefined" }]),
        cell(["expect-accuracy"], [{
          output_type: "stream",
          text: "Train accuracy: 1\nTest accuracy: 0.72\n",
        }]),
      ],
    }),
  );
  const { errors, missing } = checkOutputs(file);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /cell 2: TypeError: x is undefined/);
  assert.equal(missing.length, 1);
  assert.match(missing[0], /cell 1 lacks a plot/);
});
