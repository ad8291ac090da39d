/**
 * A `train --save` run killed while it writes the parameters leaves the file
 * saved before it intact: the new file is written under a temporary name and
 * renamed into place only once complete.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadParameters, saveParameters } from "../lib/hdf5.ts";
import { initializeParametersDeep } from "../lib/initialization.ts";
import { ROOT } from "./helpers.ts";

Deno.test("train --save killed while writing leaves the earlier saved file loadable and unchanged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dnn-kill-" });
  const file = join(dir, "params.h5");
  const earlier = initializeParametersDeep([12288, 2, 1], { seed: 7 });
  await saveParameters(file, earlier, [12288, 2, 1]);
  const before = await Deno.readFile(file);
  const empty = await Deno.makeTempDir();
  let killedWhileWriting = 0;
  for (let attempt = 0; attempt < 10 && killedWhileWriting < 3; attempt++) {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(ROOT, "cli/train.ts"),
        "--data",
        empty,
        "--iterations",
        "1",
        "--layers-dims",
        "12288,30,1",
        "--save",
        file,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Watch for the temporary file, and kill the run the moment it appears.
    let writing = false;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if ([...Deno.readDirSync(dir)].some((e) => e.name.includes(".tmp-"))) {
        child.kill("SIGKILL");
        writing = true;
        break;
      }
      const done = await Promise.race([
        child.status.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 0)),
      ]);
      if (done) break;
    }
    const status = await child.status;
    if (writing && !status.success) {
      killedWhileWriting++;
      // The earlier file is as it was, and loads.
      assert.deepEqual(await Deno.readFile(file), before);
      assert.deepEqual((await loadParameters(file)).parameters, earlier);
    } else {
      // The run finished before it could be killed: the new file replaced the old one whole.
      assert.deepEqual((await loadParameters(file)).layersDims, [12288, 30, 1]);
      await saveParameters(file, earlier, [12288, 2, 1]);
    }
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.includes(".tmp-")) await Deno.remove(join(dir, e.name));
    }
  }
  console.log(`${killedWhileWriting} runs killed while writing`);
  assert.ok(killedWhileWriting >= 1, "no run was killed while writing");
  await Deno.remove(dir, { recursive: true });
});
