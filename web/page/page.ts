/// <reference lib="dom" />
/**
 * A live notebook page: each code cell gets Run, the page gets Run all and
 * Restart, and the cells run in the page's kernel (`kernel.js`, a worker) in the
 * order they are run, their outputs shown under them as Jupyter shows them. The
 * page's cells are in its `<script id="dnn-cells">`, as the site wrote them.
 *
 * @module
 */

import { Marked } from "marked";
import type { FromKernel, Output } from "../kernel/worker.ts";
import { editCell } from "./editor.ts";

/** A code cell of the page, as the site writes it. */
interface PageCell {
  /** Its place among the notebook's cells (0-based). */
  index: number;
  source: string;
  /** Whether the learner writes it (an exercise): then it is edited in the page. */
  exercise: boolean;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const MIME_ORDER = ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown"];
const markdown = new Marked();

// A classic script (a module would not load from a page opened from a disk): its own URL
// says where the rest of live/ is.
const live = new URL("./", (document.currentScript as HTMLScriptElement).src);
const cells: PageCell[] = JSON.parse(document.getElementById("dnn-cells")?.textContent ?? "[]");
const elements = new Map<number, HTMLElement>();
/** The code of each cell as it is now: an exercise's as edited. */
const code = new Map<number, () => string>();
const displays = new Map<string, HTMLElement[]>();
let kernel: Worker | undefined;
let running = 0;
const status = document.createElement("span");
const about = document.createElement("span");

/** The environment of the page's kernel: the query string's `DNN_*` variables. */
function pageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(location.search)) {
    if (/^DNN_[A-Z0-9_]+$/.test(name)) env[name] = value;
  }
  return env;
}

function say(text: string): void {
  status.textContent = text;
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An output's element, as the site's pages show outputs. */
function render(data: Record<string, unknown>, into: HTMLElement): void {
  into.replaceChildren();
  const mime = MIME_ORDER.find((m) => m in data);
  const text = (m: string) => [data[m] ?? ""].flat().join("");
  if (mime === "text/html" || mime === "image/svg+xml") {
    into.innerHTML = text(mime);
  } else if (mime === "image/png" || mime === "image/jpeg") {
    const img = document.createElement("img");
    img.src = `data:${mime};base64,${text(mime).replace(/\s/g, "")}`;
    img.alt = text("text/plain");
    into.append(img);
  } else if (mime === "text/markdown") {
    const div = element("div", "markdown");
    div.innerHTML = markdown.parse(text(mime), { async: false }) as string;
    into.append(div);
  } else if ("text/plain" in data) {
    into.append(element("pre", "", text("text/plain").replace(ANSI, "")));
  }
}

function show(cell: HTMLElement, output: Output): void {
  const outputs = cell.querySelector<HTMLElement>(":scope > .outputs")!;
  if (output.output_type === "stream") {
    // Consecutive writes to one stream are one text, as Jupyter shows them.
    const last = outputs.lastElementChild?.firstElementChild as HTMLElement | null;
    if (last?.tagName === "PRE" && last.classList.contains(output.name)) {
      last.textContent += output.text.replace(ANSI, "");
      return;
    }
    const div = element("div", "output");
    div.append(element("pre", output.name, output.text.replace(ANSI, "")));
    outputs.append(div);
  } else if (output.output_type === "error") {
    const div = element("div", "output");
    div.append(element("pre", "error", output.traceback.join("\n").replace(ANSI, "")));
    outputs.append(div);
  } else {
    const div = element("div", "output");
    render(output.data, div);
    outputs.append(div);
    const id = output.output_type === "display_data" ? output.transient?.display_id : undefined;
    if (id !== undefined) displays.set(id, [...displays.get(id) ?? [], div]);
  }
}

function startKernel(): Worker {
  const worker = new Worker(new URL("kernel.js", live), { type: "module" });
  worker.addEventListener("message", (event: MessageEvent<FromKernel>) => {
    const message = event.data;
    if (message.type === "ready") about.textContent = message.about;
    else if (message.type === "output") {
      const cell = elements.get(message.cell);
      if (cell) show(cell, message.output);
    } else if (message.type === "update") {
      for (const div of displays.get(message.displayId) ?? []) render(message.data, div);
    } else if (message.type === "done") {
      const cell = elements.get(message.cell);
      cell?.setAttribute("data-state", message.ok ? "done" : "error");
      running--;
      if (running === 0) say("Idle");
    }
  });
  worker.addEventListener("error", (event) => say(`The kernel failed: ${event.message}`));
  worker.postMessage({ type: "start", env: pageEnv() });
  say("Starting");
  return worker;
}

function run(index: number): void {
  const cell = elements.get(index)!;
  kernel ??= startKernel();
  cell.querySelector(":scope > .outputs")!.replaceChildren();
  cell.setAttribute("data-state", "running");
  running++;
  say("Running");
  kernel.postMessage({ type: "run", cell: index, source: code.get(index)!() });
}

function restart(): void {
  kernel?.terminate();
  kernel = undefined;
  running = 0;
  displays.clear();
  for (const cell of elements.values()) cell.removeAttribute("data-state");
  say("Restarted: run the cells again");
}

function setUp(): void {
  if (location.protocol === "file:") {
    // A page opened from a disk cannot start workers: it shows, and says how to run it.
    const note = element(
      "p",
      "live-bar",
      "To run this page's cells, serve the site's folder (deno task serve FOLDER) and open it there.",
    );
    document.querySelector("main")?.prepend(note);
    return;
  }
  for (const { index, source, exercise } of cells) {
    const cell = document.querySelector<HTMLElement>(`.cell.code[data-cell="${index}"]`);
    if (!cell) continue;
    elements.set(index, cell);
    code.set(index, exercise ? editCell(cell, index, source) : () => source);
    const outputs = element("div", "outputs");
    outputs.append(...cell.querySelectorAll(":scope > .output"));
    cell.append(outputs);
    const button = element("button", "run", "Run");
    button.addEventListener("click", () => run(index));
    cell.prepend(button);
  }
  const bar = element("div", "live-bar");
  const runAll = element("button", "run-all", "Run all");
  runAll.addEventListener("click", () => {
    for (const { index } of cells) if (elements.has(index)) run(index);
  });
  const restartButton = element("button", "restart", "Restart");
  restartButton.addEventListener("click", restart);
  status.className = "live-status";
  about.className = "live-about";
  say("Not started: press Run on a cell, or Run all");
  bar.append(runAll, restartButton, status, about);
  document.querySelector("main")?.prepend(bar);
}

setUp();
