/**
 * `node:path` for a page's kernel: pathe's POSIX paths, with relative paths
 * resolved against the page's working folder (`Deno.cwd()`), as Node's are
 * against the process's.
 *
 * @module
 */

import * as pathe from "pathe";

export { basename, dirname, extname, isAbsolute, join, normalize, sep } from "pathe";

/** The absolute path of the parts, from the working folder. */
export function resolve(...parts: string[]): string {
  return pathe.resolve(Deno.cwd(), ...parts);
}

/** The path of `to` relative to `from`, both from the working folder. */
export function relative(from: string, to: string): string {
  return pathe.relative(resolve(from), resolve(to));
}
