/**
 * A page's kernel: a module worker that runs the page's cells in order, in one
 * scope, as the Deno kernel runs a notebook's, and sends their outputs to the
 * page as nbformat outputs (streams, displays, results, errors). Being a worker,
 * it can wait on the fast backend's threads (`Atomics.wait`), and the page stays
 * live while the network trains; Restart ends it and starts another.
 *
 * Its messages, from the page: `{ type: "start", env }`, then `{ type: "run", cell,
 * source }`, `{ type: "write", path, bytes }` (a file of the learner's, such as the
 * photo they picked, into the page's files, its path from the working folder) and
 * `{ type: "env", name, value }` (a variable set, as `?DNN_IMAGE=` sets one), each done
 * after what came before it. To the page: `{ type: "ready", about }`, `{ type: "output",
 * cell, output }`, `{ type: "update", displayId, data }` and `{ type: "done", cell, ok,
 * executionCount }`.
 *
 * @module
 */

import inspectValue from "object-inspect";
import { compileCell } from "./cell.ts";
import { type Bundle, bundleOf, installDeno } from "../host/deno.ts";
import { PageFiles, type SiteManifest } from "../host/files.ts";

/** What the page sends. */
export type ToKernel =
  | { type: "start"; env: Record<string, string> }
  | { type: "run"; cell: number; source: string }
  | { type: "write"; path: string; bytes: Uint8Array }
  | { type: "env"; name: string; value: string };

/** An output of a cell, as nbformat stores it. */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | {
    output_type: "display_data";
    data: Bundle;
    metadata: Record<string, unknown>;
    transient?: { display_id?: string };
  }
  | {
    output_type: "execute_result";
    data: Bundle;
    metadata: Record<string, unknown>;
    execution_count: number;
  }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** What the kernel sends. */
export type FromKernel =
  | { type: "ready"; about: string }
  | { type: "output"; cell: number; output: Output }
  | { type: "update"; displayId: string; data: Bundle }
  | { type: "done"; cell: number; ok: boolean; executionCount: number };

const post = (message: FromKernel) => globalThis.postMessage(message);

/** How a value is shown as text: strings quoted, as the Deno kernel shows them. */
function inspect(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return inspectValue(value, { depth: 4, indent: 2 });
}

/** The error of a cell as Jupyter shows it: the message, then the cell's lines it passed. */
export function errorOutput(error: unknown): Output & { output_type: "error" } {
  if (!(error instanceof Error)) {
    return { output_type: "error", ename: "Error", evalue: inspect(error), traceback: [] };
  }
  const lines = (error.stack ?? `${error.name}: ${error.message}`).split("\n");
  const frames = lines.filter((l) => /^\s+at /.test(l));
  const head = lines.filter((l) => !/^\s+at /.test(l));
  const where = frames.flatMap((frame) => {
    const m = frame.match(/cell-(\d+)\.ts\b[^\n]*?:(\d+):\d+/);
    return m ? [`    at line ${m[2]} of cell [${m[1]}]`] : [];
  });
  // A syntax error of the cell names its line in its message.
  return {
    output_type: "error",
    ename: error.name,
    evalue: error.message,
    traceback: [...(head.length ? head : [`${error.name}: ${error.message}`]), ...where],
  };
}

let current = 0;
let executionCount = 0;
const scope: Record<string, unknown> = Object.create(null);
let library: Promise<Record<string, unknown>> | undefined;

const live = new URL("./", import.meta.url);
/** The kernel's files, working folder and environment, once started. */
let host: { files: PageFiles; cwd: string; env: Record<string, string> } | undefined;

/** What cells import: the library (one copy per page), or nothing else. */
function importModule(name: string): Promise<Record<string, unknown>> {
  if (name === "@dnn/lib") return library ??= import(new URL("lib.js", live).href);
  return Promise.reject(
    new TypeError(`A cell of this page can import "@dnn/lib" only, not ${JSON.stringify(name)}`),
  );
}

function output(output: Output): void {
  post({ type: "output", cell: current, output });
}

function installConsole(): void {
  const write = (name: "stdout" | "stderr") => (...args: unknown[]) =>
    output({
      output_type: "stream",
      name,
      text: args.map((a) => typeof a === "string" ? a : inspect(a)).join(" ") + "\n",
    });
  Object.assign(console, {
    log: write("stdout"),
    info: write("stdout"),
    debug: write("stdout"),
    warn: write("stderr"),
    error: write("stderr"),
  });
}

async function start(env: Record<string, string>): Promise<void> {
  const root = new URL("../", live);
  const [manifest, sources] = await Promise.all([
    fetch(new URL("files.json", live)).then((r) => r.json() as Promise<SiteManifest>),
    fetch(new URL("sources.json", live)).then((r) => r.json() as Promise<Record<string, string>>),
  ]);
  const wasm = new Uint8Array(await (await fetch(new URL("kernels.wasm", live))).arrayBuffer());
  const encoder = new TextEncoder();
  const preload: Record<string, Uint8Array> = { "live/kernels.wasm": wasm };
  for (const [path, text] of Object.entries(sources)) {
    preload[`live/${path}`] = encoder.encode(text);
  }
  const files = await PageFiles.open(root, manifest, preload);
  host = { files, cwd: `${root.pathname}notebooks`, env };
  installDeno(files, host.cwd, env, {
    broadcast(type, content) {
      const data = content.data as Bundle;
      const id = (content.transient as { display_id?: string } | undefined)?.display_id;
      if (type === "update_display_data" && id !== undefined) {
        post({ type: "update", displayId: id, data });
      } else {
        output({
          output_type: "display_data",
          data,
          metadata: (content.metadata ?? {}) as Record<string, unknown>,
          ...(id !== undefined ? { transient: { display_id: id } } : {}),
        });
      }
    },
  }, inspect);
  installConsole();
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const lib = await importModule("@dnn/lib") as { currentBackend(): { description: string } };
  const kept = files.persistent
    ? "saved files kept in this browser"
    : "saved files last until the page closes";
  post({
    type: "ready",
    about: `matrix products: ${lib.currentBackend().description}; ${
      isolated ? "cross-origin isolated" : "not cross-origin isolated"
    }; ${kept}`,
  });
}

async function run(cell: number, source: string): Promise<void> {
  current = cell;
  // As in Jupyter, each cell run counts, whether or not it shows a value.
  const count = ++executionCount;
  let ok = true;
  try {
    const compiled = (0, eval)(`${compileCell(source)}\n//# sourceURL=cell-${cell}.ts`);
    const value = await compiled(scope, importModule);
    if (value !== undefined) {
      output({
        output_type: "execute_result",
        data: bundleOf(value, inspect),
        metadata: {},
        execution_count: count,
      });
    }
  } catch (error) {
    ok = false;
    output(errorOutput(error));
  }
  await PageFiles.get().settle();
  post({ type: "done", cell, ok, executionCount: count });
}

/** A file written or a variable set, for the cells run next (none if the kernel did not start). */
async function prepare(message: ToKernel & { type: "write" | "env" }): Promise<void> {
  if (host === undefined) return;
  if (message.type === "env") host.env[message.name] = message.value;
  else await host.files.write(PageFiles.resolve(message.path, host.cwd), message.bytes);
}

let queue = Promise.resolve();
globalThis.addEventListener("message", (event) => {
  const message = (event as MessageEvent<ToKernel>).data;
  if (message.type === "start") {
    queue = queue.then(() => start(message.env)).catch((error) => {
      post({ type: "ready", about: `the kernel could not start: ${errorOutput(error).evalue}` });
    });
  } else if (message.type === "run") queue = queue.then(() => run(message.cell, message.source));
  else queue = queue.then(() => prepare(message)).catch((error) => output(errorOutput(error)));
});
// An error no cell awaited still shows, under the cell that ran last.
globalThis.addEventListener("unhandledrejection", (event) => {
  (event as PromiseRejectionEvent).preventDefault();
  output(errorOutput((event as PromiseRejectionEvent).reason));
});
