/**
 * The documentation a newcomer reads: the README stays short, every relative
 * link and anchor in it and in `docs/` resolves, every page of `docs/` is reached
 * from the README, no page narrates past runs by date (figures carry the command
 * and date that made them, in one place), and the folders' READMEs name the files
 * they describe.
 */

import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { ROOT } from "./helpers.ts";

/** The Markdown files a reader opens: the README, `docs/` and the folders' READMEs. */
function pages(): string[] {
  const docs = [...Deno.readDirSync(join(ROOT, "docs"))]
    .filter((e) => e.isFile && e.name.endsWith(".md")).map((e) => `docs/${e.name}`).sort();
  return [
    "README.md",
    ...docs,
    "cli/README.md",
    "data/README.md",
    "notebooks/README.md",
    "tests/README.md",
  ];
}

const read = (file: string) => Deno.readTextFileSync(join(ROOT, file));

/** The text without fenced code blocks and inline code, where a link is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "``");
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings. */
function anchors(markdown: string): Set<string> {
  const headings = markdown.replace(/^```[\s\S]*?^```/gm, "").match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((h) => slug(h.replace(/^#+ /, ""))));
}

/** The relative links of a page: `[text](target)` and `![alt](target)`, without URLs. */
function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((m) => m[1])
    .filter((target) => !/^[a-z]+:/.test(target));
}

Deno.test("slug() makes GitHub's anchors", () => {
  assert.equal(slug("`deno task bench`"), "deno-task-bench");
  assert.equal(slug("Saved parameters (HDF5)"), "saved-parameters-hdf5");
  assert.equal(slug("Hand out, collect, grade"), "hand-out-collect-grade");
});

Deno.test("every relative link and anchor of the README and docs/ resolves", () => {
  const broken: string[] = [];
  for (const page of pages()) {
    for (const target of links(read(page))) {
      const [path, anchor] = target.split("#");
      const file = path === "" ? page : relative(ROOT, join(ROOT, dirname(page), path));
      let stat;
      try {
        stat = Deno.statSync(join(ROOT, file));
      } catch {
        broken.push(`${page}: ${target} (no ${file})`);
        continue;
      }
      if (anchor !== undefined) {
        if (!stat.isFile || !file.endsWith(".md") || !anchors(read(file)).has(anchor)) {
          broken.push(`${page}: ${target} (no heading #${anchor} in ${file})`);
        }
      }
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("the README is short, and reaches every page of docs/", () => {
  const readme = read("README.md");
  const lines = readme.split("\n").length;
  assert.ok(lines <= 160, `README.md has ${lines} lines`);
  const linked = new Set(links(readme).map((t) => t.split("#")[0]));
  const unreached = pages().filter((p) => p.startsWith("docs/") && !linked.has(p));
  assert.deepEqual(unreached, [], "each page of docs/ is linked from the README");
});

Deno.test("no page narrates past runs by date: dated figures are in one paragraph of fast-backend.md", () => {
  const narration =
    /\b(the (hour|day|night|week) before|earlier (that day|runs|today)|this (night|morning)|that (night|day)|yesterday)\b/i;
  const date = /\b20\d\d-\d\d-\d\d\b/;
  const found: string[] = [];
  for (const page of pages()) {
    // Paragraphs outside code blocks, inline code kept: a figure's command is written as code.
    const paragraphs = read(page).replace(/^```[\s\S]*?^```/gm, "").split(/\n\s*\n/);
    paragraphs.forEach((paragraph, i) => {
      if (narration.test(paragraph)) found.push(`${page}, paragraph ${i + 1}: narrates`);
    });
    const dated = paragraphs.filter((p) => date.test(p));
    const allowed = page === "docs/fast-backend.md" ? 1 : 0;
    if (dated.length > allowed) found.push(`${page}: ${dated.length} paragraphs with dates`);
    for (const paragraph of dated) {
      if (!/deno task bench/.test(paragraph)) {
        found.push(`${page}: a date without the command that measured it`);
      }
    }
  }
  assert.deepEqual(found, []);
});

Deno.test("the notebooks quote no dated benchmark figures", () => {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(join(ROOT, "notebooks"))) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const nb = JSON.parse(read(`notebooks/${entry.name}`));
    for (const cell of nb.cells) {
      const text = cell.source.join("");
      if (/\b20\d\d-\d\d-\d\d\b|\d(\.\d+)?x NumPy|times NumPy's time/.test(text)) {
        found.push(`${entry.name}: ${text.slice(0, 60)}`);
      }
    }
  }
  assert.deepEqual(found, []);
});

Deno.test("the READMEs of cli/ and tests/ name each of their files", () => {
  const unnamed: string[] = [];
  for (const folder of ["cli", "tests"]) {
    const readme = read(`${folder}/README.md`);
    for (const entry of Deno.readDirSync(join(ROOT, folder))) {
      const own = entry.isFile && /\.(ts|py)$/.test(entry.name) &&
        !(folder === "cli" && entry.name.endsWith("_test.ts"));
      if (own && !readme.includes(entry.name.replace(/\.ts$/, ""))) {
        unnamed.push(`${folder}/${entry.name}`);
      }
    }
  }
  assert.deepEqual(unnamed, []);
});
