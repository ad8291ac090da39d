/// <reference lib="dom" />
/**
 * A live notebook page: each code cell gets Run, the page gets Run all and
 * Restart, and the cells run in the page's kernel (`kernel.js`, a worker) in the
 * order they are run, their outputs shown under them as Jupyter shows them. The
 * page's cells are in its `<script id="dnn-cells">`, as the site wrote them; Download
 * notebook saves the page's notebook (the `.ipynb` the site put beside the page, named by
 * that script's `data-notebook`) with the exercises as edited and the outputs of the cells
 * run, as Jupyter saves it.
 *
 * @module
 */

import { Marked } from "marked";
import type { FromKernel, Output } from "../kernel/worker.ts";
import { editCell } from "./editor.ts";

/** A code cell of the page, as the site writes it (`cli/site.ts`). */
export interface PageCell {
  /** Its place among the notebook's cells (0-based). */
  index: number;
  source: string;
  /** Whether the learner writes it (an exercise): then it is edited in the page. */
  exercise: boolean;
  /** A `parameters` cell's knobs that are a picture's path: a file picker is above it for each. */
  pickers?: ImagePicker[];
}

/** A knob of a `parameters` cell that is a picture's path: a live page offers a file picker. */
export interface ImagePicker {
  /** The knob, e.g. `image`. */
  knob: string;
  /** The variable that overrides it, as `notebookParameters` names it: `DNN_IMAGE`. */
  variable: string;
  /** The cell's own path, e.g. `../data/images/chelsea.png`. */
  path: string;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const MIME_ORDER = ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown"];
const markdown = new Marked();

// A classic script (a module would not load from a page opened from a disk): its own URL
// says where the rest of live/ is.
const live = new URL("./", (document.currentScript as HTMLScriptElement).src);
const cellsScript = document.getElementById("dnn-cells");
const cells: PageCell[] = JSON.parse(cellsScript?.textContent ?? "[]");
/** The page's notebook, beside it on the site: `02_building_blocks.ipynb`. */
const notebookFile = cellsScript?.dataset.notebook;
const elements = new Map<number, HTMLElement>();
/** The code of each cell as it is now: an exercise's as edited. */
const code = new Map<number, () => string>();
const displays = new Map<string, HTMLElement[]>();
/** Each run cell's outputs as nbformat stores them, and its execution count, for Download. */
const recorded = new Map<number, { outputs: Output[]; count: number | null }>();
/** The recorded outputs of each display, for its updates. */
const recordedDisplays = new Map<string, { data: Record<string, unknown> }[]>();
let kernel: Worker | undefined;
let running = 0;
/** The photos the learner picked, by variable: the kernel reads each at `path`. */
const picked = new Map<string, { path: string; bytes: Uint8Array }>();
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

/** An output kept for the notebook: as Jupyter saves it, streams joined, no display id. */
function record(index: number, output: Output): void {
  const outputs = recorded.get(index)?.outputs;
  if (outputs === undefined) return;
  const last = outputs.at(-1);
  if (output.output_type === "stream") {
    if (last?.output_type === "stream" && last.name === output.name) last.text += output.text;
    else outputs.push({ ...output });
  } else if (output.output_type === "display_data") {
    const kept = { output_type: output.output_type, data: output.data, metadata: output.metadata };
    const id = output.transient?.display_id;
    if (id !== undefined) recordedDisplays.set(id, [...recordedDisplays.get(id) ?? [], kept]);
    outputs.push(kept);
  } else outputs.push(output);
}

/** A cell's text as nbformat's list of lines, each but the last with its newline. */
function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/**
 * Saves the page's notebook, as Jupyter would save it here: the site's `.ipynb` (its cells,
 * ids and grading metadata as given), the exercises as the learner edited them, and for each
 * cell run since the page opened, its outputs and execution count.
 */
async function download(): Promise<void> {
  if (notebookFile === undefined) return;
  const response = await fetch(new URL(notebookFile, location.href));
  if (!response.ok) {
    say(`Could not download ${notebookFile}: the site answered ${response.status}`);
    return;
  }
  const notebook = await response.json() as {
    cells: { source: string | string[]; outputs?: Output[]; execution_count?: number | null }[];
  };
  for (const { index, exercise } of cells) {
    const cell = notebook.cells[index];
    if (cell === undefined || !elements.has(index)) continue;
    if (exercise) cell.source = sourceLines(code.get(index)!());
    const ran = recorded.get(index);
    if (ran) {
      cell.outputs = ran.outputs;
      cell.execution_count = ran.count;
    }
  }
  const blob = new Blob([`${JSON.stringify(notebook, null, 1)}\n`], {
    type: "application/x-ipynb+json",
  });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = notebookFile;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  say(
    running > 0
      ? `Saved ${notebookFile}, with the running cells' outputs so far`
      : `Saved ${notebookFile}`,
  );
}

function startKernel(): Worker {
  const worker = new Worker(new URL("kernel.js", live), { type: "module" });
  worker.addEventListener("message", (event: MessageEvent<FromKernel>) => {
    const message = event.data;
    if (message.type === "ready") about.textContent = message.about;
    else if (message.type === "output") {
      const cell = elements.get(message.cell);
      if (cell) show(cell, message.output);
      record(message.cell, message.output);
    } else if (message.type === "update") {
      for (const div of displays.get(message.displayId) ?? []) render(message.data, div);
      for (const kept of recordedDisplays.get(message.displayId) ?? []) kept.data = message.data;
    } else if (message.type === "done") {
      const cell = elements.get(message.cell);
      cell?.setAttribute("data-state", message.ok ? "done" : "error");
      const ran = recorded.get(message.cell);
      if (ran) ran.count = message.executionCount;
      running--;
      if (running === 0) say("Idle");
    }
  });
  worker.addEventListener("error", (event) => say(`The kernel failed: ${event.message}`));
  worker.postMessage({ type: "start", env: pageEnv() });
  for (const variable of picked.keys()) sendPicked(worker, variable);
  say("Starting");
  return worker;
}

/** A picked photo into the kernel's files, and its variable naming it, for the cells run next. */
function sendPicked(worker: Worker, variable: string): void {
  const { path, bytes } = picked.get(variable)!;
  worker.postMessage({ type: "write", path, bytes });
  worker.postMessage({ type: "env", name: variable, value: path });
}

/** Where a picked photo is written, from the working folder: `../my_images/coffee.png`. */
function pickedPath(name: string): string {
  return `../my_images/${name.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "") || "photo"}`;
}

/** Whether the bytes begin as a PNG's or a JPEG's. */
function isPicture(bytes: Uint8Array): boolean {
  const png = [0x89, 0x50, 0x4e, 0x47].every((b, i) => bytes[i] === b);
  return png || (bytes[0] === 0xff && bytes[1] === 0xd8);
}

/**
 * The file picker above a `parameters` cell for one of its picture knobs: the photo picked is
 * written into the page's files and its variable (`DNN_IMAGE`) names it, as `?DNN_IMAGE=`
 * would; where the cell has run, it runs again, so the cells below it use the photo.
 */
function imagePicker(cell: HTMLElement, index: number, picker: ImagePicker): HTMLElement {
  const { knob, variable } = picker;
  const box = element("div", "image-picker");
  const input = document.createElement("input");
  input.type = "file";
  input.accept = "image/png,image/jpeg,.png,.jpg,.jpeg";
  const label = element("label", "", `Your own photo for ${knob}: `);
  label.append(input);
  const given = pageEnv()[variable];
  const note = element(
    "span",
    "picked",
    given
      ? `${knob} is ${given}, from ${variable}`
      : `${knob} is the cell's ${picker.path}: pick a JPEG or PNG of yours instead`,
  );
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (file === undefined) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!isPicture(bytes)) {
      note.textContent = `${file.name} is not a JPEG or PNG: pick another`;
      return;
    }
    const path = pickedPath(file.name);
    picked.set(variable, { path, bytes });
    const ran = cell.hasAttribute("data-state");
    if (kernel) sendPicked(kernel, variable);
    if (ran) run(index);
    const size = `${Math.ceil(bytes.length / 1024)} KB`;
    const next = ran ? "the cell below ran again with it; run" : "press Run all, or run";
    note.textContent =
      `Using your ${file.name} (${size}) as ${knob}, ${path}: ${next} the cells after it`;
  });
  box.append(label, note);
  return box;
}

function run(index: number): void {
  const cell = elements.get(index)!;
  kernel ??= startKernel();
  cell.querySelector(":scope > .outputs")!.replaceChildren();
  cell.setAttribute("data-state", "running");
  recorded.set(index, { outputs: [], count: null });
  running++;
  say("Running");
  kernel.postMessage({ type: "run", cell: index, source: code.get(index)!() });
}

function restart(): void {
  kernel?.terminate();
  kernel = undefined;
  running = 0;
  displays.clear();
  recordedDisplays.clear();
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
  for (const { index, source, exercise, pickers } of cells) {
    const cell = document.querySelector<HTMLElement>(`.cell.code[data-cell="${index}"]`);
    if (!cell) continue;
    for (const picker of pickers ?? []) cell.before(imagePicker(cell, index, picker));
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
  const downloadButton = element("button", "download", "Download notebook");
  downloadButton.title = "Save this notebook, with your code and what it printed, as an .ipynb";
  downloadButton.addEventListener("click", () => {
    download().catch((error) => say(`Could not download ${notebookFile}: ${error}`));
  });
  status.className = "live-status";
  about.className = "live-about";
  say("Not started: press Run on a cell, or Run all");
  bar.append(runAll, restartButton, ...notebookFile ? [downloadButton] : [], status, about);
  document.querySelector("main")?.prepend(bar);
}

setUp();
