/**
 * The part of the `Deno` namespace that the library and the notebooks use, for
 * a page's kernel: files over {@link PageFiles}, the working folder (the site's
 * `notebooks/`, where a notebook runs in Jupyter), the environment (the page's
 * query string: `?DNN_NUM_ITERATIONS=30`), and `Deno.jupyter`, whose displays go
 * to the page. What a page cannot do (run a program, open a socket) is missing,
 * as outside a kernel `Deno.jupyter` is: the library already copes with that.
 *
 * @module
 */

import { type FileInfo, NotFound, PageFiles } from "./files.ts";

/** A MIME bundle, as the Deno kernel sends it. */
export type Bundle = Record<string, unknown>;

/** Where the page's displays go. */
export interface PageJupyter {
  /** A display (`display_data`, or its update by `transient.display_id`). */
  broadcast(type: string, content: Record<string, unknown>): void;
}

/** Something the Deno kernel can show: a `Symbol.for("Jupyter.display")` method, or a value. */
const DISPLAY = Symbol.for("Jupyter.display");

/**
 * The MIME bundle of a value, as the Deno kernel makes it: its
 * `[Symbol.for("Jupyter.display")]()`, else its text.
 */
export function bundleOf(value: unknown, inspect: (value: unknown) => string): Bundle {
  const shown = (value as { [DISPLAY]?: () => Bundle } | null)?.[DISPLAY];
  if (typeof shown === "function") return shown.call(value);
  return { "text/plain": inspect(value) };
}

class AlreadyExists extends Error {
  override name = "AlreadyExists";
}

/**
 * Makes `globalThis.Deno` for a page's kernel.
 *
 * @param files the page's files
 * @param cwd the working folder, e.g. `/course/notebooks`
 * @param env the environment variables
 * @param jupyter where displays go
 * @param inspect how a value is shown as text
 */
export function installDeno(
  files: PageFiles,
  cwd: string,
  env: Record<string, string>,
  jupyter: PageJupyter,
  inspect: (value: unknown) => string,
): void {
  const at = (path: string | URL) => PageFiles.resolve(path, cwd);
  const decoder = new TextDecoder(), encoder = new TextEncoder();
  const stat = (path: string | URL): FileInfo => files.stat(at(path));
  const deno = {
    build: { os: "browser", arch: "wasm" },
    pid: 1,
    args: [] as string[],
    noColor: true,
    errors: { NotFound, AlreadyExists },
    cwd: () => cwd,
    env: {
      get: (name: string) => env[name],
      set: (name: string, value: string) => void (env[name] = value),
      delete: (name: string) => void delete env[name],
      has: (name: string) => name in env,
      toObject: () => ({ ...env }),
    },
    inspect,
    // A site file is read as it is looked at: what looks at one (the library opening an
    // HDF5 file) reads it next, and h5wasm then needs its bytes at once.
    stat: async (path: string | URL) => {
      const info = stat(path);
      if (info.isFile) await files.read(at(path));
      return info;
    },
    lstat: (path: string | URL) => Promise.resolve().then(() => stat(path)),
    statSync: stat,
    readFile: (path: string | URL) => files.read(at(path)),
    readTextFile: async (path: string | URL) => decoder.decode(await files.read(at(path))),
    readFileSync: (path: string | URL) => files.readSync(at(path)),
    readTextFileSync: (path: string | URL) => decoder.decode(files.readSync(at(path))),
    writeFile: (path: string | URL, bytes: Uint8Array) => files.write(at(path), bytes),
    writeTextFile: (path: string | URL, text: string) =>
      files.write(at(path), encoder.encode(text)),
    mkdir: (path: string | URL) => Promise.resolve(files.mkdir(at(path))),
    rename: (from: string | URL, to: string | URL) => files.rename(at(from), at(to)),
    remove: (path: string | URL) => files.remove(at(path)),
    jupyter: {
      broadcast: (type: string, content: Record<string, unknown>) =>
        jupyter.broadcast(type, content),
      display: (value: unknown, options: { raw?: boolean } = {}) => {
        const data = options.raw ? value as Bundle : bundleOf(value, inspect);
        jupyter.broadcast("display_data", { data, metadata: {}, transient: {} });
        return Promise.resolve();
      },
    },
  };
  (globalThis as unknown as { Deno: unknown }).Deno = deno;
}
