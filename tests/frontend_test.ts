/**
 * The notebooks in a real front end: Debian's Jupyter Notebook (the classic one,
 * 6.4) on 127.0.0.1, driven through Chromium with playwright-core as a learner
 * would: Cell > Run All, then look: every plot and picture drawn, and every cell
 * showing the outputs that nbclient recorded for it running the same notebook a
 * cell at a time, none missing and none from another cell. Also opens executed
 * copies untouched: one signed by the commands (trusted), one not (its plots must
 * fall back to the PNG), and one whose plots are HTML only, which the check must
 * catch.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkExercise, linearForward, matmul, type Matrix } from "../lib/mod.ts";
import { ROOT } from "./helpers.ts";
import {
  cellOutputs,
  compare,
  expectedKinds,
  launchChromium,
  open,
  type Output,
  runAll,
  type Shown,
  shown as outputs,
  startServer,
  trust,
} from "./jupyter_page.ts";

interface Cell {
  cell_type: string;
  metadata: { tags?: string[] };
  outputs?: Output[];
}

/** Short training, and what the notebooks save kept out of the learner's out/. */
function env(outDir: string): Record<string, string> {
  return { DNN_NUM_ITERATIONS: "5", DNN_OUT_DIR: outDir, DNN_DATA_DIR: "" };
}

/**
 * Which cells tagged to show a plot or an image show none in the page (a plot
 * shown as sanitised text counts as none).
 */
function missing(cells: Cell[], shown: Shown[]): string[] {
  const code = cells.filter((c) => c.cell_type === "code");
  assert.equal(shown.length, code.length, "one output area per code cell");
  return code.flatMap((cell, i) => {
    const tags = cell.metadata.tags ?? [];
    if (tags.includes("expect-plot") && shown[i].svg + shown[i].img === 0) {
      return [`code cell ${i + 1}: no plot`];
    }
    if (tags.includes("expect-image") && shown[i].img === 0) {
      return [`code cell ${i + 1}: no image`];
    }
    return [];
  });
}

Deno.test({
  name:
    "in Jupyter Notebook, Run All on notebooks 1 and 4 shows every plot and picture, every output under its own cell, and no error",
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "frontend-" });
    const server = await startServer(env(out));
    const browser = await launchChromium();
    const copies: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      for (const name of ["01_dataset.ipynb", "04_l_layer_model.ipynb"]) {
        // A copy beside the others (ignored by git: *.tmp-*), so the source is never saved over.
        const copy = name.replace(".ipynb", ".tmp-frontend.ipynb");
        await Deno.copyFile(join(ROOT, "notebooks", name), join(ROOT, "notebooks", copy));
        copies.push(copy);
        // What each cell should show: the same notebook executed by nbclient, a cell at a time.
        const expected = await expectedKinds(name, env(out));

        await open(page, server.url(copy));
        await runAll(page);
        const shown = await outputs(page);
        const cells: Cell[] =
          JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", name))).cells;
        const differ = (await cellOutputs(page)).flatMap((cell, i) => {
          const { missing, misplaced } = compare(expected[i], cell.outputs, cell.executionCount);
          return [
            ...missing.map((m) => `code cell ${i + 1} lacks ${m}`),
            ...misplaced.map((m) => `code cell ${i + 1} shows another cell's ${m}`),
          ];
        });
        assert.deepEqual(differ, [], `${name}: each cell's outputs, as nbclient recorded them`);
        assert.deepEqual(shown.flatMap((c) => c.errors), [], `${name}: no error output`);
        assert.deepEqual(
          missing(cells, shown),
          [],
          `${name}, plots and pictures per code cell: ${
            JSON.stringify(shown.map((c) => c.svg + c.img))
          }`,
        );
        const plots = cells.filter((c) => c.metadata.tags?.includes("expect-plot")).length;
        assert.ok(plots >= 1 && shown.some((c) => c.svg > 0), `${name}: plots drawn as SVG`);
        if (name.startsWith("01")) {
          assert.ok(shown.some((c) => c.img >= 10), "notebook 1: the grid of pictures");
        }
        await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
      }
    } finally {
      await browser.close();
      await server.stop();
      for (const copy of copies) await Deno.remove(join(ROOT, "notebooks", copy)).catch(() => {});
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "in Jupyter Notebook, executed copies show their plots, trusted or not; plots sent as HTML only would not",
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "frontend-" });
    // An executed copy as `deno task notebooks` writes it: executed by nbclient, signed.
    const signed = "04_l_layer_model.tmp-signed.ipynb";
    const run = await new Deno.Command("/usr/bin/python3", {
      args: [
        join(ROOT, "cli/execute_notebook.py"),
        join(ROOT, "notebooks", "04_l_layer_model.ipynb"),
        join(ROOT, "notebooks", signed),
      ],
      env: env(out),
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(run.success, new TextDecoder().decode(run.stderr));
    const executed = JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", signed)));
    // The same outputs, unsigned (as on another machine), and with the plots as HTML only.
    const unsigned = "04_l_layer_model.tmp-unsigned.ipynb";
    const htmlOnly = "04_l_layer_model.tmp-htmlonly.ipynb";
    const copy = structuredClone(executed);
    copy.metadata.copied = true; // another content: its signature no longer matches
    await Deno.writeTextFile(join(ROOT, "notebooks", unsigned), JSON.stringify(copy));
    const html = structuredClone(copy);
    let plots = 0;
    for (const cell of html.cells as Cell[]) {
      for (const output of cell.outputs ?? []) {
        const svg = output.data?.["image/svg+xml"];
        if (typeof svg !== "string" && !Array.isArray(svg)) continue;
        output.data = { "text/html": `<div>${[svg].flat().join("")}</div>`, "text/plain": "plot" };
        plots++;
      }
    }
    assert.ok(plots >= 3, `${plots} plots in notebook 4`);
    await Deno.writeTextFile(join(ROOT, "notebooks", htmlOnly), JSON.stringify(html));

    const server = await startServer(env(out));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const cells: Cell[] = executed.cells;

      await open(page, server.url(signed));
      assert.equal(await trust(page), "Trusted", "the commands' copy is signed");
      let shown = await outputs(page);
      assert.deepEqual(missing(cells, shown), [], "signed copy");
      assert.ok(shown.some((c) => c.svg > 0), "a trusted page draws the SVG");

      await open(page, server.url(unsigned));
      assert.equal(await trust(page), "Not Trusted");
      shown = await outputs(page);
      assert.deepEqual(missing(cells, shown), [], "unsigned copy: the PNGs");
      assert.equal(shown.reduce((n, c) => n + c.svg, 0), 0, "an untrusted page shows no SVG");

      // What the plots were before: HTML, which an untrusted page sanitises into bare text.
      await open(page, server.url(htmlOnly));
      shown = await outputs(page);
      const lost = missing(cells, shown);
      assert.equal(lost.length, plots, `every HTML-only plot is caught: ${lost}`);
      assert.ok(lost.every((l) => l.endsWith("no plot")));
    } finally {
      await browser.close();
      await server.stop();
      for (const file of [signed, unsigned, htmlOnly]) {
        await Deno.remove(join(ROOT, "notebooks", file)).catch(() => {});
      }
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "in Jupyter Notebook, notebook 2's tables keep each cell on one line, and a failed check's lines are not cut mid-word",
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "frontend-" });
    const server = await startServer(env(out));
    const browser = await launchChromium();
    // The failed check of a learner who left out `+ b`: the error as the kernel shows it, its
    // stack cut in lines (the message with its hint is some 190 characters long).
    const noB = (APrev: Matrix, W: Matrix, b: Matrix) => {
      const [, cache] = linearForward(APrev, W, b);
      return [matmul(W, APrev), cache] as [Matrix, typeof cache];
    };
    const error = await checkExercise("linearForward", noB, () => {}).catch((e) => e as Error);
    assert.ok(error instanceof Error && /Hint: /.test(error.message));
    const copy = "02_building_blocks.tmp-tables.ipynb";
    const notebook = JSON.parse(
      Deno.readTextFileSync(join(ROOT, "notebooks", "02_building_blocks.ipynb")),
    );
    const check = notebook.cells.find((c: { id: string }) => c.id === "linearForward-check");
    check.outputs = [{
      output_type: "error",
      ename: error.name,
      evalue: error.message,
      traceback: error.stack!.split("\n"),
    }];
    check.execution_count = 1;
    await Deno.writeTextFile(join(ROOT, "notebooks", copy), JSON.stringify(notebook));
    try {
      for (const width of [1200, 800]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await open(page, server.url(copy));
        // Every formula typeset: MathJax runs its queue in order.
        await page.evaluate("new Promise((done) => MathJax.Hub.Queue(done))");
        const wrapped: string[] = await page.evaluate(`[...document.querySelectorAll(
          ".text_cell_render table")].flatMap((table, t) => [
          ...(table.querySelector(".MathJax_FullWidth") ? ["table " + t + ": a formula broken"] : []),
          ...[...table.querySelectorAll("th, td")].flatMap((cell) => {
            const s = getComputedStyle(cell), em = parseFloat(s.fontSize);
            const inner = cell.getBoundingClientRect().height - parseFloat(s.paddingTop) -
              parseFloat(s.paddingBottom);
            return inner > 2 * em ? ["table " + t + ", " + cell.innerText.trim() + ": wraps"] : [];
          }),
        ])`);
        assert.ok(
          await page.locator(".text_cell_render table").count() >= 2,
          "notebook 2 has its tables",
        );
        assert.deepEqual(wrapped, [], `at ${width} pixels`);
        // Each line of the error shows as one line: the <pre> is as high as when it may not wrap.
        const shownError = await page.evaluate(`(() => {
          const pre = document.querySelector(".output_error pre");
          const wrapping = pre.clientHeight;
          pre.style.whiteSpace = "pre";
          return { wrapping, unwrapped: pre.clientHeight, text: pre.innerText.trim() };
        })()`) as { wrapping: number; unwrapped: number; text: string };
        assert.equal(shownError.text, error.stack);
        assert.equal(shownError.wrapping, shownError.unwrapped, `at ${width} pixels, wrapped`);
        await page.close();
      }
    } finally {
      await browser.close();
      await server.stop();
      await Deno.remove(join(ROOT, "notebooks", copy)).catch(() => {});
      await Deno.remove(out, { recursive: true });
    }
  },
});
