/**
 * `deno task serve`: serves a course site on localhost, with the two headers
 * that make its pages cross-origin isolated (`Cross-Origin-Opener-Policy:
 * same-origin`, `Cross-Origin-Embedder-Policy: require-corp`), so that a live
 * page trains on every core; says the address.
 *
 * ```sh
 * deno task serve [out/student-site] [--port 8000] [--plain]
 * ```
 *
 * `--plain` leaves the headers out, as a plain static host does: the pages
 * then train on one thread, with the same numbers.
 *
 * @module
 */

import { extname, join, normalize, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { fail, UsageError } from "./errors.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".woff2": "font/woff2",
  ".ipynb": "application/x-ipynb+json",
};

/**
 * Answers requests for the files of `dir`.
 *
 * @param dir the site's folder
 * @param isolated whether to send the cross-origin isolation headers
 */
export function siteHandler(
  dir: string,
  isolated: boolean,
): (request: Request) => Promise<Response> {
  const root = resolve(dir);
  return async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      return new Response("Not found", { status: 404 });
    }
    const headers = new Headers();
    if (isolated) {
      headers.set("Cross-Origin-Opener-Policy", "same-origin");
      headers.set("Cross-Origin-Embedder-Policy", "require-corp");
    }
    try {
      if ((await Deno.stat(file)).isDirectory) file = join(file, "index.html");
      const body = await Deno.readFile(file);
      headers.set("Content-Type", TYPES[extname(file)] ?? "application/octet-stream");
      return new Response(body, { headers });
    } catch {
      return new Response("Not found", { status: 404, headers });
    }
  };
}

if (import.meta.main) {
  try {
    const { values, positionals } = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        port: { type: "string", default: "8000" },
        plain: { type: "boolean", default: false },
      },
    });
    const dir = positionals[0] ?? "out/student-site";
    if (positionals.length > 1) throw new UsageError("give one site folder");
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
      throw new UsageError(`--port must be a port number, not "${values.port}"`);
    }
    try {
      await Deno.stat(join(dir, "index.html"));
    } catch {
      throw new UsageError(`${dir} holds no course site: run deno task export first`);
    }
    Deno.serve({
      hostname: "127.0.0.1",
      port: Number(values.port),
      onListen: ({ port }) =>
        console.log(
          `Serving ${dir} at http://127.0.0.1:${port}/ (${
            values.plain ? "no isolation headers: one thread" : "cross-origin isolated"
          }); Ctrl-C stops`,
        ),
    }, siteHandler(dir, !values.plain));
  } catch (e) {
    fail("serve", e);
  }
}
