/**
 * Showing things in a notebook: a value with a `[Symbol.for("Jupyter.display")]()`
 * method is shown by the Deno kernel as the richest of its MIME types, and is an
 * ordinary object outside the kernel, so everything here is testable with `deno test`.
 *
 * Taught along the way in every notebook.
 *
 * @module
 */

import { _kernelBroadcast, type Broadcast, flushAtCellEnd } from "./kernel.ts";

/** The key of the method the Deno kernel calls to show a value: `Symbol.for("Jupyter.display")`. */
export const jupyterDisplay: unique symbol = Symbol.for("Jupyter.display") as typeof jupyterDisplay;

/** A MIME bundle: MIME type to content (text, or base64 for images). */
export type MimeBundle = Record<string, string>;

/** Something a notebook cell shows: return it as the cell's last value, or `await Deno.jupyter.display(it)`. */
export class Displayable {
  /** The MIME bundle the kernel sends to the front end. */
  readonly bundle: MimeBundle;

  /**
   * Wraps a MIME bundle so that the kernel shows it.
   *
   * @param bundle MIME type to content, e.g. `{ "text/plain": "...", "image/png": base64 }`
   * @example
   * ```ts
   * import { Displayable } from "@dnn/lib";
   * import { jupyterDisplay } from "./display.ts";
   * import assert from "node:assert/strict";
   *
   * const d = new Displayable({ "text/plain": "hello" });
   * assert.deepEqual(d[jupyterDisplay](), { "text/plain": "hello" });
   * ```
   */
  constructor(bundle: MimeBundle) {
    this.bundle = bundle;
  }

  /** What the Deno kernel calls to show this value. */
  [jupyterDisplay](): MimeBundle {
    return this.bundle;
  }

  /** The plain-text part, shown where nothing richer can be. */
  toString(): string {
    return this.bundle["text/plain"] ?? "";
  }
}

export type { Broadcast } from "./kernel.ts";

// In the Deno kernel, every cell ends only once its outputs have gone out (see kernel.ts).
flushAtCellEnd();

/** A line of progress that updates in place in a notebook. */
export interface LiveProgress {
  /** Shows the iteration (zero-based) and its cost, at most about five times a second. */
  update(iteration: number, cost: number): Promise<void>;
  /** Shows the final state. */
  done(): Promise<void>;
}

/**
 * A progress line for a training cell: "Iteration 300/2500, cost 0.582300, 4.1 s",
 * updated in place in the notebook (a display with an id, then updates of it).
 * Outside the kernel it shows nothing. Await its calls, so no output lands in a
 * later cell.
 *
 * @param total the number of iterations
 * @param options `label` before the line; `broadcast` and `now` replace the kernel
 *   and the clock (for tests)
 * @example
 * ```ts
 * import { liveProgress } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const sent: string[] = [];
 * const progress = liveProgress(10, { broadcast: async (type) => void sent.push(type) });
 * await progress.update(0, 0.69);
 * await progress.done();
 * assert.deepEqual(sent, ["display_data", "update_display_data"]);
 * ```
 */
export function liveProgress(
  total: number,
  { label = "Training", broadcast = _kernelBroadcast(), now = () => performance.now() }: {
    label?: string;
    broadcast?: Broadcast;
    now?: () => number;
  } = {},
): LiveProgress {
  const id = `progress-${crypto.randomUUID()}`;
  const start = now();
  let shown = false, last = -Infinity, state = { iteration: -1, cost: NaN };
  const send = async () => {
    if (!broadcast) return;
    const seconds = ((now() - start) / 1000).toFixed(1);
    const text = `${label}: iteration ${state.iteration + 1}/${total}, cost ${
      state.cost.toFixed(6)
    }, ${seconds} s`;
    await broadcast(shown ? "update_display_data" : "display_data", {
      data: { "text/plain": text },
      metadata: {},
      transient: { display_id: id },
    });
    shown = true;
  };
  return {
    async update(iteration, cost) {
      state = { iteration, cost };
      if (now() - last < 200) return;
      last = now();
      await send();
    },
    async done() {
      if (state.iteration >= 0) await send();
    },
  };
}

/**
 * Shows the TypeScript source of an exported function of `lib/` (or an
 * `@inline` function of the fast backend's AssemblyScript), with its JSDoc,
 * as Markdown: what a notebook shows when it explains how a function works.
 *
 * @param file a file of `lib/`, e.g. `"backward.ts"` or `"fast/assembly/kernels.ts"`
 * @param name the function, e.g. `"linearBackward"`
 * @returns a displayable Markdown code block
 * @throws {Error} naming the file, or the function and the file, if not found
 * @example
 * ```ts
 * import { showSource } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const shown = showSource("cost.ts", "computeCost").bundle["text/markdown"];
 * assert.match(shown, /export function computeCost\(AL: Matrix, Y: Matrix\): number \{/);
 * ```
 */
export function showSource(file: string, name: string): Displayable {
  const url = new URL(`./${file}`, import.meta.url);
  let text: string;
  try {
    text = Deno.readTextFileSync(url);
  } catch {
    throw new Error(`Cannot show the source of ${name} as lib/${file} cannot be read`);
  }
  const lines = text.split("\n");
  // `export function`, or AssemblyScript's `@inline function` (lib/fast/assembly/).
  const heading = new RegExp(`^(export |@inline )?(async )?function ${name}\\b`);
  const at = lines.findIndex((l) => heading.test(l));
  if (at < 0) {
    throw new Error(`Cannot show the source of ${name} as lib/${file} does not define it`);
  }
  let first = at;
  if (lines[first - 1]?.startsWith("// @ts-ignore")) first--; // before a decorator
  if (lines[first - 1]?.trim() === "*/") {
    while (first > 0 && !lines[first].trimStart().startsWith("/**")) {
      first--;
    }
  }
  const end = lines.findIndex((l, i) => i > at && l === "}");
  const source = lines.slice(first, end + 1).join("\n");
  return new Displayable({
    // A four-backtick fence, as the JSDoc's example holds three-backtick fences.
    "text/markdown": `\`lib/${file}\`\n\n\`\`\`\`ts\n${source}\n\`\`\`\``,
    "text/plain": source,
  });
}
