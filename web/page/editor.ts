/// <reference lib="dom" />
/**
 * An exercise cell's editor on a live page: CodeMirror 6 with TypeScript
 * highlighting, in place of the cell's code. What the learner types is kept in
 * the browser (`localStorage`, by page and cell) and comes back on reload;
 * Reset brings back the cell as the site wrote it.
 *
 * @module
 */

import { javascript } from "@codemirror/lang-javascript";
import { basicSetup, EditorView } from "codemirror";

/** Where an exercise cell's edits are kept. */
export function storageKey(page: string, index: number): string {
  return `dnn-course:${page}:cell-${index}`;
}

/**
 * Puts an editor in place of a cell's code.
 *
 * @param cell the cell's element
 * @param index its place in the notebook
 * @param source its code as the site wrote it
 * @returns the code as it is now
 */
export function editCell(cell: HTMLElement, index: number, source: string): () => string {
  const key = storageKey(location.pathname, index);
  const input = cell.querySelector(":scope > pre.input, :scope > details.input");
  const host = document.createElement("div");
  host.className = "editor";
  const view = new EditorView({
    doc: localStorage.getItem(key) ?? source,
    extensions: [
      basicSetup,
      javascript({ typescript: true }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        const text = update.state.doc.toString();
        if (text === source) localStorage.removeItem(key);
        else localStorage.setItem(key, text);
      }),
    ],
    parent: host,
  });
  if (input) input.replaceWith(host);
  else cell.prepend(host);
  const reset = document.createElement("button");
  reset.className = "reset";
  reset.textContent = "Reset";
  reset.title = "Bring back the cell as it was";
  reset.addEventListener("click", () => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: source } });
  });
  cell.prepend(reset);
  return () => view.state.doc.toString();
}
