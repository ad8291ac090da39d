/**
 * Builds what makes a course site live, into its `live/` folder: the library
 * bundled for the browser (`lib.js`, by `deno bundle`, with the Deno-only
 * modules it imports replaced by those of `web/host/`), the fast backend's
 * worker (`worker.js`) and kernels (`kernels.wasm`), the page's kernel
 * (`kernel.js`), the page's script (`page.js`), the library's source for
 * `showSource` (`sources.json`), and the list of the site's files a page may
 * read (`files.json`). The course's data goes to the site's `data/`.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The bare and `node:` modules that the browser gets from `web/host/` in place of Deno's. */
const BROWSER_MODULES: Record<string, string> = {
  "node:path": "web/host/node_path.ts",
  "node:fs": "web/host/node_fs.ts",
  "node:buffer": "web/host/node_buffer.ts",
  "node:worker_threads": "web/host/node_worker_threads.ts",
  "h5wasm/node": "web/host/h5wasm.ts",
};

/** The bundles of `live/`: output file to entry point. */
const BUNDLES: Record<string, string> = {
  "lib.js": "lib/mod.ts",
  "worker.js": "lib/fast/worker.ts",
  "kernel.js": "web/kernel/worker.ts",
  "page.js": "web/page/page.ts",
};

/** The project's import map with the browser's modules in place of Deno's, as file URLs. */
function browserImportMap(): { imports: Record<string, string> } {
  const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
  const imports: Record<string, string> = {};
  const url = (path: string) => new URL(path, `file://${ROOT}`).href;
  for (const [name, target] of Object.entries(config.imports as Record<string, string>)) {
    imports[name] = target.startsWith("./") ? url(target) : target;
  }
  for (const [name, path] of Object.entries(BROWSER_MODULES)) imports[name] = url(path);
  return { imports };
}

async function bundle(entry: string, output: string, importMap: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=browser",
      // The page's script is a classic one; the rest are modules.
      `--format=${output.endsWith("page.js") ? "iife" : "esm"}`,
      "--minify",
      `--import-map=${importMap}`,
      `--output=${output}`,
      join(ROOT, entry),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`deno bundle ${entry} failed: ${text.split("\n").slice(0, 6).join(" ")}`);
  }
}

/** The library's TypeScript (and the fast kernels' AssemblyScript), path under `lib/` to text. */
function librarySources(): Record<string, string> {
  const sources: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(join(ROOT, "lib", dir))) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory) walk(path);
      else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) {
        sources[path] = Deno.readTextFileSync(join(ROOT, "lib", path));
      }
    }
  };
  walk("");
  return sources;
}

/** Every file under `dir`, path relative to `base` to size. */
function listFiles(dir: string, base: string): Record<string, number> {
  const files: Record<string, number> = {};
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) Object.assign(files, listFiles(path, base));
    else if (entry.isFile) files[relative(base, path)] = Deno.statSync(path).size;
  }
  return files;
}

/**
 * Makes the site in `siteDir` live: writes `live/` and copies the course's data.
 *
 * @param siteDir a course site, from `buildSite`
 * @returns the files written
 */
export async function buildLive(siteDir: string): Promise<string[]> {
  const live = join(siteDir, "live");
  await Deno.mkdir(live, { recursive: true });
  const temporary = await Deno.makeTempDir({ prefix: "dnn-live-" });
  try {
    const importMap = join(temporary, "import_map.json");
    await Deno.writeTextFile(importMap, JSON.stringify(browserImportMap()));
    await Promise.all(
      Object.entries(BUNDLES).map(([out, entry]) => bundle(entry, join(live, out), importMap)),
    );
  } finally {
    await Deno.remove(temporary, { recursive: true });
  }
  await Deno.copyFile(join(ROOT, "lib", "fast", "kernels.wasm"), join(live, "kernels.wasm"));
  await Deno.writeTextFile(join(live, "sources.json"), JSON.stringify(librarySources()));
  const data = join(siteDir, "data");
  for (const [path] of Object.entries(listFiles(join(ROOT, "data"), join(ROOT, "data")))) {
    if (path.endsWith(".md")) continue;
    await Deno.mkdir(dirname(join(data, path)), { recursive: true });
    await Deno.copyFile(join(ROOT, "data", path), join(data, path));
  }
  const manifest = listFiles(data, siteDir);
  await Deno.writeTextFile(join(live, "files.json"), JSON.stringify(manifest));
  return [...Object.keys(BUNDLES), "kernels.wasm", "sources.json", "files.json"]
    .map((f) => join(live, f));
}
