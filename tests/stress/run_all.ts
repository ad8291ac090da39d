/**
 * `deno task stress`: Run All on every notebook in the classic Jupyter Notebook
 * (through Chromium), round after round with both cores kept busy, counting the
 * outputs that are missing from their cell or shown under another one.
 *
 * ```sh
 * deno task stress [--rounds 10] [--only 01,04] [--no-load]
 * ```
 *
 * What each cell should show comes first, from executing each notebook once with
 * nbclient, one cell at a time, listening two seconds after each cell for outputs
 * that come late (`cli/execute_notebook.py --grace 2`): each cell's outputs by kind
 * (a printed line, a display or value by its MIME types, an error). A cell in the
 * page that lacks one has it missing; a cell that shows one more, or a value whose
 * execution count is another cell's, has an output from elsewhere. Prints one line a
 * round and a last line with the totals; exits 1 if any output was missing or
 * misplaced. Too long for `deno task test`: here, 5 to 6 minutes for the reference,
 * then about 30 s a round of the eight notebooks.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { courseNotebooks } from "../../cli/notebooks.ts";
import { fail, UsageError } from "../../cli/errors.ts";
import { ROOT } from "../helpers.ts";
import {
  cellOutputs,
  compare,
  expectedKinds,
  type Kinds,
  launchChromium,
  open,
  runAll,
  shutDownKernel,
  startServer,
} from "../jupyter_page.ts";

/** Two processes that keep both cores busy until killed. */
function loadCores(): Deno.ChildProcess[] {
  return [0, 1].map(() =>
    new Deno.Command(Deno.execPath(), { args: ["eval", "for (;;) {}"], stdout: "null" }).spawn()
  );
}

async function main(args: string[]) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      rounds: { type: "string", default: "10" },
      only: { type: "string" },
      "no-load": { type: "boolean", default: false },
    },
  });
  if (!/^[1-9]\d*$/.test(values.rounds)) {
    throw new UsageError(`--rounds must be a positive integer, not "${values.rounds}"`);
  }
  const prefixes = values.only?.split(",").map((p) => p.trim()).filter((p) => p);
  const names = courseNotebooks().filter((n) => !prefixes || prefixes.some((p) => n.startsWith(p)));
  if (names.length === 0) throw new UsageError(`--only ${values.only} matches no notebook`);

  const out = await Deno.makeTempDir({ prefix: "stress-" });
  const env = { DNN_NUM_ITERATIONS: "5", DNN_OUT_DIR: out, DNN_DATA_DIR: "" };
  const load = values["no-load"] ? [] : loadCores();
  const server = await startServer(env);
  const browser = await launchChromium();
  let outputs = 0, missing = 0, misplaced = 0;
  try {
    const expected = new Map<string, Kinds[]>();
    for (const name of names) expected.set(name, await expectedKinds(name, env, { grace: 2 }));
    console.log(
      `stress: ${names.length} notebooks, ${values.rounds} rounds of Run All, ` +
        (load.length ? "both cores kept busy" : "no load"),
    );
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    for (let round = 1; round <= Number(values.rounds); round++) {
      const start = performance.now();
      let roundMissing = 0, roundMisplaced = 0;
      for (const name of names) {
        // A copy beside the others (ignored by git: *.tmp-*), so the source is never saved over.
        const copy = name.replace(".ipynb", ".tmp-stress.ipynb");
        await Deno.copyFile(join(ROOT, "notebooks", name), join(ROOT, "notebooks", copy));
        try {
          await open(page, server.url(copy));
          await runAll(page);
          const cells = await cellOutputs(page);
          await shutDownKernel(page);
          cells.forEach((cell, i) => {
            const r = compare(expected.get(name)![i], cell.outputs, cell.executionCount);
            outputs += r.outputs, roundMissing += r.missing.length;
            roundMisplaced += r.misplaced.length;
            for (const what of r.missing) {
              console.log(`  ${name} code cell ${i + 1}: missing ${what}`);
            }
            for (const what of r.misplaced) {
              console.log(`  ${name} code cell ${i + 1}: from another cell, ${what}`);
            }
          });
        } finally {
          await Deno.remove(join(ROOT, "notebooks", copy)).catch(() => {});
        }
      }
      missing += roundMissing, misplaced += roundMisplaced;
      const seconds = ((performance.now() - start) / 1000).toFixed(0);
      console.log(
        `round ${round}: ${roundMissing} missing, ${roundMisplaced} under another cell, ${seconds} s`,
      );
    }
  } finally {
    for (const p of load) p.kill("SIGKILL");
    await browser.close();
    await server.stop();
    await Deno.remove(out, { recursive: true });
  }
  console.log(
    `stress: ${outputs} outputs expected, ${missing} missing, ${misplaced} under another cell`,
  );
  if (missing + misplaced > 0) Deno.exit(1);
}

if (import.meta.main) {
  await main(Deno.args).catch((e) => fail("stress", e));
}
