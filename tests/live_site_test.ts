/// <reference lib="dom" />
/**
 * The live course site in a real browser (Debian's Chromium, through
 * Playwright): its pages run their cells in the page, with the numbers of
 * `deno task train`, cross-origin isolated (`deno task serve`) or not (a plain
 * static host), and notebook 5's page finds what notebook 4's saved.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import {
  buildSites,
  cells,
  costLines,
  runAll,
  serve,
  train,
  trainInPage,
  watch,
  withBrowser,
} from "./live_site.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ITERATIONS = 20;

let sites: Promise<{ solution: string; student: string; train: string }> | undefined;

/** The two live sites (from the notebooks as committed) and what `train` prints, made once. */
function setUp() {
  return sites ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "dnn-live-site-" });
    const built = await buildSites(dir);
    return { ...built, train: await train(ITERATIONS, join(dir, "train-out")) };
  })();
}

/** Opens a page of the student site in a new browser; `problems` is what went wrong there. */
async function onStudentPage(
  file: string,
  test: (page: Page, problems: string[]) => Promise<void>,
): Promise<void> {
  const { student } = await setUp();
  const server = serve(student, true);
  try {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const problems = watch(page);
      await page.goto(`${server.url}/${file}`);
      await test(page, problems);
    });
  } finally {
    await server.stop();
  }
}

for (const isolated of [true, false]) {
  Deno.test({
    name: `notebook 4's page trains with train's costs, ${
      isolated ? "cross-origin isolated, on 2 threads" : "on a plain static host, on one thread"
    }; notebook 5's page loads what it saved`,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const { solution, train } = await setUp();
      const expected = costLines(train);
      assert.equal(expected.length, 2, train); // iterations 0 and 19
      const server = serve(solution, isolated);
      try {
        await withBrowser(async (browser) => {
          const page = await browser.newPage();
          const problems = watch(page);
          const ran = await trainInPage(page, server.url, ITERATIONS);
          const failed = [...ran].filter(([, c]) => c.state !== "done");
          assert.deepEqual(failed, [], "every cell runs without an error");
          const printed = [...ran.values()].flatMap((c) => costLines(c.text));
          assert.deepEqual(printed, expected, "the page prints train's costs, every digit");
          const about = await page.locator(".live-about").innerText();
          const threads = isolated ? "2 threads" : "1 thread";
          assert.match(about, new RegExp(`matrix products: fast, ${threads}, f64`));
          assert.match(about, isolated ? /; cross-origin isolated/ : /not cross-origin isolated/);
          assert.match(about, /saved files kept in this browser/);

          await page.goto(
            `${server.url}/05_results_analysis.html?DNN_NUM_ITERATIONS=${ITERATIONS}`,
          );
          await runAll(page);
          const five = [...(await cells(page)).values()];
          assert.deepEqual(five.filter((c) => c.state !== "done").map((c) => c.text), []);
          assert.ok(
            five.some((c) => c.text.includes("loaded ../out/params_deep.h5: layersDims [12288")),
            "notebook 5 loads notebook 4's parameters",
          );
          assert.deepEqual(problems, []);
        });
      } finally {
        await server.stop();
      }
    },
  });
}

Deno.test({
  name: "the student site's notebook 2: Run all stops at each check with 'not implemented', only",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const notebook = JSON.parse(
      await Deno.readTextFile(join(ROOT, "notebooks", "02_building_blocks.ipynb")),
    );
    const checks = notebook.cells.flatMap((c: { metadata: { tags?: string[] } }, i: number) =>
      c.metadata.tags?.includes("exercise-check") ? [i] : []
    );
    assert.ok(checks.length >= 10);
    await onStudentPage("02_building_blocks.html", async (page, problems) => {
      await runAll(page);
      const ran = await cells(page);
      const failed = [...ran].filter(([, c]) => c.state === "error").map(([n]) => n);
      assert.deepEqual(failed, checks, "the checks fail, and only they");
      for (const n of checks) assert.match(ran.get(n)!.text, /not implemented/, `cell ${n}`);
      assert.deepEqual(problems, []);
    });
  },
});

Deno.test({
  name: "the student site's notebook 2: the solutions typed into the editors pass every check, " +
    "and stay after a reload",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const notebook = JSON.parse(
      await Deno.readTextFile(join(ROOT, "notebooks", "02_building_blocks.ipynb")),
    );
    type SourceCell = {
      source: string[];
      metadata: { tags?: string[]; nbgrader?: { solution?: boolean } };
    };
    const cellsOf = (test: (c: SourceCell) => boolean) =>
      notebook.cells.flatMap((c: SourceCell, i: number) => test(c) ? [i] : []) as number[];
    const exercises = cellsOf((c) => c.metadata.nbgrader?.solution === true);
    const checks = cellsOf((c) => c.metadata.tags?.includes("exercise-check") ?? false);
    assert.ok(exercises.length >= 10);
    await onStudentPage("02_building_blocks.html", async (page, problems) => {
      for (const n of exercises) {
        const editor = page.locator(`.cell.code[data-cell="${n}"] .cm-content`);
        await editor.click();
        await page.keyboard.press("Control+A");
        await page.keyboard.press("Delete");
        await page.keyboard.insertText(notebook.cells[n].source.join(""));
      }
      await page.reload();
      const kept = await page.locator(`.cell.code[data-cell="${exercises[0]}"] .cm-content`)
        .innerText();
      assert.match(kept, /BEGIN SOLUTION/, "the edits are kept across a reload");
      await runAll(page);
      const ran = await cells(page);
      const failed = [...ran].filter(([, c]) => c.state !== "done");
      assert.deepEqual(failed, [], "every cell runs");
      for (const n of checks) {
        assert.match(ran.get(n)!.text, /^✔ \w+: all tests passed/m, `cell ${n}`);
      }
      assert.deepEqual(problems, []);
    });
  },
});
