/**
 * Compiles the fast backend's kernels, `lib/fast/assembly/kernels.ts`
 * (AssemblyScript), into `lib/fast/kernels.wasm`:
 * `deno task build-wasm`. The compiler's version is pinned in `deno.json` and
 * `deno.lock`, so the same source gives the same bytes; a test checks that the
 * committed `kernels.wasm` is exactly what this produces.
 *
 * Usage: `deno task build-wasm [--out FILE]` (default: `lib/fast/kernels.wasm`).
 *
 * @module
 */

import asc from "assemblyscript/asc";
import { fail, UsageError } from "./errors.ts";

/** The fast backend's folder. */
const FAST = new URL("../lib/fast/", import.meta.url);

/** Where the backend loads the kernels from. */
export const WASM = new URL("kernels.wasm", FAST);

/** The compiler's options: SIMD, relaxed SIMD (fused multiply-add), and a shared memory the backend provides. */
export const ASC_OPTIONS = [
  "-O3",
  "--runtime",
  "stub",
  "--noAssert",
  "--importMemory",
  "--sharedMemory",
  "--initialMemory",
  "1",
  "--maximumMemory",
  "16384",
  "--enable",
  "simd,relaxed-simd,threads",
];

/**
 * Compiles the kernels and returns the WebAssembly bytes.
 *
 * @throws {Error} with the compiler's messages if it fails
 */
export async function buildKernels(): Promise<Uint8Array> {
  return (await compile([])).wasm;
}

/**
 * Compiles the kernels and returns the module as WebAssembly text, the
 * instructions the compiler kept: a test reads it to see that no loop lost
 * work to the optimizer.
 *
 * @throws {Error} with the compiler's messages if it fails
 */
export async function buildKernelsText(): Promise<string> {
  const { text } = await compile(["--textFile", "kernels.wat"]);
  if (text === undefined) throw new Error("asc wrote no text");
  return text;
}

/** Runs the compiler on the kernels with {@link ASC_OPTIONS} and `extra`, keeping what it writes. */
async function compile(extra: string[]): Promise<{ wasm: Uint8Array; text?: string }> {
  let wasm: Uint8Array | undefined, text: string | undefined;
  let messages = "";
  // The source is named relative to the backend's folder, whatever the working directory.
  const baseDir = FAST.pathname;
  const { error } = await asc.main(
    ["assembly/kernels.ts", "--baseDir", baseDir, ...ASC_OPTIONS, "-o", "kernels.wasm", ...extra],
    {
      writeFile: (name: string, contents: Uint8Array | string) => {
        if (name.endsWith(".wat")) {
          text = typeof contents === "string" ? contents : new TextDecoder().decode(contents);
        } else wasm = contents as Uint8Array;
      },
      stdout: { write: (text: string) => (messages += text, true) },
      stderr: { write: (text: string) => (messages += text, true) },
    } as unknown as Parameters<typeof asc.main>[1],
  );
  if (error || wasm === undefined) {
    throw new Error(`asc failed: ${error?.message ?? ""}\n${messages}`);
  }
  return { wasm, text };
}

if (import.meta.main) {
  try {
    const args = [...Deno.args];
    let out = WASM.pathname;
    if (args[0] === "--out" && args.length === 2) out = args[1];
    else if (args.length > 0) throw new UsageError("Usage: deno task build-wasm [--out FILE]");
    const bytes = await buildKernels();
    Deno.writeFileSync(out, bytes);
    console.log(`${out}: ${bytes.length} bytes`);
  } catch (error) {
    fail("build-wasm", error);
  }
}
