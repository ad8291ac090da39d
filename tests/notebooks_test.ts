/**
 * The notebooks, executed by the real Deno kernel through Jupyter with few
 * iterations, and checked: every cell tagged to plot has a plot, to show an image
 * has a PNG, to print has printed, and no cell has an error. Committed notebooks
 * carry no outputs.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkOutputs, courseNotebooks, OUT } from "../cli/notebooks.ts";
import { initializeParametersDeep, saveParameters } from "../lib/mod.ts";
import { executeNotebook, ROOT, runTask } from "./helpers.ts";

const names = courseNotebooks();

Deno.test("the course has its eight notebooks, in order", () => {
  assert.deepEqual(names.map((n) => n.slice(0, 3)), [
    "01_",
    "02_",
    "03_",
    "04_",
    "05_",
    "06_",
    "07_",
    "08_",
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

Deno.test("committed notebooks are formatted by deno fmt", async () => {
  // `deno fmt --check` on .ipynb files reports them unformatted in a fresh clone even when
  // `deno fmt` leaves them unchanged (Deno 2.9), so the test task skips them there and this
  // test formats each one through stdin and compares.
  for (const name of names) {
    const file = join(ROOT, "notebooks", name);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext", "ipynb", "-"],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = out.stdin.getWriter();
    await writer.write(await Deno.readFile(file));
    await writer.close();
    const { code, stdout } = await out.output();
    assert.equal(code, 0);
    assert.equal(
      new TextDecoder().decode(stdout),
      await Deno.readTextFile(file),
      `${name}: run deno fmt`,
    );
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

Deno.test("deno task export executes every notebook with the expected outputs, and writes the course", async () => {
  await Deno.remove(join(OUT, "notebooks"), { recursive: true }).catch(() => {});
  await Deno.remove(join(OUT, "course"), { recursive: true }).catch(() => {});
  // What a learner's own runs saved in out/ is left alone.
  const learners = join(OUT, "params_deep.h5");
  const before = await Deno.stat(learners).then((s) => s.mtime?.getTime(), () => undefined);
  // No DNN_DATA_DIR: the notebooks find the course's files in data/, as in a fresh clone.
  // --layers-dims reaches the L-layer notebooks, not the two-layer one.
  const run = await runTask("export", ["--iterations", "30", "--layers-dims", "12288,8,1"], {
    DNN_DATA_DIR: undefined,
  });
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
  assert.equal(
    await Deno.stat(learners).then((s) => s.mtime?.getTime(), () => undefined),
    before,
    "out/params_deep.h5 untouched",
  );
  const five = Deno.readTextFileSync(join(OUT, "notebooks", "05_results_analysis.ipynb"));
  assert.match(five, /loaded .*out\/run\/params_deep\.h5: layersDims \[12288,8,1\]/);
  const four = Deno.readTextFileSync(join(OUT, "notebooks", "04_l_layer_model.ipynb"));
  assert.match(four, /\[12288, 8, 1\]/, "notebook 4 trained the --layers-dims model");
  // Each value that came from the command, said under the parameters cell.
  assert.match(four, /numIterations = 30, from DNN_NUM_ITERATIONS \(the cell says 2500\)/);
  assert.match(
    four,
    /layersDims = \[12288, 8, 1\], from DNN_LAYERS_DIMS \(the cell says \[12288, 20, 7, 5, 1\]\)/,
  );
  const one = Deno.readTextFileSync(join(OUT, "notebooks", "01_dataset.ipynb"));
  assert.match(one, /source: course \(.*\/data\)/, "notebook 1 read the course's files in data/");
  // The parameters reached the kernel: 30 iterations, so the last cost printed is iteration 29.
  // (What the cells printed: the markdown states the costs of a full run.)
  const three = JSON.parse(
    Deno.readTextFileSync(join(OUT, "notebooks", "03_two_layer_model.ipynb")),
  ).cells.flatMap((c: { outputs?: { text?: string[] }[] }) => c.outputs ?? [])
    .map((o: { text?: string[] }) => (o.text ?? []).join("")).join("");
  assert.match(three, /Cost after iteration 29: /);
  assert.doesNotMatch(three, /Cost after iteration 100: /);
  // The index lists the notebooks in order, with their titles.
  const index = await Deno.readTextFile(join(OUT, "course", "index.html"));
  const links = [...index.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(links.map(([href]) => href), names.map((n) => n.replace(".ipynb", ".html")));
  assert.deepEqual(links.map(([, title]) => title.slice(0, 3)), [
    "1. ",
    "2. ",
    "3. ",
    "4. ",
    "5. ",
    "6. ",
    "7. ",
    "8. ",
  ]);
});

Deno.test({
  name:
    "the exported course renders in Chromium: every plot and image has a size, nothing fails to load",
  // Runs after the export above (tests of one file run in order).
  async fn() {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: Deno.env.get("DNN_CHROMIUM") ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const shots = join(OUT, "screenshots");
    await Deno.mkdir(shots, { recursive: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const failures: string[] = [];
      page.on(
        "requestfailed",
        (r) => failures.push(`${r.url().slice(0, 100)}: ${r.failure()?.errorText}`),
      );
      page.on(
        "response",
        (r) => r.status() >= 400 && failures.push(`${r.url()}: HTTP ${r.status()}`),
      );
      page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
      for (const name of ["index", ...names.map((n) => n.replace(".ipynb", ""))]) {
        await page.goto(`file://${join(OUT, "course", `${name}.html`)}`, { waitUntil: "load" });
        await page.waitForTimeout(name === "index" ? 0 : 1500); // MathJax typesets after load
        const shown = await page.$$eval("img, svg:not(svg svg)", (elements) =>
          elements.map((e) => {
            const box = e.getBoundingClientRect();
            const img = e as unknown as { complete: boolean; naturalWidth: number };
            return {
              tag: e.tagName.toLowerCase(),
              xmlns: e.getAttribute("xmlns"),
              width: box.width,
              height: box.height,
              loaded: e.tagName !== "IMG" || (img.complete && img.naturalWidth > 0),
            };
          }));
        for (const s of shown) {
          assert.ok(
            s.loaded && s.width > 0 && s.height > 0,
            `${name}: ${s.tag} ${s.width}x${s.height}`,
          );
        }
        const nb = name === "index"
          ? null
          : JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", `${name}.ipynb`)));
        const tagged = (tag: string) =>
          nb?.cells.filter((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.includes(tag))
            .length ?? 0;
        // Each plot is an inline SVG with its xmlns; each image cell shows at least one <img>.
        assert.equal(
          shown.filter((s) => s.tag === "svg").length,
          tagged("expect-plot"),
          `${name}: plots`,
        );
        assert.ok(
          shown.filter((s) => s.tag === "img").length >= tagged("expect-image"),
          `${name}: images`,
        );
        if (nb?.cells.some((c: { source: string[] }) => c.source.join("").includes("$$"))) {
          assert.ok(
            await page.$("mjx-container, .MathJax, .MathJax_CHTML"),
            `${name}: equations typeset`,
          );
        }
        await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      }
      assert.deepEqual(failures, []);
    } finally {
      await browser.close();
    }
  },
});

Deno.test("checkOutputs() reports an error output, a plot cell without a plot and a check that did not pass", async () => {
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
        cell(["exercise-check"], [{ output_type: "stream", text: "Z expected [[3.26295337]]\n" }]),
        cell(["exercise-check"], [{
          output_type: "stream",
          text:
            "Z got [[3.26295337]]\n✔ linearForward: all tests passed (1 value matches the course's)\n",
        }]),
      ],
    }),
  );
  const { errors, missing } = checkOutputs(file);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /cell 2: TypeError: x is undefined/);
  assert.equal(missing.length, 2);
  assert.match(missing[0], /cell 1 lacks a plot/);
  assert.match(missing[1], /cell 4: its exercise check did not pass/);
});

Deno.test("notebook 5 given saved parameters of another shape says so in one line", async () => {
  const out = await Deno.makeTempDir({ prefix: "dnn-nb5-" });
  await saveParameters(
    join(out, "params_deep.h5"),
    initializeParametersDeep([12288, 5, 1]),
    [12288, 5, 1],
  );
  const executed = join(out, "05.ipynb");
  const run = await executeNotebook("05_results_analysis.ipynb", executed, {
    DNN_OUT_DIR: out,
    DNN_LAYERS_DIMS: "12288,20,7,5,1",
  });
  assert.equal(run.success, false, "the notebook stops");
  assert.match(
    run.stderr,
    /^05_results_analysis\.ipynb: Error: \S+params_deep\.h5 holds a \[12288,5,1\] model, not \[12288,20,7,5,1\]: set layersDims to \[12288,5,1\], or train \[12288,20,7,5,1\] in notebook 4$/m,
  );
  await Deno.remove(out, { recursive: true });
});
