/**
 * A small table for a notebook: rows of cells shown as an HTML table (each cell
 * escaped) where HTML is shown, and as aligned columns of text everywhere else.
 * Numbers are right-aligned, text left-aligned, in both.
 *
 * Used in `notebooks/05_results_analysis.ipynb` (the confusion matrix) and
 * `notebooks/07_experiments.ipynb` (the runs side by side).
 *
 * @module
 */

import { Displayable } from "./display.ts";

/** A table's cell: a text, or a number (shown as `String(n)`, right-aligned). */
export type TableCell = string | number;

/** Options of {@link table}. */
export interface TableOptions {
  /** The column names, one per column. */
  header?: readonly string[];
  /** The first cell of each row names the row (`<th scope="row">`, as the header is bold). Default false. */
  rowHeader?: boolean;
  /** A line above the table. */
  caption?: string;
}

/**
 * A table of rows, shown as `text/html` and as `text/plain` with aligned columns.
 * A column is right-aligned when each of its cells is a number, or a text that
 * reads as one (`"0.820"`, `"-3"`, `"72"`); otherwise left-aligned.
 *
 * @param rows the rows, each with as many cells as the header has names (or as the first row)
 * @param options `header`, `rowHeader` and `caption`
 * @returns a displayable table: return it as a cell's last value
 * @throws {TypeError} if a row has another number of cells than the header (or the first row)
 * @example
 * ```ts
 * import { table } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const t = table([["[12288, 7, 1]", "0.985"], ["<b>", "0.72"]], { header: ["model", "train"] });
 * assert.equal(
 *   t.bundle["text/plain"],
 *   [
 *     "model          train",
 *     "-------------  -----",
 *     "[12288, 7, 1]  0.985",
 *     "<b>             0.72",
 *   ].join("\n"),
 * );
 * assert.match(t.bundle["text/html"], /<td style="text-align: left">&lt;b&gt;<\/td>/);
 * ```
 */
export function table(
  rows: readonly (readonly TableCell[])[],
  options: TableOptions = {},
): Displayable {
  const { header, rowHeader = false, caption } = options;
  const width = header?.length ?? rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      const against = header ? "the header" : "the first row";
      throw new TypeError(
        `Cannot make a table as each row must have ${width} cells, as ${against} has: ` +
          `row ${i} has ${row.length}`,
      );
    }
  });
  const text = rows.map((row) => row.map(String));
  const right = Array.from(
    { length: width },
    (_, j) => rows.length > 0 && rows.every((row) => _isNumeric(row[j])),
  );
  return new Displayable({
    "text/html": _html(text, header, right, rowHeader, caption),
    "text/plain": _plain(text, header, right, caption),
  });
}

/** Whether a cell reads as a number: a finite number, or a text such as "0.82", "-3", "1e-4". */
function _isNumeric(cell: TableCell): boolean {
  if (typeof cell === "number") return true;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?%?$/i.test(cell.trim());
}

/** Escapes the five characters that HTML gives a meaning: `&`, `<`, `>`, `"` and `'`. */
function _escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function _html(
  rows: string[][],
  header: readonly string[] | undefined,
  right: boolean[],
  rowHeader: boolean,
  caption: string | undefined,
): string {
  // The alignment inline, on every cell: Jupyter's own style right-aligns every cell, the
  // exported site's left-aligns them; an inline style wins over both.
  // A row's name has no rule under it, unlike the header's names (the site's style rules each `th`).
  const style = (j: number, more = "") =>
    ` style="text-align: ${right[j] ? "right" : "left"}${more}"`;
  const cell = (tag: string, text: string, j: number, scope = "", more = "") =>
    `<${tag}${scope}${style(j, more)}>${_escapeHtml(text)}</${tag}>`;
  const parts = ["<table>"];
  if (caption !== undefined) parts.push(`<caption>${_escapeHtml(caption)}</caption>`);
  if (header) {
    parts.push(
      `<thead><tr>${header.map((h, j) => cell("th", h, j, ' scope="col"')).join("")}</tr></thead>`,
    );
  }
  parts.push("<tbody>");
  for (const row of rows) {
    const cells = row.map((c, j) =>
      rowHeader && j === 0
        ? cell("th", c, j, ' scope="row"', "; border-bottom: 0")
        : cell("td", c, j)
    );
    parts.push(`<tr>${cells.join("")}</tr>`);
  }
  parts.push("</tbody></table>");
  return parts.join("");
}

function _plain(
  rows: string[][],
  header: readonly string[] | undefined,
  right: boolean[],
  caption: string | undefined,
): string {
  const all = header ? [[...header], ...rows] : rows;
  const widths = right.map((_, j) => Math.max(...all.map((row) => [...row[j]].length)));
  const pad = (text: string, j: number) => {
    const fill = " ".repeat(widths[j] - [...text].length);
    return right[j] ? fill + text : text + fill;
  };
  const line = (row: string[]) => row.map(pad).join("  ").trimEnd();
  const lines = caption !== undefined ? [caption] : [];
  if (header) lines.push(line([...header]), widths.map((w) => "-".repeat(w)).join("  "));
  lines.push(...rows.map(line));
  return lines.join("\n");
}
