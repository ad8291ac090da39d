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
import { grade, type GradeLine } from "./grading.ts";
import { folderSize } from "./helpers.ts";
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

/** A notebook as the page's Download saves it. */
interface Saved {
  cells: { cell_type: string; source: string[]; outputs?: unknown[]; execution_count?: number }[];
}

/**
 * Presses Download notebook; what the browser saved, checked by nbformat's validator (as
 * Jupyter checks a notebook it opens), and `deno task grade --json`'s line for it.
 */
async function downloadAndGrade(page: Page): Promise<{ saved: Saved; graded: GradeLine }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("button.download").click(),
  ]);
  const file = download.suggestedFilename();
  assert.equal(file, "02_building_blocks.ipynb");
  const path = join(await Deno.makeTempDir({ prefix: "dnn-download-" }), file);
  await download.saveAs(path);
  const validate = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], 4))", path],
  }).output();
  assert.equal(validate.code, 0, new TextDecoder().decode(validate.stderr));
  const bytes = await Deno.readFile(path);
  const { code, grades, stderr } = await grade({ [file]: bytes });
  assert.equal(code, 0, stderr);
  assert.equal(grades.length, 1);
  return { saved: JSON.parse(new TextDecoder().decode(bytes)), graded: grades[0] };
}

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

      const { saved, graded } = await downloadAndGrade(page);
      assert.ok(graded.maxScore > 0);
      assert.equal(graded.score, 0, "the unsolved notebook scores nothing");
      const counts = saved.cells.flatMap((c) => c.cell_type === "code" ? [c.execution_count] : []);
      assert.deepEqual(counts, counts.map((_, i) => i + 1), "each cell's run counted, in order");
      for (const n of checks) {
        assert.match(JSON.stringify(saved.cells[n].outputs), /not implemented/, `saved cell ${n}`);
      }
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

      const { saved, graded } = await downloadAndGrade(page);
      for (const n of exercises) {
        assert.equal(saved.cells[n].source.join(""), notebook.cells[n].source.join(""));
      }
      for (const n of checks) {
        assert.match(JSON.stringify(saved.cells[n].outputs), /all tests passed/, `saved ${n}`);
      }
      assert.deepEqual(graded.exercises.filter((e) => !e.passed), [], "every exercise passes");
      assert.ok(graded.maxScore > 0);
      assert.equal(graded.score, graded.maxScore, "the downloaded notebook grades full marks");
      assert.deepEqual(problems, []);
    });
  },
});

/** A PNG's or a baseline/progressive JPEG's size, read from its header. */
function pictureSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0x89 && bytes[1] === 0x50) { // PNG: IHDR's width and height
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  assert.equal(view.getUint16(0), 0xffd8, "a JPEG");
  for (let at = 2; at + 9 < bytes.length;) {
    const marker = bytes[at + 1];
    if (marker >= 0xc0 && marker <= 0xc2) { // start of frame: height, then width
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  throw new Error("no JPEG frame header");
}

Deno.test({
  name: "the student site's notebook 6: the learner picks a photo, and the cells predict on it",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const images = join(ROOT, "data", "images");
    const [chelsea, coffee, rocket] = ["chelsea.png", "coffee.png", "rocket.jpg"].map((f) =>
      pictureSize(Deno.readFileSync(join(images, f)))
    );
    const shown = ({ width, height }: { width: number; height: number }) =>
      `${width}x${height} -> 64x64`;
    assert.notEqual(shown(coffee), shown(chelsea));
    assert.notEqual(shown(rocket), shown(chelsea));
    const file = `06_your_own_image.html?DNN_NUM_ITERATIONS=${ITERATIONS}`;
    await onStudentPage(file, async (page, problems) => {
      // The picker is above the parameters cell, the one that sets `image`.
      const picker = page.locator(".image-picker");
      assert.equal(await picker.count(), 1);
      const below = await picker.evaluate((e) => e.nextElementSibling?.textContent ?? "");
      assert.match(below, /notebookParameters\(\{\s*image: "\.\.\/data\/images\/chelsea\.png"/);
      assert.match(await picker.locator(".picked").innerText(), /chelsea\.png/);

      await picker.locator("input[type=file]").setInputFiles(join(images, "coffee.png"));
      await page.waitForFunction(
        () => document.querySelector(".image-picker .picked")?.textContent?.includes("coffee"),
      );
      assert.match(
        await picker.locator(".picked").innerText(),
        /^Using your coffee\.png \(\d+ KB\) as image, \.\.\/my_images\/coffee\.png/,
      );
      await runAll(page, 60_000);
      let ran = [...(await cells(page)).values()];
      assert.deepEqual(ran.filter((c) => c.state !== "done").map((c) => c.text), []);
      let text = ran.map((c) => c.text).join("\n");
      assert.match(text, /image = "\.\.\/my_images\/coffee\.png", from DNN_IMAGE/);
      assert.match(text, /not found: training \[12288,20,7,5,1\] here/);
      assert.ok(text.includes(`${shown(coffee)} -> x 12288,1`), text);
      assert.ok(!text.includes(shown(chelsea)), "not the cell's own photo");
      assert.match(text, /^Prediction: (cat|non-cat) \(probability of cat [01]\.\d{4}\)$/m);
      assert.equal(await page.locator(".outputs img").count(), 1, "the photo, resized, shown");

      // Picked again once the cells ran: the parameters cell runs again, then cells 7-8 do.
      await picker.locator("input[type=file]").setInputFiles(join(images, "rocket.jpg"));
      await page.waitForFunction(
        () => document.querySelector(".image-picker .picked")?.textContent?.includes("rocket"),
      );
      assert.match(await picker.locator(".picked").innerText(), /ran again with it/);
      const last = [7, 8];
      for (const n of last) await page.click(`.cell.code[data-cell="${n}"] > button.run`);
      await page.waitForFunction(
        (ns) =>
          [...document.querySelectorAll(".cell.code[data-cell]")].every((c) =>
            ["done", "error"].includes(c.getAttribute("data-state") ?? "")
          ) && ns.every((n) =>
            document.querySelector(`.cell.code[data-cell="${n}"] .outputs`)?.textContent
          ),
        last,
        { timeout: 30_000, polling: 100 },
      );
      ran = [...(await cells(page)).values()];
      assert.deepEqual(ran.filter((c) => c.state !== "done").map((c) => c.text), []);
      text = ran.map((c) => c.text).join("\n");
      assert.match(text, /image = "\.\.\/my_images\/rocket\.jpg", from DNN_IMAGE/);
      assert.ok(text.includes(`${shown(rocket)} -> x 12288,1`), text);
      assert.ok(!text.includes(shown(coffee)), "the photo picked last");
      assert.match(text, /^Prediction: (cat|non-cat) /m);
      assert.deepEqual(problems, []);
    });
  },
});

Deno.test({
  name: "the student site stays under 20 MB, live code, data and photos in",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { student } = await setUp();
    const total = folderSize(student);
    const megabytes = (dir: string) => (folderSize(join(student, dir)) / 1024 / 1024).toFixed(2);
    console.log(
      `student site: ${(total / 1024 / 1024).toFixed(2)} MB (live ${megabytes("live")} MB, ` +
        `data ${megabytes("data")} MB)`,
    );
    assert.ok(Deno.statSync(join(student, "02_building_blocks.ipynb")).isFile);
    assert.ok(total < 20 * 1024 * 1024, `the student site is ${total} bytes`);
  },
});
