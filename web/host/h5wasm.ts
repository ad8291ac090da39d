/**
 * `h5wasm/node` for a page's kernel: h5wasm's browser build, whose files live
 * in its own memory file system, joined to the page's files. A file opened for
 * reading is copied in from the page's files first; one opened for writing is
 * copied out to them when it is closed.
 *
 * @module
 */

import h5wasm, { type ACCESS_MODES, FS } from "h5wasm";
import { PageFiles } from "./files.ts";

function _dir(path: string): void {
  const folder = path.slice(0, path.lastIndexOf("/"));
  if (folder) FS!.mkdirTree(folder);
}

/** An HDF5 file, in h5wasm's memory and the page's files. */
class File extends h5wasm.File {
  readonly #writing: boolean;
  readonly #path: string;

  constructor(path: string, mode: keyof typeof ACCESS_MODES = "r") {
    const at = PageFiles.resolve(path, Deno.cwd());
    const files = PageFiles.get();
    _dir(at);
    if (mode === "r" || mode === "a" || mode === "Sr") {
      FS!.writeFile(at, files.readSync(at));
    }
    super(at, mode);
    this.#writing = mode !== "r" && mode !== "Sr";
    this.#path = at;
  }

  override close(): number {
    const status = super.close();
    if (this.#writing) PageFiles.get().writeSync(this.#path, FS!.readFile(this.#path));
    FS!.unlink(this.#path);
    return status;
  }
}

export type { File };
export default { ...h5wasm, File };
