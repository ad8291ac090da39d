/// <reference lib="dom" />
/**
 * The live course site in a real browser (Debian's Chromium, through
 * Playwright): its pages run their cells in the page, with the numbers of
 * `deno task train`, cross-origin isolated (`deno task serve`) or not (a plain
 * static host), and notebook 5's page finds what notebook 4's saved.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { siteHandler } from "../cli/serve.ts";
import { buildSite, readCourse } from "../cli/site.ts";
import { writeStudentEdition } from "../cli/student.ts";
import { launchChromium } from "./jupyter_page.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ITERATIONS = 20;

/** A site served on localhost, with or without the cross-origin isolation headers. */
function serve(dir: string, isolated: boolean) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    siteHandler(dir, isolated),
  );
  return { url: `http://127.0.0.1:${server.addr.port}`, stop: () => server.shutdown() };
}

/** What went wrong on a page: console errors, uncaught errors, requests that failed. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  return problems;
}

/** Presses Run all, as a learner does, and waits until every cell has run. */
async function runAll(page: Page, timeout = 180_000): Promise<void> {
  await page.click("button.run-all");
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll(".cell.code[data-cell]")].every((c) =>
        ["done", "error"].includes(c.getAttribute("data-state") ?? "")
      ),
    null,
    { timeout },
  );
}

/** Each cell's state and text, by its place in the notebook. */
async function cells(page: Page): Promise<Map<number, { state: string; text: string }>> {
  const found = await page.$$eval(".cell.code[data-cell]", (all) =>
    all.map((c) =>
      [
        Number(c.getAttribute("data-cell")),
        c.getAttribute("data-state") ?? "",
        (c.querySelector(".outputs") as HTMLElement).innerText,
      ] as const
    ));
  return new Map(found.map(([n, state, text]) => [n, { state, text }]));
}

/** The lines `Cost after iteration i: c` of a text. */
const costLines = (text: string) => text.split("\n").filter((l) => l.startsWith("Cost after"));

let sites: Promise<{ solution: string; student: string; train: string }> | undefined;

/** The two live sites (from the notebooks as committed) and what `train` prints, made once. */
function setUp() {
  return sites ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "dnn-live-site-" });
    const course = readCourse();
    const solution = join(dir, "course"), student = join(dir, "student");
    await buildSite(course, join(ROOT, "notebooks"), solution, { live: true });
    const sources = course.notebooks.map((n) => join(ROOT, "notebooks", n.file));
    await writeStudentEdition(sources, join(dir, "student-notebooks"));
    await buildSite(course, join(dir, "student-notebooks"), student, { live: true });
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "cli/train.ts"), "--iterations", String(ITERATIONS)],
      env: { DNN_OUT_DIR: join(dir, "train-out") },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    return { solution, student, train: new TextDecoder().decode(out.stdout) };
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

async function withBrowser(test: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await launchChromium();
  try {
    await test(browser);
  } finally {
    await browser.close();
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
          await page.goto(`${server.url}/04_l_layer_model.html?DNN_NUM_ITERATIONS=${ITERATIONS}`);
          await runAll(page);
          const ran = await cells(page);
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
