/**
 * Where the matrix products run. NumPy hands `np.dot` to a BLAS library; here
 * `matmul`, `matmulTransB` and `matmulTransA` (`matrix.ts`) hand their loops to
 * the backend in use, chosen once for the whole program:
 *
 * - `"fast"` (the default): WebAssembly SIMD kernels on every core
 *   (`fast/`). In float64 they give the plain loops' numbers bit for bit.
 *   It keeps its own copy of each large matrix it multiplies, such as the
 *   training set `X`, so that `X` is not copied again at every product.
 * - `"plain"`: the textbook loops of `kernels.ts`, in TypeScript.
 *
 * Everything else (the network, the training loops, your own loop in a
 * notebook) just calls `matmul` and gets the backend's speed.
 *
 * @example
 * ```ts
 * import { Matrix, matmul, useBackend } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const A = Matrix.from([[1, 2], [3, 4]]), B = Matrix.from([[5], [6]]);
 * useBackend({ backend: "plain" });
 * const plain = matmul(A, B);
 * const fast = useBackend({ backend: "fast", threads: 2 });
 * assert.match(fast.description, /^fast, 2 threads, f64/);
 * assert.deepEqual(matmul(A, B), plain); // the same numbers, bit for bit
 * useBackend(); // back to the default
 * ```
 *
 * @module
 */

import { OptionError } from "./errors.ts";
import { defaultThreads, FastBackend, fmaByDefault, type Precision } from "./fast/backend.ts";
import {
  matmulKernel,
  matmulTransAKernel,
  matmulTransBKernel,
  type ProductKernels,
} from "./kernels.ts";

/** A backend: the three products, and what runs them. */
export interface Backend extends ProductKernels {
  /** What runs the products, e.g. `plain TypeScript` or `fast, 2 threads, f64`. */
  readonly description: string;
}

/** Which backend {@link useBackend} chooses, and how it runs. */
export interface BackendOptions {
  /** `"fast"` (default) or `"plain"`. */
  backend?: "fast" | "plain";
  /** Threads of the fast backend, the main thread included; default: the machine's cores (at most 8). */
  threads?: number;
  /**
   * Opt-in, fast backend only: `"f32"`, the fast lane, computes the products
   * in float32, with fused multiply-add unless `fma` is false; the costs drift
   * from the float64 run. Default `"f64"`.
   */
  precision?: Precision;
  /**
   * Fast backend only: fused multiply-add, rounding `c + a * b` once instead
   * of twice. Default: on in float32 (the fast lane), off in float64, whose
   * products are then the plain run's, bit for bit; on in float64, the last
   * bits of the costs differ from the plain run.
   */
  fma?: boolean;
}

/** The textbook loops of `kernels.ts`. */
const plain: Backend = {
  description: "plain TypeScript",
  matmul: matmulKernel,
  matmulTransB: matmulTransBKernel,
  matmulTransA: matmulTransAKernel,
};

let current: Backend | undefined;
const fastBackends = new Map<number, FastBackend>();
let noticeShown = false;

/**
 * Chooses where every matrix product runs from now on. Where the fast backend
 * cannot run (no WebAssembly threads or SIMD, or `kernels.wasm` unreadable),
 * the plain loops run instead, after a one-line notice on stderr.
 *
 * @param options the backend and its mode; `useBackend()` restores the default
 * @returns the backend now in use
 * @throws {OptionError} naming the option, for a backend, thread count or
 *   precision that does not exist, or a fast-only option with `"plain"`
 * @example
 * ```ts
 * import { useBackend } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.equal(useBackend({ backend: "plain" }).description, "plain TypeScript");
 * useBackend();
 * ```
 */
export function useBackend(
  { backend = "fast", threads, precision = "f64", fma = fmaByDefault(precision) }: BackendOptions =
    {},
): Backend {
  const refuse = (option: string, rule: string, value: unknown) => {
    throw new OptionError(option, rule, `${option} ${rule}, not ${JSON.stringify(value)}`);
  };
  if (backend !== "fast" && backend !== "plain") {
    refuse("backend", 'must be "fast" or "plain"', backend);
  }
  if (precision !== "f64" && precision !== "f32") {
    refuse("precision", 'must be "f64" or "f32"', precision);
  }
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64)) {
    refuse("threads", "must be an integer from 1 to 64", threads);
  }
  if (backend === "plain" && (threads !== undefined || precision !== "f64" || fma)) {
    refuse("backend", 'must be "fast" for threads, precision "f32" or fma', backend);
  }
  const fast = backend === "fast" ? _fastBackend(threads ?? defaultThreads()) : undefined;
  current = fast === undefined ? plain : {
    description: `fast, ${fast.threads} thread${fast.threads > 1 ? "s" : ""}, ${precision}${
      fma ? ", fused multiply-add" : ""
    }`,
    ...fast.kernels({ precision, fma }),
  };
  return current;
}

/**
 * The backend in use: the one {@link useBackend} chose last, else the default
 * (the fast backend on every core), chosen at the first product.
 *
 * @example
 * ```ts
 * import { currentBackend } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.match(currentBackend().description, /^(fast|plain)/);
 * ```
 */
export function currentBackend(): Backend {
  return current ?? useBackend();
}

/** The fast backend with `threads` threads, made once and kept; `undefined`, after a notice, where it cannot run. */
function _fastBackend(threads: number): FastBackend | undefined {
  let fast = fastBackends.get(threads);
  if (fast !== undefined) return fast;
  try {
    fast = FastBackend.create({ threads });
  } catch (error) {
    if (!noticeShown) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      console.warn(`Fast backend unavailable (${reason}): using the plain TypeScript kernels.`);
      noticeShown = true;
    }
    return undefined;
  }
  fastBackends.set(threads, fast);
  return fast;
}
