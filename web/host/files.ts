/**
 * The files a page's kernel sees, by path, as the library and the notebooks
 * name them on disk: the site's own files (the course's `.h5` files, its
 * photos), read by `fetch` from the site; and the files a notebook writes
 * (`out/params_deep.h5`), kept in the browser's origin private file system, so
 * that notebook 5's page finds what notebook 4's page saved.
 *
 * A path is a URL's path on the site: the site's `data/train_catvnoncat.h5` is
 * `/course/data/train_catvnoncat.h5` when the site is served at `/course/`.
 * Every file read or written so far is also held in memory, for the library's
 * few synchronous reads (`kernels.wasm`, its own source for `showSource`) and
 * for h5wasm, whose files live in memory.
 *
 * @module
 */

import * as pathe from "pathe";

/** The site's files that a page may read: path under the site's root to size in bytes. */
export type SiteManifest = Record<string, number>;

/** A file system error, as `Deno.errors` has them. */
export class NotFound extends Error {
  constructor(path: string) {
    super(`No such file or directory (os error 2): ${path}`);
    this.name = "NotFound";
  }
}

/** What `stat` says of a path. */
export interface FileInfo {
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  size: number;
  mtime: Date | null;
}

/** Where written files are kept: the origin private file system, one flat folder. */
interface Store {
  write(path: string, bytes: Uint8Array): Promise<void>;
  remove(path: string): Promise<void>;
  all(): Promise<[string, Uint8Array][]>;
}

/** The folder of the origin private file system that holds the course's written files. */
export const STORE_FOLDER = "dnn-course";

async function opfsStore(): Promise<Store | undefined> {
  const storage = (globalThis.navigator as { storage?: StorageManager } | undefined)?.storage;
  if (typeof storage?.getDirectory !== "function") return undefined;
  let folder: FileSystemDirectoryHandle;
  try {
    folder = await (await storage.getDirectory()).getDirectoryHandle(STORE_FOLDER, {
      create: true,
    });
  } catch {
    return undefined; // not a secure context, or storage refused
  }
  const name = (path: string) => encodeURIComponent(path);
  return {
    async write(path, bytes) {
      const handle = await folder.getFileHandle(name(path), { create: true });
      // The new content replaces the old only when the stream closes: a page closed
      // mid-write leaves the earlier file whole.
      const stream = await handle.createWritable();
      await stream.write(bytes as Uint8Array<ArrayBuffer>);
      await stream.close();
    },
    async remove(path) {
      await folder.removeEntry(name(path)).catch(() => {});
    },
    async all() {
      const out: [string, Uint8Array][] = [];
      // deno-lint-ignore no-explicit-any
      for await (const [key, handle] of (folder as any).entries()) {
        if (handle.kind !== "file") continue;
        const file = await (handle as FileSystemFileHandle).getFile();
        out.push([decodeURIComponent(key), new Uint8Array(await file.arrayBuffer())]);
      }
      return out;
    },
  };
}

const CURRENT = Symbol.for("dnn.pageFiles");

/** The page's files: the site's, read on demand, and those written, kept. */
export class PageFiles {
  /** The site's root URL, e.g. `http://localhost:8000/course/`. */
  readonly root: URL;
  /** Where written files persist, or `undefined` (then they last as long as the page). */
  readonly persistent: boolean;
  readonly #site: Map<string, number>;
  readonly #memory = new Map<string, { bytes: Uint8Array; mtime: Date }>();
  readonly #store: Store | undefined;
  readonly #directories = new Set<string>();
  /** Writes to the store not yet finished, by path. */
  readonly #pending = new Map<string, Promise<void>>();

  private constructor(root: URL, manifest: SiteManifest, store: Store | undefined) {
    this.root = root;
    this.#site = new Map(
      Object.entries(manifest).map(([path, size]) => [root.pathname + path, size]),
    );
    this.#store = store;
    this.persistent = store !== undefined;
  }

  /**
   * The page's files, with the written files kept from earlier pages loaded.
   *
   * @param root the site's root URL
   * @param manifest the site's files that may be read
   * @param preload files read now, for synchronous reads: path under the root to bytes
   */
  static async open(
    root: URL,
    manifest: SiteManifest,
    preload: Record<string, Uint8Array> = {},
  ): Promise<PageFiles> {
    const files = new PageFiles(root, manifest, await opfsStore());
    for (const [path, bytes] of Object.entries(preload)) {
      files.#memory.set(root.pathname + path, { bytes, mtime: new Date() });
    }
    for (const [path, bytes] of await files.#store?.all() ?? []) {
      files.#memory.set(path, { bytes, mtime: new Date() });
    }
    (globalThis as Record<symbol, unknown>)[CURRENT] = files;
    return files;
  }

  /**
   * The current page's files, once {@link open}ed: held by the global object, as the
   * kernel and the library are two bundles, each with its own copy of this module.
   *
   * @throws {Error} before {@link open}
   */
  static get(): PageFiles {
    const files = (globalThis as Record<symbol, unknown>)[CURRENT];
    if (!(files instanceof Object)) throw new Error("the page's files are not open yet");
    return files as PageFiles;
  }

  /** A path made absolute against the working folder `cwd`, with `.` and `..` resolved. */
  static resolve(path: string | URL, cwd: string): string {
    if (path instanceof URL) return decodeURIComponent(path.pathname);
    if (/^[a-z]+:\/\//i.test(path)) return decodeURIComponent(new URL(path).pathname);
    return pathe.resolve(cwd, path);
  }

  /** Whether the path is a file or a folder that holds one. */
  exists(path: string): boolean {
    return this.#statSync(path) !== undefined;
  }

  #statSync(path: string): FileInfo | undefined {
    const file = this.#memory.get(path);
    const size = file?.bytes.length ?? this.#site.get(path);
    if (size !== undefined) {
      return {
        isFile: true,
        isDirectory: false,
        isSymlink: false,
        size,
        mtime: file?.mtime ?? null,
      };
    }
    const prefix = path.endsWith("/") ? path : path + "/";
    const isDirectory = this.#directories.has(path) ||
      [...this.#memory.keys(), ...this.#site.keys()].some((p) => p.startsWith(prefix));
    return isDirectory
      ? { isFile: false, isDirectory: true, isSymlink: false, size: 0, mtime: null }
      : undefined;
  }

  /** What is at the path. @throws {NotFound} */
  stat(path: string): FileInfo {
    const info = this.#statSync(path);
    if (info === undefined) throw new NotFound(path);
    return info;
  }

  /** A file's bytes, read from the site the first time. @throws {NotFound} */
  async read(path: string): Promise<Uint8Array> {
    const held = this.#memory.get(path);
    if (held !== undefined) return held.bytes;
    if (!this.#site.has(path)) throw new NotFound(path);
    const response = await fetch(new URL(path, this.root));
    if (!response.ok) throw new NotFound(`${path} (the site answered ${response.status})`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.#memory.set(path, { bytes, mtime: new Date() });
    return bytes;
  }

  /** A file's bytes, if held in memory (preloaded, read or written before). @throws {NotFound} */
  readSync(path: string): Uint8Array {
    const held = this.#memory.get(path);
    if (held === undefined) throw new NotFound(path);
    return held.bytes;
  }

  /**
   * Writes a file at once in memory, and to the store in the background: {@link settle}
   * waits for that. The site's own files cannot be replaced.
   */
  writeSync(path: string, bytes: Uint8Array): void {
    if (this.#site.has(path)) {
      throw new Error(`${path} is one of the course site's files: it cannot be replaced`);
    }
    this.#memory.set(path, { bytes, mtime: new Date() });
    this.#queue(path, () => this.#store?.write(path, bytes));
  }

  /** Writes a file and waits until it is kept. */
  async write(path: string, bytes: Uint8Array): Promise<void> {
    this.writeSync(path, bytes);
    await this.settle(path);
  }

  /** Renames a written file, replacing the target, once the source is kept. @throws {NotFound} */
  async rename(from: string, to: string): Promise<void> {
    const held = this.#memory.get(from);
    if (held === undefined) throw new NotFound(from);
    await this.settle(from);
    // The target is written whole before the source goes: an interruption between
    // the two leaves both, never neither.
    await this.write(to, held.bytes);
    await this.remove(from);
  }

  /** Removes a written file. @throws {NotFound} */
  async remove(path: string): Promise<void> {
    if (!this.#memory.delete(path) && !this.#directories.delete(path)) throw new NotFound(path);
    // Queued after the path's earlier writes, so it runs once they are done.
    this.#queue(path, () => this.#store?.remove(path));
    await this.settle(path);
  }

  /** Makes a folder (which holds nothing until a file is written there). */
  mkdir(path: string): void {
    this.#directories.add(path);
  }

  /** Waits until the writes to the store of the path (or of every path) are done. */
  async settle(path?: string): Promise<void> {
    if (path !== undefined) await this.#pending.get(path);
    else await Promise.all(this.#pending.values());
  }

  #queue(path: string, task: () => Promise<void> | undefined): void {
    const previous = this.#pending.get(path) ?? Promise.resolve();
    const next = previous.then(task).then(() => {}, (e) => {
      console.warn(`${path} could not be kept in the browser (${(e as Error).message})`);
    });
    this.#pending.set(path, next);
    next.then(() => {
      if (this.#pending.get(path) === next) this.#pending.delete(path);
    });
  }
}
