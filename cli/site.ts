/**
 * The course as a static site: an index page and one page per executed notebook,
 * in the order `notebooks/course.json` gives, written by {@link buildSite}.
 *
 * Everything is done at export time: markdown is rendered with `marked`, the math
 * (`$...$` inline, `$$...$$` display) is typeset with KaTeX, and outputs are kept as
 * the kernel sent them (plots are inline SVG, pictures PNG data). The pages load
 * nothing but `_static/`: our stylesheet, KaTeX's, and the KaTeX fonts they use.
 * They link to each other relatively, so the folder works from a disk, a USB stick
 * or any web server.
 *
 * Cell tags: `remove-cell` leaves a cell out, `remove-input` shows only its
 * outputs, `remove-output` only its code, and `hide-input` folds its code into a
 * collapsed "code" box, as a cell whose source starts with `import ` always is.
 *
 * @module
 */

import katex from "katex";
import { Marked } from "marked";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { knobVariable } from "../lib/parameters.ts";
import { buildLive } from "../web/build.ts";
import type { ImagePicker, PageCell } from "../web/page/page.ts";

/** The course manifest: `notebooks/course.json`. */
export const COURSE_JSON: string = fileURLToPath(
  new URL("../notebooks/course.json", import.meta.url),
);

/** One notebook of the course, as the manifest lists it. */
export interface CourseNotebook {
  /** Its file name in `notebooks/`, e.g. `01_dataset.ipynb`. */
  file: string;
  /** Its title (plain text), e.g. `1. The dataset`. */
  title: string;
  /** One line on what it is (markdown, math allowed). */
  description: string;
  /** What it teaches, one item each (markdown, math allowed). */
  teaches: string[];
}

/** The course manifest, `notebooks/course.json`. */
export interface Course {
  /** The course's title (plain text). */
  title: string;
  /** A paragraph on the course (markdown). */
  description: string;
  /** The notebooks, in the order of the course. */
  notebooks: CourseNotebook[];
  /** Regular expressions of printed lines (streams, plain-text outputs) the site leaves out. */
  dropOutputLines: string[];
}

/**
 * Reads and checks the course manifest.
 *
 * @param path the manifest; its notebooks must be files beside it
 * @throws {Error} `PATH: FIELD ...`, naming the manifest and what is wrong in it
 */
export function readCourse(path: string = COURSE_JSON): Course {
  const bad = (field: string, what: string) => new Error(`${path}: ${field} ${what}`);
  const string = (value: unknown, field: string): string => {
    if (typeof value !== "string" || value.trim() === "") {
      throw bad(field, "must be a non-empty string");
    }
    return value;
  };
  const list = (value: unknown, field: string): unknown[] => {
    if (!Array.isArray(value) || value.length === 0) throw bad(field, "must be a non-empty list");
    return value;
  };
  const object = (value: unknown, field: string, keys: string[]): Record<string, unknown> => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw bad(field, "must be an object");
    }
    const unknown = Object.keys(value).find((k) => !keys.includes(k));
    if (unknown !== undefined) {
      throw bad(`${field}.${unknown}`, `is not a field of the manifest (${keys.join(", ")})`);
    }
    return value as Record<string, unknown>;
  };

  let json: unknown;
  try {
    json = JSON.parse(Deno.readTextFileSync(path));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  const top = object(json, "the manifest", [
    "title",
    "description",
    "notebooks",
    "dropOutputLines",
  ]);
  const seen = new Set<string>();
  const notebooks = list(top.notebooks, "notebooks").map((value, i) => {
    const field = `notebooks[${i}]`;
    const entry = object(value, field, ["file", "title", "description", "teaches"]);
    const file = string(entry.file, `${field}.file`);
    if (!/^[\w.-]+\.ipynb$/.test(file)) {
      throw bad(
        `${field}.file`,
        `must be a notebook's file name, like 01_dataset.ipynb, not "${file}"`,
      );
    }
    if (seen.has(file)) throw bad(`${field}.file`, `lists ${file} a second time`);
    seen.add(file);
    try {
      Deno.statSync(join(dirname(path), file));
    } catch {
      throw bad(`${field}.file`, `names ${file}, which is not in ${dirname(path)}`);
    }
    return {
      file,
      title: string(entry.title, `${field}.title`),
      description: string(entry.description, `${field}.description`),
      teaches: list(entry.teaches, `${field}.teaches`).map((t, j) =>
        string(t, `${field}.teaches[${j}]`)
      ),
    };
  });
  const drop = top.dropOutputLines ?? [];
  if (!Array.isArray(drop)) throw bad("dropOutputLines", "must be a list of regular expressions");
  const dropOutputLines = drop.map((pattern, i) => {
    const field = `dropOutputLines[${i}]`;
    try {
      new RegExp(string(pattern, field));
    } catch (e) {
      throw e instanceof SyntaxError ? bad(field, `is not a regular expression: ${e.message}`) : e;
    }
    return pattern as string;
  });
  return {
    title: string(top.title, "title"),
    description: string(top.description, "description"),
    notebooks,
    dropOutputLines,
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown and math

/** nbformat's multiline strings: a string, or a list of lines to join. */
const joined = (text: string | string[] | undefined) => [text ?? ""].flat().join("");

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};

/** `text` with `& < > "` escaped, to be put in HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]);
}

/** What the math scanner steps over, tried in this order at each point of a markdown text. */
const NOT_MATH = [
  /^ {0,3}(`{3,}|~{3,})[^]*?(?:\n {0,3}\1[`~]*[ \t]*$|(?![^]))/my, // a fenced code block
  /(`+)(?:[^]*?[^`]\1(?!`))?/y, // a code span (or a lone run of backticks)
  /\\[\\$`]/y, // an escaped \, $ or `
];
/** Math: `$$display$$`, then `$inline$` (no space inside either end, no blank line). */
const MATH = [/\$\$([^]+?)\$\$/y, /\$(?=\S)((?:\\[^]|[^$\\\n]|\n(?![ \t]*\n))+?)(?<=\S)\$/y];
const PLACEHOLDER = /mathph(\d+)end/g;

/**
 * Cuts the math out of a markdown text before the markdown parser sees it (which
 * would read `_`, `*` and `[...](...)` in formulas as markdown), leaving code alone.
 *
 * @returns the text with each formula replaced by `mathphNend`, and the formulas typeset
 */
function extractMath(markdown: string): { text: string; math: string[] } {
  const math: string[] = [];
  let text = "";
  const at = (patterns: RegExp[], i: number) =>
    patterns.map((p) => {
      p.lastIndex = i;
      return p.exec(markdown);
    }).find((m) => m !== null);
  for (let i = 0; i < markdown.length;) {
    const code = at(NOT_MATH, i);
    const formula = code ? undefined : at(MATH, i);
    if (formula) {
      const displayMode = formula[0].startsWith("$$");
      math.push(katex.renderToString(formula[1], { displayMode, throwOnError: true }));
      text += `mathph${math.length - 1}end`;
      i += formula[0].length;
    } else {
      const kept = code?.[0] ?? markdown[i];
      text += kept;
      i += kept.length;
    }
  }
  return { text, math };
}

/** A heading of a page, for its contents list. */
interface Heading {
  depth: number;
  id: string;
  /** The heading's HTML, math typeset. */
  html: string;
}

/** A cell's attachments: file name to MIME bundle (base64 data). */
type Attachments = Record<string, Record<string, string | string[]>>;

/**
 * Markdown for one page: gives each heading an id, unique on the page, and
 * remembers the page's headings for its contents list.
 */
class PageMarkdown {
  readonly headings: Heading[] = [];
  #ids = new Set<string>();
  #attachments: Attachments = {};
  #missing: string[] = [];
  #marked: Marked;

  constructor() {
    const heading = (depth: number, text: string, html: string) => {
      const id = this.#newId(text.replace(PLACEHOLDER, ""));
      this.headings.push({ depth, id, html });
      return `<h${depth} id="${id}">${html}</h${depth}>\n`;
    };
    this.#marked = new Marked({
      renderer: {
        heading({ tokens, depth, text }) {
          return heading(depth, text, this.parser.parseInline(tokens));
        },
      },
      walkTokens: (token) => {
        if (token.type === "image" && token.href.startsWith("attachment:")) {
          token.href = this.#attachment(token.href.slice("attachment:".length));
        }
      },
    });
  }

  /**
   * Renders a markdown text with its math.
   *
   * @param markdown the text
   * @param attachments the cell's attachments, which `![...](attachment:NAME)` shows
   */
  render(markdown: string, attachments: Attachments = {}): string {
    const { text, math } = extractMath(markdown);
    const before = this.headings.length;
    this.#attachments = attachments;
    const restore = (html: string) => html.replace(PLACEHOLDER, (_, n) => math[Number(n)]);
    const html = restore(this.#marked.parse(text) as string);
    if (this.#missing.length) throw new Error(`no attachment named ${this.#missing.join(", ")}`);
    for (const heading of this.headings.slice(before)) heading.html = restore(heading.html);
    return html;
  }

  /** Renders one line of markdown with its math, without a paragraph around it. */
  renderInline(markdown: string): string {
    const { text, math } = extractMath(markdown);
    const html = this.#marked.parseInline(text) as string;
    return html.replace(PLACEHOLDER, (_, n) => math[Number(n)]);
  }

  /** An id made of a heading's words, unique on the page. */
  #newId(text: string): string {
    const base = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "") ||
      "section";
    let id = base;
    for (let n = 2; this.#ids.has(id); n++) id = `${base}-${n}`;
    this.#ids.add(id);
    return id;
  }

  /** A `data:` URI of one of the cell's attachments, or "" for a name it has not. */
  #attachment(name: string): string {
    const bundle = this.#attachments[decodeURIComponent(name)] ?? {};
    const [mime, data] = Object.entries(bundle)[0] ?? [];
    if (mime === undefined) this.#missing.push(name);
    return mime === undefined ? "" : `data:${mime};base64,${joined(data).replace(/\s/g, "")}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Notebooks

/** The parts of a notebook (nbformat 4) the site shows. */
interface Notebook {
  cells: Cell[];
}

interface Cell {
  cell_type: "markdown" | "code" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; nbgrader?: { solution?: boolean } };
  attachments?: Attachments;
  outputs?: Output[];
}

interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  metadata?: Record<string, { width?: number; height?: number } | undefined>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** Terminal colours and styles, which Deno's error messages carry. */
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Of an output's MIME types, the one shown: the richest, as Jupyter chooses. */
const MIME_ORDER = [
  "text/html",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "text/markdown",
  "text/plain",
];

/** The HTML of a code cell's outputs, each in its `<div class="output">`. */
function renderOutputs(outputs: Output[], drop: RegExp[], markdown: PageMarkdown): string[] {
  const html: string[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs[i];
    if (output.output_type === "stream") {
      // Consecutive writes to one stream are one text, as Jupyter shows them.
      let text = joined(output.text);
      while (outputs[i + 1]?.output_type === "stream" && outputs[i + 1].name === output.name) {
        text += joined(outputs[++i].text);
      }
      const lines = text.replace(ANSI, "").split("\n").filter((l) => !drop.some((r) => r.test(l)));
      const kept = lines.join("\n").trimEnd();
      if (kept !== "") {
        html.push(`<pre class="${output.name ?? "stdout"}">${escapeHtml(kept)}</pre>`);
      }
    } else if (output.output_type === "error") {
      const text = output.traceback?.length
        ? output.traceback.join("\n")
        : `${output.ename}: ${output.evalue}`;
      html.push(`<pre class="error">${escapeHtml(text.replace(ANSI, ""))}</pre>`);
    } else {
      const data = output.data ?? {};
      const mime = MIME_ORDER.find((m) => m in data);
      if (mime === undefined) continue;
      const content = joined(data[mime]);
      if (mime === "text/html" || mime === "image/svg+xml") {
        html.push(content);
      } else if (mime.startsWith("image/")) {
        const size = output.metadata?.[mime] ?? {};
        const attributes = (["width", "height"] as const)
          .filter((a) => size[a] !== undefined).map((a) => ` ${a}="${size[a]}"`).join("");
        const alt = escapeHtml(joined(data["text/plain"]));
        html.push(
          `<img src="data:${mime};base64,${content.replace(/\s/g, "")}" alt="${alt}"${attributes}>`,
        );
      } else if (mime === "text/markdown") {
        html.push(`<div class="markdown">${markdown.render(content)}</div>`);
      } else {
        // Plain text (a progress line, a value): timing noise is left out as from streams.
        const kept = content.replace(ANSI, "").split("\n").filter((l) =>
          !drop.some((r) => r.test(l))
        )
          .join("\n").trimEnd();
        if (kept !== "") html.push(`<pre>${escapeHtml(kept)}</pre>`);
      }
    }
  }
  return html.map((h) => `<div class="output">${h}</div>`);
}

/**
 * The HTML of one cell ("" for a cell left out); on a live page, a code cell says its
 * place in the notebook (`data-cell`), where the page's script finds it.
 */
function renderCell(cell: Cell, drop: RegExp[], markdown: PageMarkdown, index?: number): string {
  const tags = new Set(cell.metadata.tags ?? []);
  const source = joined(cell.source);
  if (tags.has("remove-cell")) return "";
  if (cell.cell_type === "markdown") {
    return `<div class="cell markdown">\n${markdown.render(source, cell.attachments)}</div>`;
  }
  if (cell.cell_type !== "code") return "";
  const parts = [];
  if (!tags.has("remove-input") && source.trim() !== "") {
    const input = `<pre class="input"><code>${escapeHtml(source)}</code></pre>`;
    const hidden = tags.has("hide-input") || source.startsWith("import ");
    parts.push(hidden ? `<details class="input"><summary>code</summary>${input}</details>` : input);
  }
  if (!tags.has("remove-output")) parts.push(...renderOutputs(cell.outputs ?? [], drop, markdown));
  const at = index === undefined ? "" : ` data-cell="${index}"`;
  return parts.length ? `<div class="cell code"${at}>\n${parts.join("\n")}\n</div>` : "";
}

/** The contents list of a page: its `##` headings, each with its `###` ones. */
function contents(headings: Heading[]): string {
  const items: { link: string; children: string[] }[] = [];
  for (const { depth, id, html } of headings) {
    const link = `<a href="#${id}">${html}</a>`;
    if (depth === 2 || (depth === 3 && items.length === 0)) items.push({ link, children: [] });
    else if (depth === 3) items[items.length - 1].children.push(link);
  }
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${i}</li>`).join("\n")}</ul>`;
  return items.length === 0
    ? ""
    : list(items.map(({ link, children }) => link + (children.length ? list(children) : "")));
}

/** The HTML file of a notebook's page. */
const pageFile = (notebook: string) => notebook.replace(/\.ipynb$/, ".html");

/** The links to the previous page, the index and the next page. */
function pager(course: Course, i: number): string {
  const link = (entry: CourseNotebook | undefined, rel: string, label: (t: string) => string) =>
    entry
      ? `<a rel="${rel}" href="${pageFile(entry.file)}">${label(escapeHtml(entry.title))}</a>`
      : "<span></span>";
  return `<nav class="pager">
${link(course.notebooks[i - 1], "prev", (t) => `&larr; ${t}`)}
<a rel="index" href="index.html">${escapeHtml(course.title)}</a>
${link(course.notebooks[i + 1], "next", (t) => `${t} &rarr;`)}
</nav>`;
}

/** A whole HTML document around a page's body (and a live page's script). */
function htmlDocument(title: string, body: string, script = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="_static/katex/katex.min.css">
<link rel="stylesheet" href="_static/course.css">${script}
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The pickers of a code cell: for a `parameters` cell, each knob whose default is the path of
 * a JPEG or PNG (`image: "../data/images/chelsea.png"`), so that any notebook that takes a
 * picture as a parameter gets a file picker on its live page, without a tag of its own.
 */
function imagePickers(cell: Cell): { pickers?: ImagePicker[] } {
  if (cell.cell_type !== "code" || !cell.metadata.tags?.includes("parameters")) return {};
  const pickers = [
    ...joined(cell.source).matchAll(
      /(?<![\w$])([A-Za-z_$][\w$]*)\s*:\s*(["'])([^"'\n]+\.(?:png|jpe?g))\2/gi,
    ),
  ].map(([, knob, , path]) => ({
    knob,
    variable: knobVariable(knob),
    path,
  }));
  return pickers.length ? { pickers } : {};
}

/**
 * The page of the course's notebook number `i`; a live page holds its code cells'
 * sources, for `web/page/page.ts`, which runs them (and lets the learner edit the
 * exercises', nbgrader's solution cells, and pick their own photo for a parameter that is
 * one, see {@link imagePickers}).
 */
function notebookPage(
  course: Course,
  i: number,
  notebook: Notebook,
  drop: RegExp[],
  live: boolean,
): string {
  const entry = course.notebooks[i];
  const markdown = new PageMarkdown();
  const cells = notebook.cells.map((cell, n) => {
    try {
      return renderCell(cell, drop, markdown, live ? n : undefined);
    } catch (e) {
      throw new Error(`${entry.file} cell ${n + 1}: ${(e as Error).message}`);
    }
  }).filter((html) => html !== "");
  const toc = contents(markdown.headings);
  const code: PageCell[] = notebook.cells.flatMap((cell, index) =>
    cell.cell_type === "code" && joined(cell.source).trim() !== ""
      ? [{
        index,
        source: joined(cell.source),
        exercise: cell.metadata.nbgrader?.solution === true,
        ...imagePickers(cell),
      }]
      : []
  );
  // In a script element, only "</script" could end it early: "<" is escaped in the JSON.
  const script = live
    ? `\n<script defer src="live/page.js"></script>
<script type="application/json" id="dnn-cells" data-notebook="${escapeHtml(entry.file)}">${
      JSON.stringify(code).replace(/</g, "\\u003c")
    }</script>`
    : "";
  return htmlDocument(
    `${entry.title} · ${course.title}`,
    `${pager(course, i)}
<div class="page">
<aside class="contents">${toc ? `<p class="contents-title">On this page</p>\n${toc}` : ""}</aside>
<main>
${cells.join("\n")}
</main>
</div>
${pager(course, i)}`,
    script,
  );
}

/** The index page: the course, and each notebook's title, description and what it teaches. */
function indexPage(course: Course): string {
  const markdown = new PageMarkdown();
  const items = course.notebooks.map((entry) =>
    `<li><a href="${pageFile(entry.file)}">${escapeHtml(entry.title)}</a>
<p>${markdown.renderInline(entry.description)}</p>
<ul class="teaches">
${entry.teaches.map((t) => `<li>${markdown.renderInline(t)}</li>`).join("\n")}
</ul></li>`
  );
  return htmlDocument(
    course.title,
    `<main class="index">
<h1>${escapeHtml(course.title)}</h1>
${markdown.render(course.description)}
<ol class="notebooks">
${items.join("\n")}
</ol>
</main>`,
  );
}

/**
 * Copies KaTeX's stylesheet, reading only woff2 fonts, to `dir`, with the font files
 * of the families that the pages' math uses: a family is kept when every class of
 * some CSS rule that sets it is on the pages.
 */
async function copyKatex(pages: string[], dir: string): Promise<void> {
  const dist = dirname(fileURLToPath(import.meta.resolve("katex")));
  const classes = new Set(
    pages.flatMap((html) => [...html.matchAll(/class="([^"]*)"/g)].flatMap((m) => m[1].split(" "))),
  );
  let css = await Deno.readTextFile(join(dist, "katex.min.css"));
  const families = new Set<string>();
  for (const [, selectors, rule] of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const family = rule.match(/font(?:-family)?:[^;}]*?(KaTeX_\w+)/)?.[1];
    if (family === undefined || selectors.startsWith("@")) continue;
    const applies = (selector: string) =>
      [...selector.matchAll(/\.([\w-]+)/g)].every(([, c]) => classes.has(c));
    if (selectors.split(",").some(applies)) families.add(family);
  }
  css = css.replace(/@font-face\{([^}]*)\}/g, (fontFace, rule) => {
    const family = rule.match(/font-family:\s*(KaTeX_\w+)/)?.[1] ?? "";
    // Every browser that can show the pages reads woff2: the woff and ttf copies go.
    return families.has(family)
      ? fontFace.replace(/,url\([^)]*\) format\("(woff|truetype)"\)/g, "")
      : "";
  });
  await Deno.mkdir(join(dir, "fonts"), { recursive: true });
  await Deno.writeTextFile(join(dir, "katex.min.css"), css);
  for (const [, font] of css.matchAll(/url\((fonts\/[\w-]+\.woff2)\)/g)) {
    await Deno.copyFile(join(dist, font), join(dir, font));
  }
}

/**
 * Writes the course site to `outDir`: `index.html`, one page per notebook of the
 * course (`01_dataset.ipynb` becomes `01_dataset.html`), and `_static/`.
 *
 * @param course the manifest, from {@link readCourse}
 * @param executedDir the folder of the executed notebooks, one per notebook of the course
 * @param outDir where the site goes (files of the same names are replaced)
 * @param options `live`: the pages run their cells in the browser (see `web/`)
 * @returns the paths of the files written, the index first
 * @throws {Error} naming the notebook and cell of a formula KaTeX cannot typeset, or a missing
 *   attachment
 */
export async function buildSite(
  course: Course,
  executedDir: string,
  outDir: string,
  { live = false }: { live?: boolean } = {},
): Promise<string[]> {
  const drop = course.dropOutputLines.map((pattern) => new RegExp(pattern));
  const pages = new Map<string, string>([["index.html", indexPage(course)]]);
  const notebooks = new Map<string, Notebook>();
  for (const [i, entry] of course.notebooks.entries()) {
    const notebook: Notebook = JSON.parse(await Deno.readTextFile(join(executedDir, entry.file)));
    notebooks.set(entry.file, notebook);
    pages.set(pageFile(entry.file), notebookPage(course, i, notebook, drop, live));
  }
  await Deno.mkdir(join(outDir, "_static"), { recursive: true });
  const written = [];
  for (const [name, html] of pages) {
    await Deno.writeTextFile(join(outDir, name), html);
    written.push(join(outDir, name));
  }
  // A live page's Download notebook starts from its notebook, beside it, outputs cleared:
  // the download holds those of the cells run in the page.
  for (const [file, notebook] of live ? notebooks : []) {
    for (const cell of notebook.cells) {
      if (cell.cell_type === "code") Object.assign(cell, { outputs: [], execution_count: null });
    }
    await Deno.writeTextFile(join(outDir, file), `${JSON.stringify(notebook, null, 1)}\n`);
    written.push(join(outDir, file));
  }
  await Deno.copyFile(new URL("site.css", import.meta.url), join(outDir, "_static", "course.css"));
  await copyKatex([...pages.values()], join(outDir, "_static", "katex"));
  if (live) written.push(...await buildLive(outDir));
  return written;
}
