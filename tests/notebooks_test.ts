/**
 * The notebooks, executed by the real Deno kernel through Jupyter with few
 * iterations, and checked: every cell tagged to plot has a plot, to show an image
 * has a PNG, to print has printed, and no cell has an error. Committed notebooks
 * carry no outputs.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DOMParser } from "linkedom";
import { checkOutputs, courseNotebooks, OUT } from "../cli/notebooks.ts";
import { readCourse } from "../cli/site.ts";
import { initializeParametersDeep, saveParameters } from "../lib/mod.ts";
import { executeNotebook, folderSize, ROOT, runTask } from "./helpers.ts";

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
  // What a markdown cell quotes as printed above (`<!-- printed above -->` and a text block) is
  // what the cells above it printed, line for line.
  let quoted = 0;
  for (const name of names) {
    const cells: { cell_type: string; source: string[]; outputs?: { text?: string[] }[] }[] =
      JSON.parse(Deno.readTextFileSync(join(OUT, "notebooks", name))).cells;
    cells.forEach((cell, i) => {
      const text = cell.source.join("");
      const block = /<!-- printed above -->\s*```text\n([\s\S]*?)```/.exec(text);
      if (cell.cell_type !== "markdown" || !block) return;
      const printed = cells.slice(0, i).flatMap((c) => c.outputs ?? [])
        .flatMap((o) => (o.text ?? []).join("").split("\n"));
      for (const line of block[1].trimEnd().split("\n")) {
        assert.ok(printed.includes(line), `${name}, cell ${i + 1} quotes "${line}", not printed`);
        quoted++;
      }
    });
  }
  assert.ok(quoted >= 6, `${quoted} quoted lines`);
  // No output names a folder of the machine's: paths inside the project are shown relative to
  // the notebook (`../out/run`), and nothing else is printed.
  for (const name of names) {
    const cells: { outputs?: unknown[] }[] =
      JSON.parse(Deno.readTextFileSync(join(OUT, "notebooks", name))).cells;
    const outputs = JSON.stringify(cells.map((c) => c.outputs ?? []));
    assert.ok(!outputs.includes(ROOT.replace(/\/$/, "")), `${name} prints the project's path`);
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
  // The site: the index, a page per notebook and _static/ (no MathJax, no nbconvert pages),
  // and what runs its cells in the browser: live/, the course's data, and each page's
  // notebook, outputs cleared, for its Download notebook.
  const site = join(OUT, "course");
  const pages = names.map((n) => n.replace(".ipynb", ".html"));
  assert.deepEqual(
    [...Deno.readDirSync(site)].map((e) => e.name).sort(),
    ["_static", "data", "index.html", "live", ...pages, ...names].sort(),
  );
  for (const name of names) {
    const given = JSON.parse(Deno.readTextFileSync(join(site, name)));
    const executed = JSON.parse(Deno.readTextFileSync(join(OUT, "notebooks", name)));
    type Code = { cell_type: string; outputs?: unknown[]; execution_count?: number | null };
    const code = (nb: { cells: Code[] }) => nb.cells.filter((c) => c.cell_type === "code");
    assert.ok(code(executed).some((c) => c.outputs!.length > 0), `${name} was executed`);
    assert.deepEqual(
      code(given).filter((c) => c.outputs!.length > 0 || c.execution_count !== null),
      [],
      `${name} beside its page has no outputs`,
    );
    assert.equal(given.cells.length, executed.cells.length, name);
  }
  assert.deepEqual(
    [...Deno.readDirSync(join(site, "_static"))].map((e) => e.name).sort(),
    ["course.css", "katex"],
  );
  // The index lists the manifest's notebooks in order: title, description, what each teaches.
  const course = readCourse();
  const index = new DOMParser().parseFromString(
    await Deno.readTextFile(join(site, "index.html")),
    "text/html",
  );
  const items = [...index.querySelectorAll("ol.notebooks > li")];
  assert.deepEqual(items.map((li) => li.querySelector("a").getAttribute("href")), pages);
  assert.deepEqual(
    items.map((li) => li.querySelector("a").textContent),
    course.notebooks.map((n) => n.title),
  );
  assert.deepEqual(items.map((li) => li.querySelector("a").textContent.slice(0, 3)), [
    "1. ",
    "2. ",
    "3. ",
    "4. ",
    "5. ",
    "6. ",
    "7. ",
    "8. ",
  ]);
  assert.ok(items.every((li) => li.querySelector("p").textContent.length > 0), "descriptions");
  assert.deepEqual(
    items.map((li) => li.querySelectorAll(".teaches > li").length),
    course.notebooks.map((n) => n.teaches.length),
  );
  // Timings printed by the run are left out of the pages (the code that prints them stays).
  assert.match(three, /^trained in [\d.]+ s$/m);
  const page3 = await Deno.readTextFile(join(site, "03_two_layer_model.html"));
  assert.match(page3, /Cost after iteration 29: /);
  assert.doesNotMatch(page3, /<pre class="stdout">[^<]*trained in [\d.]+ s/);
});

Deno.test({
  name:
    "the exported course renders in Chromium: math typeset, plots and images sized, every link resolves, nothing fails to load, under 15 MB",
  // Runs after the export above (tests of one file run in order).
  async fn() {
    const site = join(OUT, "course");
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
      // The site loads nothing from the network: such a request fails the test.
      await page.route((url) => url.protocol !== "file:", (route) => {
        failures.push(`${route.request().url()}: not a file of the site`);
        return route.abort();
      });
      page.on(
        "requestfailed",
        (r) => failures.push(`${r.url().slice(0, 100)}: ${r.failure()?.errorText}`),
      );
      page.on(
        "response",
        (r) => r.status() >= 400 && failures.push(`${r.url()}: HTTP ${r.status()}`),
      );
      page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
      const files = readCourse().notebooks.map((n) => n.file);
      for (const name of ["index", ...files.map((f) => f.replace(".ipynb", ""))]) {
        await page.goto(`file://${join(site, `${name}.html`)}`, { waitUntil: "load" });
        const shown = await page.$$eval(
          ".output svg:not(svg svg), img",
          (elements) =>
            elements.map((e) => {
              const box = e.getBoundingClientRect();
              const img = e as unknown as { complete: boolean; naturalWidth: number };
              return {
                tag: e.tagName.toLowerCase(),
                width: box.width,
                height: box.height,
                loaded: e.tagName !== "IMG" || (img.complete && img.naturalWidth > 0),
              };
            }),
        );
        for (const s of shown) {
          assert.ok(
            s.loaded && s.width > 0 && s.height > 0,
            `${name}: ${s.tag} ${s.width}x${s.height}`,
          );
        }
        const nb = name === "index"
          ? null
          : JSON.parse(Deno.readTextFileSync(join(OUT, "notebooks", `${name}.ipynb`)));
        const tagged = (tag: string) =>
          nb?.cells.filter((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.includes(tag))
            .length ?? 0;
        // Each plot is an inline SVG; each image cell shows at least one <img>.
        assert.equal(
          shown.filter((s) => s.tag === "svg").length,
          tagged("expect-plot"),
          `${name}: plots`,
        );
        assert.ok(
          shown.filter((s) => s.tag === "img").length >= tagged("expect-image"),
          `${name}: images`,
        );

        // Math: typeset where the notebook has some, no `$` left in the text, KaTeX's fonts loaded.
        const math = await page.$eval("html", async (html) => {
          const doc = html.ownerDocument;
          await doc.fonts.ready;
          const text = [...doc.querySelectorAll(".cell.markdown, .index")].map((e) => {
            const copy = e.cloneNode(true) as typeof e;
            copy.querySelectorAll("code, pre, .katex").forEach((c: { remove(): void }) =>
              c.remove()
            );
            return copy.textContent;
          }).join("");
          const used = new Set(
            [...doc.querySelectorAll(".katex *")].map((e) =>
              doc.defaultView!.getComputedStyle(e).fontFamily.split(",")[0].replace(/"/g, "")
            ),
          );
          const fonts = [...doc.fonts];
          return {
            typeset: doc.querySelectorAll("main .katex").length,
            errors: doc.querySelectorAll(".katex-error").length,
            dollars: text.includes("$"),
            failed: fonts.filter((f) => f.status === "error").map((f) => f.family),
            unloaded: [...used].filter((family) =>
              family.startsWith("KaTeX_") &&
              !fonts.some((f) => f.family.replace(/"/g, "") === family && f.status === "loaded")
            ),
          };
        });
        const markdown = name === "index"
          ? readCourse().notebooks.flatMap((n) => [n.description, ...n.teaches]).join("\n")
          : nb.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown")
            .map((c: { source: string[] }) => c.source.join("")).join("\n");
        if (/\$/.test(markdown.replace(/`[^`]*`/g, ""))) {
          assert.ok(math.typeset > 0, `${name}: math typeset`);
        }
        assert.equal(math.errors, 0, `${name}: KaTeX errors`);
        assert.ok(!math.dollars, `${name}: a $ left in the text: math not typeset`);
        assert.deepEqual(math.failed, [], `${name}: fonts that failed to load`);
        assert.deepEqual(math.unloaded, [], `${name}: KaTeX fonts used but not loaded`);

        // Every link leads to a file of the site, and an anchor to an element of its page.
        const here = page.url();
        const links = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")!));
        for (const href of links) {
          const url = new URL(href, here);
          if (url.protocol !== "file:") continue; // a link out of the course, in a notebook's text
          const file = decodeURIComponent(url.pathname);
          assert.ok(file.startsWith(site), `${name}: ${href} leaves the site`);
          const html = await Deno.readTextFile(file).catch(() => undefined);
          assert.ok(html !== undefined, `${name}: ${href}: no such file`);
          if (url.hash) {
            assert.ok(
              html.includes(` id="${url.hash.slice(1)}"`),
              `${name}: ${href}: no such anchor`,
            );
          }
        }
        if (name !== "index") {
          const pager = links.filter((h) => !h.startsWith("#"));
          const i = files.indexOf(`${name}.ipynb`);
          const around = [files[i - 1], "index", files[i + 1]].filter((f) => f !== undefined)
            .map((f) => f.replace(".ipynb", "") + ".html");
          assert.deepEqual(pager, [...around, ...around], `${name}: previous / index / next`);
          const headings = await page.$$eval("main h2, main h3", (hs) => hs.map((h) => `#${h.id}`));
          assert.deepEqual(links.filter((h) => h.startsWith("#")), headings, `${name}: contents`);
        }
        await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      }
      assert.deepEqual(failures, []);
    } finally {
      await browser.close();
    }
    // Small enough to mail or put anywhere.
    const sizes = [...Deno.readDirSync(site)].filter((e) => e.isFile)
      .map((e) => `${e.name} ${(Deno.statSync(join(site, e.name)).size / 1024).toFixed(0)} KB`);
    const total = folderSize(site);
    console.log(
      `out/course: ${(total / 1024 / 1024).toFixed(2)} MB (_static ${
        (folderSize(join(site, "_static")) / 1024).toFixed(0)
      } KB; ${sizes.sort().join(", ")})`,
    );
    assert.ok(total < 15 * 1024 * 1024, `out/course is ${total} bytes`);
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

Deno.test("no code cell a learner reads in notebooks 1 to 7 is longer than 12 lines, but exercises, checks and imports", () => {
  const long: string[] = [];
  for (const name of names.filter((n) => n < "08_")) {
    const nb = JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", name)));
    nb.cells.forEach((cell: { cell_type: string; source: string[]; metadata: Meta }, i: number) => {
      const source = cell.source.join("");
      const exempt = cell.metadata.nbgrader?.solution ||
        cell.metadata.tags?.includes("exercise-check") || /^import\b/.test(source);
      const lines = source.split("\n").length;
      if (cell.cell_type === "code" && !exempt && lines > 12) {
        long.push(`${name} cell ${i + 1}: ${lines} lines`);
      }
    });
  }
  assert.deepEqual(long, []);
});

type Meta = { tags?: string[]; nbgrader?: { solution?: boolean } };
