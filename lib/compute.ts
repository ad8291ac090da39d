/**
 * Where the models' matrix products run: the plain TypeScript kernels of
 * `kernels.ts`, or the fast backend of `fast/backend.ts` (WebAssembly SIMD on
 * every core), which gives the same float64 results bit for bit.
 *
 * The models use the fast backend unless told otherwise. Where it cannot run
 * (no WebAssembly threads or SIMD, or `kernels.wasm` unreadable), they fall back
 * on the plain kernels, after a one-line notice.
 *
 * @module
 */

import { defaultThreads, FastBackend, type Precision } from "./fast/backend.ts";
import { plainKernels, type ProductKernels } from "./kernels.ts";
import type { Matrix } from "./matrix.ts";

/** How the models compute their matrix products. */
export interface ComputeOptions {
  /**
   * `"fast"` (default): WebAssembly SIMD kernels on the main thread and
   * workers; `"plain"`: the TypeScript kernels that `kernels.ts` explains.
   */
  backend?: "fast" | "plain";
  /** Threads of the fast backend, the main thread included; default: the machine's cores (at most 8). */
  threads?: number;
  /**
   * Opt-in, fast backend only: `"f32"` computes the products in float32 (faster,
   * costs drift from the float64 run by about 1e-6 relative). Default `"f64"`.
   */
  precision?: Precision;
  /**
   * Opt-in, fast backend only: fused multiply-add, rounding `c + a * b` once
   * (faster; the last bits of the costs differ from the plain run). Default false.
   */
  fma?: boolean;
}

/** The products a model runs with, and where it keeps its large inputs. */
export interface Compute {
  /** The kernels for `withProductKernels`. */
  kernels: ProductKernels;
  /**
   * `M` itself for the plain kernels; its copy in the fast backend's memory for
   * the fast one. `constant`: `M` will not change (the training set), so
   * float32 products may keep a float32 copy of it too.
   */
  place(M: Matrix, options?: { constant?: boolean }): Matrix;
  /**
   * Ends a training step: frees the results of its products, which the fast
   * backend keeps in its memory (see `ProductKernels.allocate`).
   */
  endStep(): void;
  /** Frees what {@link place} and the steps took. */
  release(): void;
  /** A short description, e.g. `fast, 2 threads, f64`. */
  description: string;
}

const backends = new Map<number, FastBackend>();
let noticeShown = false;

/**
 * The fast backend with `threads` threads, made once per process and kept;
 * `undefined`, after a one-line notice on stderr (shown once), if it cannot run here.
 *
 * @example
 * ```ts
 * import { fastBackend } from "./compute.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fastBackend(1)?.threads, 1);
 * ```
 */
export function fastBackend(threads?: number): FastBackend | undefined {
  const key = threads ?? defaultThreads();
  let backend = backends.get(key);
  if (backend !== undefined) return backend;
  try {
    backend = FastBackend.create({ threads: key });
  } catch (error) {
    if (error instanceof RangeError) throw error; // a bad thread count is the caller's error
    if (!noticeShown) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      console.warn(`Fast backend unavailable (${reason}): using the plain TypeScript kernels.`);
      noticeShown = true;
    }
    return undefined;
  }
  backends.set(key, backend);
  return backend;
}

/**
 * The products for a model's options: the fast backend unless `backend` is
 * `"plain"` or the fast backend cannot run here.
 *
 * @example
 * ```ts
 * import { computeFor } from "./compute.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(computeFor({ backend: "plain" }).description, "plain TypeScript");
 * assert.match(computeFor({ threads: 2, precision: "f32" }).description, /^fast, 2 threads, f32/);
 * ```
 */
export function computeFor(
  { backend = "fast", threads, precision = "f64", fma = false }: ComputeOptions = {},
): Compute {
  if (backend !== "fast" && backend !== "plain") {
    throw new RangeError(`backend must be "fast" or "plain", not ${JSON.stringify(backend)}`);
  }
  if (precision !== "f64" && precision !== "f32") {
    throw new RangeError(`precision must be "f64" or "f32", not ${JSON.stringify(precision)}`);
  }
  const fast = backend === "fast" ? fastBackend(threads) : undefined;
  if (fast === undefined) {
    return {
      kernels: plainKernels,
      place: (M) => M,
      endStep: () => {},
      release: () => {},
      description: "plain TypeScript",
    };
  }
  const placed: Matrix[] = [], stepResults: Matrix[] = [];
  const endStep = () => {
    for (const M of stepResults.splice(0)) fast.release(M);
  };
  return {
    kernels: {
      ...fast.kernels({ precision, fma }),
      allocate: (rows, cols) => {
        const M = fast.allocate(rows, cols);
        stepResults.push(M);
        return M;
      },
    },
    place(M, { constant = false } = {}) {
      const copy = fast.place(M, { f32: constant && precision === "f32" });
      placed.push(copy);
      return copy;
    },
    endStep,
    release() {
      endStep();
      for (const M of placed.splice(0)) fast.release(M);
    },
    description: `fast, ${fast.threads} thread${fast.threads > 1 ? "s" : ""}, ${precision}${
      fma ? ", fused multiply-add" : ""
    }`,
  };
}
