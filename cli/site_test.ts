import assert from "node:assert/strict";
import { join } from "node:path";
import { DOMParser } from "linkedom";
import { courseNotebooks } from "./notebooks.ts";
import { buildSite, type Course, readCourse } from "./site.ts";

/** A folder with `course.json` (the given value, or text as is) beside `01_a.ipynb` and `02_b.ipynb`. */
async function manifest(value: unknown): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dnn-course-" });
  for (const name of ["01_a.ipynb", "02_b.ipynb"]) await Deno.writeTextFile(join(dir, name), "{}");
  const path = join(dir, "course.json");
  await Deno.writeTextFile(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

const good = {
  title: "Course",
  description: "About it.",
  notebooks: [
    { file: "01_a.ipynb", title: "1. A", description: "The first.", teaches: ["one thing"] },
    { file: "02_b.ipynb", title: "2. B", description: "The second.", teaches: ["another"] },
  ],
  dropOutputLines: ["^took \\d+ s$"],
};

Deno.test("readCourse() reads a manifest, and names the file and the field of a bad one", async () => {
  assert.deepEqual(readCourse(await manifest(good)), good);
  const { dropOutputLines: _, ...withoutDrop } = good;
  assert.deepEqual(readCourse(await manifest(withoutDrop)).dropOutputLines, []);

  const wrong = async (value: unknown, message: string) => {
    const path = await manifest(value);
    assert.throws(() => readCourse(path), (e: Error) => {
      assert.ok(e.message.startsWith(`${path}: `), e.message);
      assert.ok(e.message.includes(message), `"${e.message}" says "${message}"`);
      return true;
    });
  };
  const notebook = (change: object) => ({
    ...good,
    notebooks: [{ ...good.notebooks[0], ...change }],
  });
  await wrong("{ not json", "JSON");
  await wrong([], "the manifest must be an object");
  await wrong({ ...good, title: "" }, "title must be a non-empty string");
  await wrong({ ...good, notebooks: [] }, "notebooks must be a non-empty list");
  await wrong({ ...good, notebooks: [3] }, "notebooks[0] must be an object");
  await wrong(notebook({ title: 1 }), "notebooks[0].title must be a non-empty string");
  await wrong(notebook({ teaches: "a thing" }), "notebooks[0].teaches must be a non-empty list");
  await wrong(notebook({ teaches: ["ok", 2] }), "notebooks[0].teaches[1] must be");
  await wrong(notebook({ file: "../01_a.ipynb" }), "notebooks[0].file must be a notebook's file");
  await wrong(notebook({ file: "03_c.ipynb" }), "notebooks[0].file names 03_c.ipynb, which is not");
  await wrong(
    { ...good, notebooks: [good.notebooks[0], good.notebooks[0]] },
    "notebooks[1].file lists 01_a.ipynb a second time",
  );
  await wrong(notebook({ teach: ["typo"] }), "notebooks[0].teach is not a field");
  await wrong({ ...good, dropOutputLines: "x" }, "dropOutputLines must be a list");
  await wrong({ ...good, dropOutputLines: ["ok", "(unclosed"] }, "dropOutputLines[1] is not a");
});

Deno.test("notebooks/course.json lists every notebook of the course, in order", () => {
  const course = readCourse();
  assert.deepEqual(course.notebooks.map((n) => n.file), courseNotebooks());
  assert.match(course.notebooks.at(-1)!.title, /optional/i, "the appendix says it is optional");
});

/** A notebook's cell; `tags` become its metadata. */
const code = (source: string, outputs: unknown[] = [], tags: string[] = []) => ({
  cell_type: "code",
  source,
  metadata: { tags },
  outputs,
  execution_count: 7,
});
const stream = (text: string, name = "stdout") => ({ output_type: "stream", name, text });
const display = (data: Record<string, string>) => ({
  output_type: "display_data",
  data,
  metadata: {},
});

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"><rect/></svg>';
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const tiny = {
  cells: [
    {
      cell_type: "markdown",
      source: [
        "# 1. Tiny\n",
        "\n",
        "Inline $x^2$, and `$HOME` and `$PATH` are code. A\n",
        "display:\n",
        "\n",
        "$$\\frac{a_1}{b} [y](i)$$\n",
        "\n",
        "## First part\n",
        "\n",
        "![the diagram](attachment:d.svg)\n",
        "\n",
        "### Detail with $y_1$\n",
        "\n",
        "## First part\n",
      ],
      metadata: {},
      attachments: { "d.svg": { "image/svg+xml": btoa(SVG) } },
    },
    code("import { x } from './x.ts';"),
    code("secretRemoved();", [stream("REMOVED OUTPUT\n")], ["remove-cell"]),
    code("hiddenInput();", [stream("shown output\n")], ["hide-input"]),
    code("notShownInput();", [stream("only the output\n")], ["remove-input"]),
    code("train();", [stream("cost 0.5\n"), stream("took 12 s\n"), stream("accuracy 1\n")]),
    code("plot();", [display({ "text/html": `<div>${SVG}</div>`, "image/png": PNG })]),
    code("picture();", [display({ "image/png": PNG, "text/plain": "a pixel" })]),
    code("listing();", [display({ "text/markdown": "**bold** and $z$", "text/plain": "bold" })]),
    code("fail();", [{
      output_type: "error",
      ename: "TypeError",
      evalue: "boom",
      traceback: ["\x1b[31mTypeError\x1b[0m: boom"],
    }]),
  ],
};

/** Builds a course of `tiny` and a one-cell second notebook; returns the site's folder. */
async function site(first: unknown = tiny): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dnn-site-" });
  await Deno.writeTextFile(join(dir, "01_a.ipynb"), JSON.stringify(first));
  await Deno.writeTextFile(
    join(dir, "02_b.ipynb"),
    JSON.stringify({ cells: [{ cell_type: "markdown", source: "# 2. B", metadata: {} }] }),
  );
  const course: Course = {
    ...good,
    notebooks: [{ ...good.notebooks[0], teaches: ["the square $x^2$"] }, good.notebooks[1]],
  };
  const written = await buildSite(course, dir, join(dir, "site"));
  assert.deepEqual(
    written,
    ["index.html", "01_a.html", "02_b.html"].map((f) => join(dir, "site", f)),
  );
  return join(dir, "site");
}

const parse = (path: string) =>
  new DOMParser().parseFromString(Deno.readTextFileSync(path), "text/html");

Deno.test("buildSite() renders math, cells by their tags, outputs, and the contents list", async () => {
  const out = await site();
  const html = Deno.readTextFileSync(join(out, "01_a.html"));
  const page = parse(join(out, "01_a.html"));
  const main = page.querySelector("main");
  const text = main.textContent;

  // Math, typeset now: one inline formula in a paragraph, one display formula, no `$` left.
  const tex = [...main.querySelectorAll(".katex annotation")].map((a) => a.textContent);
  assert.deepEqual(tex, ["x^2", "\\frac{a_1}{b} [y](i)", "y_1", "z"]);
  assert.equal(main.querySelectorAll(".katex-display").length, 1);
  assert.ok(main.querySelector(".katex-display annotation").textContent.startsWith("\\frac"));
  assert.deepEqual(
    [...main.querySelectorAll("p > code")].map((c) => c.textContent),
    ["$HOME", "$PATH"],
    "math is not looked for in code",
  );
  assert.doesNotMatch(text.replace(/\$HOME|\$PATH/g, ""), /\$/);
  assert.doesNotMatch(html, /mathph\d+end/);

  // Headings get ids, unique on the page; the contents list nests ### under ##.
  const ids = [...main.querySelectorAll("h2, h3")].map((h) => h.id);
  assert.deepEqual(ids, ["first-part", "detail-with", "first-part-2"]);
  const contents = page.querySelector("aside.contents > ul");
  assert.deepEqual(
    [...contents.children].map((li) => li.querySelector("a").getAttribute("href")),
    ["#first-part", "#first-part-2"],
  );
  assert.equal(contents.querySelector("li ul a").getAttribute("href"), "#detail-with");
  assert.ok(contents.querySelector("li ul a .katex"), "the heading's math, in the contents");

  // The attachment, as a data: URI.
  assert.equal(
    main.querySelector('img[alt="the diagram"]').getAttribute("src"),
    `data:image/svg+xml;base64,${btoa(SVG)}`,
  );

  // Tags: remove-cell, hide-input (and imports), remove-input.
  assert.doesNotMatch(html, /secretRemoved|REMOVED OUTPUT/);
  const folded = [...main.querySelectorAll("details")].map((d) => d.textContent);
  assert.deepEqual(folded, ["codeimport { x } from './x.ts';", "codehiddenInput();"]);
  assert.ok(main.querySelectorAll("details[open]").length === 0, "folded");
  assert.match(text, /shown output/);
  assert.doesNotMatch(html, /notShownInput/);
  assert.match(text, /only the output/);

  // One stream is one <pre>, without the lines dropOutputLines names.
  const streams = [...main.querySelectorAll("pre.stdout")].map((p) => p.textContent);
  assert.ok(streams.includes("cost 0.5\naccuracy 1"), JSON.stringify(streams));
  assert.doesNotMatch(html, /took 12 s/);

  // The richest output: the inline SVG of the plot, not its PNG; a PNG alone as an <img>.
  assert.equal(main.querySelectorAll(".output svg").length, 1);
  const images = [...main.querySelectorAll(".output img")];
  assert.deepEqual(images.map((i) => i.getAttribute("alt")), ["a pixel"]);
  assert.equal(images[0].getAttribute("src"), `data:image/png;base64,${PNG}`);
  assert.equal(main.querySelector(".output .markdown strong").textContent, "bold");

  // An error, in a red <pre>, without terminal colours; no execution counts.
  assert.equal(main.querySelector("pre.error").textContent, "TypeError: boom");
  assert.doesNotMatch(text, /\[7\]/);

  // Previous / index / next, above and below.
  const pagers = [...page.querySelectorAll("nav.pager")];
  assert.equal(pagers.length, 2);
  for (const nav of pagers) {
    const links = [...nav.querySelectorAll("a")].map((
      a,
    ) => [a.getAttribute("rel"), a.getAttribute("href")]);
    assert.deepEqual(links, [["index", "index.html"], ["next", "02_b.html"]]);
  }
  const back = [...parse(join(out, "02_b.html")).querySelectorAll("nav.pager a[rel=prev]")];
  assert.deepEqual(back.map((a) => a.getAttribute("href")), ["01_a.html", "01_a.html"]);
  assert.equal(parse(join(out, "02_b.html")).querySelector("title").textContent, "2. B · Course");
});

Deno.test("buildSite() writes an index of the notebooks, and KaTeX's CSS with the woff2 fonts the pages use", async () => {
  const out = await site();
  const index = parse(join(out, "index.html"));
  const items = [...index.querySelectorAll("ol.notebooks > li")];
  assert.deepEqual(
    items.map((
      li,
    ) => [li.querySelector("a").getAttribute("href"), li.querySelector("a").textContent]),
    [["01_a.html", "1. A"], ["02_b.html", "2. B"]],
  );
  assert.equal(items[0].querySelector("p").textContent, "The first.");
  assert.equal(items[0].querySelector(".teaches li .katex annotation").textContent, "x^2");

  const css = Deno.readTextFileSync(join(out, "_static", "katex", "katex.min.css"));
  const fonts = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(fonts.length > 0 && fonts.every((f) => f.endsWith(".woff2")), fonts.join(" "));
  const files = [...Deno.readDirSync(join(out, "_static", "katex", "fonts"))].map((e) => e.name);
  assert.deepEqual(files.sort(), fonts.map((f) => f.replace("fonts/", "")).sort());
  assert.ok(
    files.includes("KaTeX_Main-Regular.woff2") && files.includes("KaTeX_Math-Italic.woff2"),
  );
  assert.ok(!files.some((f) => f.startsWith("KaTeX_Fraktur")), "no \\mathfrak on the pages");
  assert.ok(Deno.statSync(join(out, "_static", "course.css")).size > 0);
});

Deno.test("buildSite() names the notebook and cell of a formula KaTeX rejects, or of a missing attachment", async () => {
  const markdown = (source: string) => ({
    cells: [{ cell_type: "markdown", source, metadata: {} }],
  });
  await assert.rejects(
    site(markdown("fine\n\n$\\nosuchmacro$")),
    /01_a\.ipynb cell 1: .*nosuchmacro/,
  );
  await assert.rejects(
    site(markdown("![x](attachment:gone.png)")),
    /01_a\.ipynb cell 1: .*gone\.png/,
  );
});
