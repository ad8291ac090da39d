/**
 * `node:fs` for a page's kernel: the one call the library makes, `existsSync`,
 * over the page's files.
 *
 * @module
 */

import { PageFiles } from "./files.ts";

/** Whether a file or folder is there. */
export function existsSync(path: string | URL): boolean {
  return PageFiles.get().exists(PageFiles.resolve(path, Deno.cwd()));
}
