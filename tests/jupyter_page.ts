/**
 * The notebooks in a real front end, as a learner opens them: Debian's Jupyter
 * Notebook (the classic one, 6.4) on 127.0.0.1, driven through Chromium with
 * playwright-core. Shared by the front-end test (`frontend_test.ts`) and the Run All
 * stress check (`stress/run_all.ts`).
 *
 * @module
 */

import { type Browser, chromium, type Page } from "playwright-core";
import { join } from "node:path";
import { executeNotebook, ROOT } from "./helpers.ts";

/** A Jupyter Notebook server serving the repository, and how to reach a notebook in it. */
export interface NotebookServer {
  /** The address of `notebooks/FILE` in the server, with its token. */
  url(file: string): string;
  stop(): Promise<void>;
}

/**
 * Starts a Jupyter Notebook server on a free port of 127.0.0.1, serving the
 * repository; its kernels run with `env` added to this process's environment.
 */
export async function startServer(env: Record<string, string>): Promise<NotebookServer> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const token = crypto.randomUUID();
  const server = new Deno.Command("jupyter", {
    args: [
      "notebook",
      "--no-browser",
      "--allow-root",
      "--ip=127.0.0.1",
      `--port=${port}`,
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${ROOT}`,
    ],
    env,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    try {
      const response = await fetch(`${base}/api?token=${token}`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (i === 100) throw new Error("Jupyter Notebook did not start in 20 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: (file) => `${base}/notebooks/notebooks/${file}?token=${token}`,
    async stop() {
      server.kill("SIGTERM");
      await server.status;
    },
  };
}

/** Chromium from Debian (or `$DNN_CHROMIUM`), headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: Deno.env.get("DNN_CHROMIUM") ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
}

/** Opens a notebook and waits until the front end has loaded it and its kernel. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    // deno-lint-ignore no-explicit-any
    () => (globalThis as any).Jupyter?.notebook?._fully_loaded === true,
    null,
    { timeout: 60_000 },
  );
  // Nothing a test does is saved over the notebook.
  // deno-lint-ignore no-explicit-any
  await page.evaluate(() => (globalThis as any).Jupyter.notebook.set_autosave_interval(0));
}

/**
 * Cell > Run All, as a learner clicks it, once the kernel is connected; returns
 * when the front end has had, for every code cell's request, both the kernel's
 * reply and its `status: idle`, and so every output the kernel sent before them:
 * nothing is waited for after (an output that comes later is the defect to see).
 */
export async function runAll(page: Page, { timeout = 300_000 } = {}): Promise<void> {
  await page.waitForFunction(
    // deno-lint-ignore no-explicit-any
    () => (globalThis as any).Jupyter.notebook.kernel?.is_connected(),
    null,
    { timeout: 60_000 },
  );
  await page.click('#menus a.dropdown-toggle:text-is("Cell")');
  await page.click("#run_all_cells a");
  await page.waitForFunction(
    () => {
      // deno-lint-ignore no-explicit-any
      const { notebook } = (globalThis as any).Jupyter;
      // deno-lint-ignore no-explicit-any
      return notebook.get_cells().filter((c: any) => c.cell_type === "code").every((c: any) => {
        const callbacks = notebook.kernel._msg_callbacks[c.last_msg_id];
        return typeof c.input_prompt_number === "number" &&
          (callbacks === undefined || (callbacks.shell_done && callbacks.iopub_done));
      });
    },
    null,
    { timeout, polling: 500 },
  );
}

/** What a code cell's output area shows: its error outputs, SVG elements and loaded images. */
export interface Shown {
  errors: string[];
  svg: number;
  img: number;
}

/** What each code cell's output area shows, in the page (run there, as a script). */
export function shown(page: Page): Promise<Shown[]> {
  return page.evaluate(`[...document.querySelectorAll(".cell.code_cell")].map((cell) => ({
    errors: [...cell.querySelectorAll(".output_error")].map((e) => e.innerText),
    svg: cell.querySelectorAll(".output_subarea svg").length,
    img: [...cell.querySelectorAll(".output_subarea img")].filter((i) => i.naturalWidth > 0).length,
  }))`);
}

/** An output as the front end keeps it (nbformat's shape). */
export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
}

/** Each code cell's execution count and outputs, as the front end holds them. */
export function cellOutputs(
  page: Page,
): Promise<{ executionCount: number | null; outputs: Output[] }[]> {
  return page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code")
      // deno-lint-ignore no-explicit-any
      .map((c: any) => ({
        executionCount: typeof c.input_prompt_number === "number" ? c.input_prompt_number : null,
        outputs: c.output_area.toJSON(),
      }))
  );
}

/** A cell's outputs by kind: `stdout line`, `execute_result image/png,...`, `error TypeError`. */
export type Kinds = Map<string, number>;

/** The kinds of a cell's outputs, each counted; each printed line counts as one. */
export function kinds(outputs: Output[]): Kinds {
  const counts: Kinds = new Map();
  const add = (kind: string, n = 1) => counts.set(kind, (counts.get(kind) ?? 0) + n);
  for (const o of outputs) {
    if (o.output_type === "stream") {
      const text = [o.text ?? ""].flat().join("");
      add(`${o.name} line`, text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
    } else if (o.output_type === "error") {
      add(`error ${o.ename}`);
    } else {
      add(`${o.output_type} ${Object.keys(o.data ?? {}).sort().join(",")}`);
    }
  }
  for (const [kind, n] of counts) if (n === 0) counts.delete(kind);
  return counts;
}

/** What one cell in the page lacks, and shows besides, against what it should show. */
export function compare(
  expected: Kinds,
  shown: Output[],
  executionCount: number | null,
): { outputs: number; missing: string[]; misplaced: string[] } {
  const got = kinds(shown);
  const missing: string[] = [], misplaced: string[] = [];
  for (const kind of new Set([...expected.keys(), ...got.keys()])) {
    const e = expected.get(kind) ?? 0, g = got.get(kind) ?? 0;
    for (let i = g; i < e; i++) missing.push(kind);
    for (let i = e; i < g; i++) misplaced.push(kind);
  }
  for (const o of shown) {
    if (o.output_type === "execute_result" && o.execution_count !== executionCount) {
      misplaced.push(`execute_result of cell [${o.execution_count}] under [${executionCount}]`);
    }
  }
  const outputs = [...expected.values()].reduce((a, b) => a + b, 0);
  return { outputs, missing, misplaced };
}

/**
 * What each code cell of `notebooks/NAME` should show: its kinds of output when
 * nbclient executes it a cell at a time (the executed copy goes to `DNN_OUT_DIR`).
 *
 * @param options `grace`: seconds to listen after each cell for outputs that come late
 */
export async function expectedKinds(
  name: string,
  env: Record<string, string>,
  { grace = 0 } = {},
): Promise<Kinds[]> {
  const target = join(env.DNN_OUT_DIR, name.replace(".ipynb", ".reference.ipynb"));
  const run = await executeNotebook(name, target, env, { grace });
  if (!run.success) throw new Error(`${name} failed: ${run.stderr.trim().split("\n").at(-1)}`);
  const cells: { cell_type: string; outputs?: Output[] }[] =
    JSON.parse(await Deno.readTextFile(target)).cells;
  return cells.filter((c) => c.cell_type === "code").map((c) => kinds(c.outputs ?? []));
}

/** Shuts the page's kernel down, so that the next notebook starts with a machine to itself. */
export async function shutDownKernel(page: Page): Promise<void> {
  // deno-lint-ignore no-explicit-any
  await page.evaluate(() => (globalThis as any).Jupyter.notebook.session.delete());
}

/** The front end's trust indicator: "Trusted" or "Not Trusted". */
export function trust(page: Page): Promise<string> {
  return page.locator("#notification_trusted").innerText();
}
