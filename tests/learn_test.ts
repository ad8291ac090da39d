/**
 * `deno task learn`: the learner's own copy of the student edition, beside
 * `notebooks/`, where the notebooks run as they are and the learner's work is
 * never overwritten.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { studentEdition } from "../cli/student.ts";
import { course } from "./grading.ts";
import { executeNotebook, ROOT, runTask } from "./helpers.ts";

Deno.test("deno task learn writes the student edition beside notebooks/, runs there, and keeps the learner's work", async () => {
  const name = `learn-test-${crypto.randomUUID().slice(0, 8)}`;
  const dir = join(ROOT, name);
  const out = await Deno.makeTempDir({ prefix: "learn-out-" });
  try {
    const first = await runTask("learn", ["--dir", dir]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`^wrote 8 notebooks to ${name}/$`, "m"));
    assert.match(first.stdout, new RegExp(`^open ${name}/01_dataset\\.ipynb`, "m"));
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.equal(names.length, 8);
    for (const file of names) {
      const written = JSON.parse(Deno.readTextFileSync(join(dir, file)));
      assert.deepEqual(written, studentEdition(course(file)), file);
    }
    // The learner's work, kept on the next run.
    const mine = join(dir, "02_building_blocks.ipynb");
    Deno.writeTextFileSync(mine, '{"cells": [], "mine": true}');
    Deno.removeSync(join(dir, "03_two_layer_model.ipynb"));
    const again = await runTask("learn", ["--dir", dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^wrote 1 notebooks to /m);
    assert.match(again.stdout, new RegExp(`^kept your ${name}/02_building_blocks\\.ipynb$`, "m"));
    assert.equal(Deno.readTextFileSync(mine), '{"cells": [], "mine": true}');
    // Run from there, notebook 1 finds the library and the course's data.
    const run = await executeNotebook(`../${name}/01_dataset.ipynb`, join(out, "01.ipynb"), {
      DNN_OUT_DIR: out,
    });
    assert.ok(run.success, run.stderr);
    assert.match(Deno.readTextFileSync(join(out, "01.ipynb")), /source: course/);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("deno task learn refuses a folder that is not beside notebooks/, in one line", async () => {
  for (const dir of ["/tmp", join(ROOT, "notebooks")]) {
    const run = await runTask("learn", ["--dir", dir]);
    assert.equal(run.code, 2);
    assert.match(run.stderr.trim(), /^learn: --dir must be a new folder beside notebooks\//);
    assert.equal(run.stderr.trim().split("\n").length, 1);
  }
});
