/**
 * The fast backend: the three matrix products of `lib/kernels.ts` run by
 * WebAssembly SIMD kernels (`kernels.wasm`, compiled from
 * `assembly/kernels.ts`) on the main thread and worker threads at once, all
 * sharing one `WebAssembly.Memory`.
 *
 * By default (float64, no fused multiply-add) the results are bit for bit those
 * of the TypeScript kernels, on any number of threads. Two opt-in modes trade
 * that for speed: `fma` (fused multiply-add, rounding once instead of twice) and
 * `precision: "f32"` (the products in float32, the model itself in float64).
 *
 * The kernels read and write only the shared memory: operands are copied in
 * for each product, and the result copied out. A large operand (the course's
 * training set `X`, 12288 x 209, is 20 MB) is copied in once and kept, for as
 * long as its array lives: the next products read that copy (see
 * {@link RESIDENT_MIN}).
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import type { ProductKernels } from "../kernels.ts";
import {
  ALIGN,
  ARGS,
  CHUNKS,
  CLAIM,
  CLOSED,
  CONTROL_BYTES,
  DONE,
  EPOCH,
  GEN,
  KERNEL,
  KERNELS,
  MAX_CHUNKS,
  NARGS,
  READY,
  runChunks,
  TOTAL,
} from "./jobs.ts";

/** The element type of the fast products: float64 (default) or float32 (opt-in). */
export type Precision = "f64" | "f32";

/** How the fast products round. */
export interface FastMode {
  /** `"f64"` (default) or `"f32"`: the products in float32, converted back to float64. */
  precision?: Precision;
  /** Fused multiply-add, rounding `c + a * b` once: default on in float32, off in float64. */
  fma?: boolean;
}

/**
 * Whether the products fuse multiply-adds when the mode does not say:
 * float32, the fast lane, does; float64 does not, so that its products are the
 * plain kernels', bit for bit.
 *
 * @example
 * ```ts
 * import { fmaByDefault } from "./backend.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fmaByDefault("f32"), true);
 * assert.equal(fmaByDefault("f64"), false);
 * ```
 */
export function fmaByDefault(precision: Precision): boolean {
  return precision === "f32";
}

/** The index in {@link KERNELS} of `product` (`matmul`, `peak`, ...) in a precision and rounding. */
function kernelIndex(product: string, f32: boolean, fma: boolean): number {
  return KERNELS.indexOf(
    `${product}${f32 ? "F32" : "F64"}${fma ? "Fused" : ""}` as typeof KERNELS[number],
  );
}

/** Options of {@link FastBackend.create}. */
export interface FastBackendOptions {
  /** Threads in all, the main thread included; default: the machine's cores, at most 8. */
  threads?: number;
}

const PAGE = 65536;
/**
 * The memory's first size, 64 MiB: room for the course's data and model, so
 * that it need not grow. Pages never written take no physical memory.
 */
const INITIAL_PAGES = 1024;
/** The memory's limit, 1 GiB: the course's data takes about 30 MB. */
const MAX_PAGES = 16384;
/** Steps in one unit of {@link FastBackend.peak}, as `PEAK_STEPS` in `assembly/kernels.ts`. */
const PEAK_STEPS = 1 << 16;
/** Products with fewer multiply-adds than this run on the main thread alone. */
const PARALLEL_WORK = 1 << 20;
/**
 * Multiply-adds in one chunk of a product at least, as far as the panels
 * allow: small enough that a thread that is late leaves little for the others
 * to wait for, large enough that claiming chunks costs nothing to speak of.
 */
const CHUNK_WORK = 1 << 18;
/**
 * Operands of at least this many entries (8 MB in float64) are copied into
 * the shared memory once and kept there while their array lives, instead of
 * being copied in at every product: in the course, the training set `X`.
 *
 * The library never changes a matrix in place (each operation returns a new
 * one), so a kept copy stays right. Code that changes a large matrix's entries
 * itself after multiplying it should make a new matrix instead: before each
 * product, the backend compares {@link GUARD_SAMPLES} entries spread over the
 * array with its copy and copies the array again if one differs, but a change
 * to other entries only would go unseen.
 */
export const RESIDENT_MIN = 1 << 20;
/** Entries compared with the kept copy before each product that reads it. */
const GUARD_SAMPLES = 64;

type Exports = Record<string, (...args: number[]) => void>;

/**
 * The kept copies of a large operand, by kind: where its float64 and float32
 * copies are (`f64`, `f32`), its copies packed in panels (see {@link pack}):
 * as the `(k, m)` matrix `B` of `A @ B` (`f64 panels kxm`, `f32 panels kxm`),
 * or transposed, as `B` of `A @ Bᵀ` (`f64 transposed kxm`), and packed in
 * blocks of rows as the `A` of either (`f64 rows nxk`, see {@link packRows}).
 */
type Resident = Record<string, number>;

/**
 * Columns in one panel of `B` packed for `A @ B`, or of `Bᵀ` packed for
 * `A @ Bᵀ`: 2 vectors, as `VECTORS` in `assembly/kernels.ts`.
 */
function panelWidth(f32: boolean): number {
  return 2 * (f32 ? 4 : 2);
}

/** Rows in one block of `A` packed for `A @ B` or `A @ Bᵀ`, as `ROWS` in `assembly/kernels.ts`. */
const BLOCK_ROWS = 5;

/**
 * `k` rounded up to an even number: the rows of the packed operands, an odd `k`
 * padded with a row of zeros (`evenRows` in `assembly/kernels.ts` says why no
 * sum changes).
 */
export function evenRows(k: number): number {
  return k + (k & 1);
}

/** Entries of a `(k, m)` matrix packed in panels of `width` columns (see {@link pack}). */
function packedLength(k: number, m: number, width: number): number {
  return Math.ceil(m / width) * width * evenRows(k);
}

/**
 * Copies `b (k, m)` into `out` packed in panels, as `matmul` of
 * `assembly/kernels.ts` reads it: the columns cut into panels of `width`, each
 * stored as one `(k, width)` block, row after row, the last padded with zeros.
 * `b` is `x (k, m)`, or, when `transposed`, `x (m, k)` transposed: `A @ Xᵀ`
 * is then computed as the product `A @ B` of `A` and `B = Xᵀ`.
 */
function pack(
  x: Float64Array,
  out: Float64Array | Float32Array,
  k: number,
  m: number,
  width: number,
  transposed: boolean,
): void {
  // Entry (p, j) of b is x[p * rowStep + j * columnStep].
  const rowStep = transposed ? 1 : m, columnStep = transposed ? k : 1;
  let o = 0;
  for (let j = 0; j < m; j += width) {
    const w = Math.min(width, m - j);
    for (let p = 0; p < k; p++, o += width) {
      for (let t = 0; t < w; t++) out[o + t] = x[p * rowStep + (j + t) * columnStep];
      for (let t = w; t < width; t++) out[o + t] = 0;
    }
    if (k & 1) out.fill(0, o, o += width); // the row of zeros an odd k is padded with
  }
}

/** Where entry `index` of `x` lies in its copy packed by {@link pack}. */
function packedIndex(
  index: number,
  k: number,
  m: number,
  width: number,
  transposed: boolean,
): number {
  const p = transposed ? index % k : Math.floor(index / m);
  const j = transposed ? Math.floor(index / k) : index % m;
  const q = Math.floor(j / width);
  return (q * evenRows(k) + p) * width + (j - q * width);
}

/**
 * Copies `a (n, k)` into `out` packed in blocks of {@link BLOCK_ROWS} rows, as
 * `matmul` of `assembly/kernels.ts` reads it: the rows cut into blocks (the
 * last of `n % BLOCK_ROWS`), each stored column after column, its entries
 * `(i, p)` side by side for each `p`, and padded with a column of zeros when
 * `k` is odd.
 */
export function packRows(
  a: Float64Array,
  out: Float64Array | Float32Array,
  n: number,
  k: number,
): void {
  let o = 0;
  for (let i = 0; i < n; i += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - i);
    for (let p = 0; p < k; p++) {
      for (let r = 0; r < rows; r++) out[o++] = a[(i + r) * k + p];
    }
    if (k & 1) out.fill(0, o, o += rows);
  }
}

/** Where entry `index` of `a (n, k)` lies in its copy packed by {@link packRows}. */
export function packedRowsIndex(index: number, n: number, k: number): number {
  const i = Math.floor(index / k), p = index - i * k;
  const first = i - (i % BLOCK_ROWS), rows = Math.min(BLOCK_ROWS, n - first);
  return first * evenRows(k) + p * rows + (i - first);
}

/**
 * Matrix products on WebAssembly SIMD and several threads.
 *
 * @example
 * ```ts
 * import { FastBackend } from "./backend.ts";
 * import { matmulKernel } from "../kernels.ts";
 * import assert from "node:assert/strict";
 *
 * const fast = FastBackend.create({ threads: 2 });
 * const a = Float64Array.from([1, 2, 3, 4, 5, 6]), b = Float64Array.from([1, 0, 1, 1, 0, 1]);
 * const c = new Float64Array(4), reference = new Float64Array(4);
 * fast.kernels().matmul(a, b, c, 2, 3, 2); // (2, 3) @ (3, 2)
 * matmulKernel(a, b, reference, 2, 3, 2);
 * assert.deepEqual(c, reference);
 * ```
 */
export class FastBackend {
  /** Threads in all, the main thread included. */
  readonly threads: number;
  readonly #memory: WebAssembly.Memory;
  readonly #module: WebAssembly.Module;
  readonly #exports: Exports;
  readonly #ctl: Int32Array;
  readonly #workers: Worker[] = [];
  /** Free blocks `[start, end)` of the memory, sorted, and the sizes of the blocks in use. */
  #free: [number, number][] = [];
  readonly #used = new Map<number, number>();
  /** The kept copies of large operands, by their array (see {@link RESIDENT_MIN}). */
  readonly #resident = new WeakMap<Float64Array, Resident>();
  /** Frees the kept copies of an array once it is garbage-collected. */
  readonly #residentFreed = new FinalizationRegistry<Resident>((kept) => {
    for (const ptr of Object.values(kept)) this.#release(ptr);
  });
  /** The first error a worker threw, reported by the next product that waits in vain. */
  #workerError: Error | undefined;
  /** Chunks of products computed by the workers so far (the rest, by the main thread). */
  #workerChunks = 0;
  /** Scratch blocks for operands that are not in the memory, reused between products. */
  readonly #scratch: { ptr: number; bytes: number }[] = [];

  private constructor(module: WebAssembly.Module, threads: number) {
    this.threads = threads;
    this.#module = module;
    this.#memory = new WebAssembly.Memory({
      initial: INITIAL_PAGES,
      maximum: MAX_PAGES,
      shared: true,
    });
    const { exports } = new WebAssembly.Instance(module, { env: { memory: this.#memory } });
    this.#exports = exports as unknown as Exports;
    this.#ctl = new Int32Array(this.#memory.buffer, 0, CONTROL_BYTES / 4);
    Atomics.store(this.#ctl, CLAIM, CLOSED);
    this.#free = [[CONTROL_BYTES, INITIAL_PAGES * PAGE]];
    this.#startWorkers();
  }

  /** Starts `threads - 1` workers for the current epoch. */
  #startWorkers(): void {
    const epoch = Atomics.load(this.#ctl, EPOCH);
    for (let t = 1; t < this.threads; t++) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url));
      worker.unref(); // a sleeping worker must not keep the process alive
      worker.on("error", (error) => this.#workerError ??= error);
      worker.postMessage({ memory: this.#memory, module: this.#module, epoch });
      this.#workers.push(worker);
    }
  }

  /** Ends the workers: a new epoch makes them return, then they are terminated. */
  #stopWorkers(): void {
    Atomics.add(this.#ctl, EPOCH, 1);
    Atomics.store(this.#ctl, READY, 0);
    Atomics.add(this.#ctl, GEN, 1);
    Atomics.notify(this.#ctl, GEN);
    for (const worker of this.#workers.splice(0)) worker.terminate();
  }

  /**
   * Compiles the kernels and starts `threads - 1` workers.
   *
   * @throws {Error} if this runtime lacks WebAssembly SIMD, shared memory or
   *   workers, or cannot read `kernels.wasm`
   */
  static create({ threads = defaultThreads() }: FastBackendOptions = {}): FastBackend {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`threads must be a positive integer, not ${threads}`);
    }
    const bytes = Deno.readFileSync(new URL("./kernels.wasm", import.meta.url));
    return new FastBackend(new WebAssembly.Module(bytes), threads);
  }

  /** Workers that have started and take part in products. */
  get readyWorkers(): number {
    return Atomics.load(this.#ctl, READY);
  }

  /**
   * Waits until every worker has started (at most `timeoutMs`); products do not
   * need this, as the main thread does the work of a worker not yet started.
   *
   * @returns whether all workers are ready
   */
  waitForWorkers(timeoutMs = 5000): boolean {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const ready = Atomics.load(this.#ctl, READY);
      if (ready >= this.#workers.length) return true;
      const left = until - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.#ctl, READY, ready, left);
    }
  }

  /** The products of this backend, in the given mode, for `backend.ts`. */
  kernels({ precision = "f64", fma = fmaByDefault(precision) }: FastMode = {}): ProductKernels {
    if (precision !== "f64" && precision !== "f32") {
      throw new RangeError(`precision must be "f64" or "f32", not ${JSON.stringify(precision)}`);
    }
    const f32 = precision === "f32";
    const pick = (product: string) => kernelIndex(product, f32, fma);
    const mm = pick("matmul"), tb = pick("matmulTransB"), ta = pick("matmulTransA");
    return {
      matmul: (a, b, c, n, k, m) => this.#product("matmul", mm, f32, a, b, c, n, k, m),
      matmulTransB: (a, b, c, n, k, m) => this.#product("matmulTransB", tb, f32, a, b, c, n, k, m),
      matmulTransA: (a, b, c, n, k, m) => this.#product("matmulTransA", ta, f32, a, b, c, n, k, m),
    };
  }

  /**
   * Runs the peak loop of `kernels.wasm` (`peak` in `assembly/kernels.ts`:
   * twelve independent chains of multiply-adds on vectors, in registers, none
   * of a product's other work) for `units` units of {@link PEAK_STEPS} steps, shared
   * among the threads as a product is. `deno task bench` times it: the most the
   * products' arithmetic could do on this machine.
   *
   * @returns how many floating-point operations it did
   */
  peak({ precision = "f64", fma = fmaByDefault(precision) }: FastMode, units: number): number {
    const f32 = precision === "f32";
    const kernel = kernelIndex("peak", f32, fma);
    const buf = this.#scratchBlock(4, 32 + 16 * units);
    // Operands 1e-4: the sums stay near 1e-4, far from overflow and from subnormal numbers.
    this.#view(f32 ? Float32Array : Float64Array, buf, 32 / (f32 ? 4 : 8)).fill(1e-4);
    this.#run(
      kernel,
      [buf, buf + 32],
      units,
      1,
      this.threads === 1 ? 1 : Math.min(MAX_CHUNKS, units),
    );
    return units * PEAK_STEPS * 12 * (f32 ? 4 : 2) * 2;
  }

  /** Stops the workers. The backend must not be used after. */
  close(): void {
    this.#stopWorkers();
  }

  /** How many chunks of products the workers have computed so far. */
  get workerChunks(): number {
    return this.#workerChunks;
  }

  /** The shared memory's size in bytes (pages never written take no physical memory). */
  get memoryBytes(): number {
    return this.#memory.buffer.byteLength;
  }

  /**
   * `c (n, m) =` the `product` of `a` and `b`, run by `kernel`: the operands
   * copied in (or their kept copies read), the result copied out. `A @ B`
   * reads `b` packed in panels (see {@link pack}); `A @ Bᵀ` reads `bᵀ` packed
   * in panels, and is run by the same loop as `A @ B`, with a block of another
   * shape (`assembly/kernels.ts`).
   */
  #product(
    product: keyof ProductKernels,
    kernel: number,
    f32: boolean,
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    n: number,
    k: number,
    m: number,
  ): void {
    if (n === 0 || k === 0 || m === 0) {
      c.fill(0); // empty sums, or an empty result
      return;
    }
    const size = f32 ? 4 : 8, lanes = 16 / size;
    const aPtr = product === "matmulTransA" ? this.#operand(a, f32, 0) : this.#rows(a, f32, n, k);
    const cPtr = this.#scratchBlock(2, c.length * size);
    const transB = product === "matmulTransB";
    const bPtr = product === "matmulTransA"
      ? this.#operand(b, f32, 1)
      : this.#panels(b, f32, k, m, transB);
    const work = n * k * m;
    const align = product === "matmulTransA" ? 2 * lanes : panelWidth(f32);
    const chunks = this.threads === 1 || work < PARALLEL_WORK
      ? 1
      : Math.min(MAX_CHUNKS, Math.ceil(m / align), Math.ceil(work / CHUNK_WORK));
    this.#run(kernel, [aPtr, bPtr, cPtr, n, k, m], m, align, chunks);
    c.set(this.#view(f32 ? Float32Array : Float64Array, cPtr, c.length));
  }

  /**
   * Where the kernels find `x`: its kept copy if it is large (made at its first
   * product), else a copy in scratch `slot`.
   */
  #operand(x: Float64Array, f32: boolean, slot: number): number {
    return this.#placed(x, f32, slot, "", x.length, (copy) => copy.set(x), (i) => i);
  }

  /**
   * Where the kernels find `a (n, k)` packed in blocks of rows (see
   * {@link packRows}): its kept packed copy if it is large, else a copy in
   * scratch, packed there by the kernels' own `packRows` (faster than a loop of
   * TypeScript over its entries).
   */
  #rows(a: Float64Array, f32: boolean, n: number, k: number): number {
    const length = n * evenRows(k), type = f32 ? Float32Array : Float64Array;
    if (a.length >= RESIDENT_MIN) {
      return this.#placed(
        a,
        f32,
        0,
        ` rows ${n}x${k}`,
        length,
        (copy) => packRows(a, copy, n, k),
        (i) => packedRowsIndex(i, n, k),
      );
    }
    const plain = this.#scratchBlock(3, a.length * type.BYTES_PER_ELEMENT);
    this.#view(type, plain, a.length).set(a);
    const ptr = this.#scratchBlock(0, length * type.BYTES_PER_ELEMENT);
    this.#exports[f32 ? "packRowsF32" : "packRowsF64"](plain, ptr, n, k);
    return ptr;
  }

  /**
   * Where the kernels find `b (k, m)` packed in panels (see {@link pack}):
   * `x (k, m)`, or `x (m, k)` transposed; its kept packed copy if it is large,
   * else a packed copy in scratch.
   */
  #panels(x: Float64Array, f32: boolean, k: number, m: number, transposed: boolean): number {
    const width = panelWidth(f32), length = packedLength(k, m, width);
    // Kept by shape and side too: the same array read otherwise is packed otherwise.
    return this.#placed(
      x,
      f32,
      1,
      ` ${transposed ? "transposed" : "panels"} ${k}x${m}`,
      length,
      (copy) => pack(x, copy, k, m, width, transposed),
      (i) => packedIndex(i, k, m, width, transposed),
    );
  }

  /**
   * Where the kernels find a copy of `x` in float32 or float64, laid out as
   * `layout` says (`""` row by row, `" panels kxm"` or `" transposed kxm"`
   * packed): `length` entries written by `fill`, entry `i` of `x` at
   * `where(i)`. A small `x` is copied into scratch `slot` at every product; a
   * large one is kept (see
   * {@link Resident}): made at its first product, made again if one of
   * {@link GUARD_SAMPLES} entries differs from `x`.
   */
  #placed(
    x: Float64Array,
    f32: boolean,
    slot: number,
    layout: string,
    length: number,
    fill: (copy: Float64Array | Float32Array) => void,
    where: (i: number) => number,
  ): number {
    const type = f32 ? Float32Array : Float64Array;
    if (x.length < RESIDENT_MIN) {
      const ptr = this.#scratchBlock(slot, length * type.BYTES_PER_ELEMENT);
      fill(this.#view(type, ptr, length));
      return ptr;
    }
    let kept = this.#resident.get(x);
    if (kept === undefined) {
      kept = {};
      this.#resident.set(x, kept);
      this.#residentFreed.register(x, kept);
    }
    const key = `${f32 ? "f32" : "f64"}${layout}`;
    let ptr = kept[key];
    if (ptr === undefined) {
      ptr = kept[key] = this.#alloc(length * type.BYTES_PER_ELEMENT);
      fill(this.#view(type, ptr, length));
    } else {
      const copy = this.#view(type, ptr, length), step = Math.floor(x.length / GUARD_SAMPLES);
      for (let i = 0; i < x.length; i += step) {
        // Math.fround: what the float32 copy holds of the entry.
        if (copy[where(i)] !== (f32 ? Math.fround(x[i]) : x[i])) {
          fill(copy); // changed in place since it was kept
          break;
        }
      }
    }
    return ptr;
  }

  /** Runs a job of `chunks` chunks over `total` columns, on this thread and the ready workers. */
  #run(kernel: number, args: number[], total: number, align: number, chunks: number): void {
    const ctl = this.#ctl;
    if (chunks === 1 || this.readyWorkers === 0) {
      this.#exports[KERNELS[kernel]](...args, 0, total);
      return;
    }
    // The claim word is closed since the last job: write this one's description.
    Atomics.store(ctl, KERNEL, kernel), Atomics.store(ctl, TOTAL, total);
    Atomics.store(ctl, CHUNKS, chunks), Atomics.store(ctl, ALIGN, align);
    Atomics.store(ctl, NARGS, args.length);
    args.forEach((arg, i) => Atomics.store(ctl, ARGS + i, arg));
    Atomics.store(ctl, DONE, 0);
    const gen = (Atomics.load(ctl, GEN) + 1) | 0;
    Atomics.store(ctl, CLAIM, (gen & 0x1fffff) << 10);
    Atomics.store(ctl, GEN, gen);
    Atomics.notify(ctl, GEN);
    this.#workerChunks += chunks - runChunks(this.#exports, ctl, gen);
    // Wait for the chunks the workers claimed: poll (they end within milliseconds),
    // then sleep if one takes longer.
    const pollUntil = performance.now() + 20;
    while (Atomics.load(ctl, DONE) < chunks && performance.now() < pollUntil) { /* poll */ }
    for (let done = Atomics.load(ctl, DONE); done < chunks; done = Atomics.load(ctl, DONE)) {
      if (Atomics.wait(ctl, DONE, done, 10_000) === "timed-out") {
        const reason = this.#workerError ? ` (${this.#workerError.message})` : "";
        throw new Error(`fast backend: a worker stopped answering${reason}`);
      }
    }
    Atomics.store(ctl, CLAIM, CLOSED);
  }

  /** A scratch block of at least `bytes`, kept in `slot` for the next product. */
  #scratchBlock(slot: number, bytes: number): number {
    const held = this.#scratch[slot];
    if (held !== undefined && held.bytes >= bytes) return held.ptr;
    if (held !== undefined) this.#release(held.ptr);
    const grown = Math.max(bytes, 2 * (held?.bytes ?? 0));
    this.#scratch[slot] = { ptr: this.#alloc(grown), bytes: grown };
    return this.#scratch[slot].ptr;
  }

  /** A view of `length` elements at byte offset `ptr` of the memory. */
  #view<T extends Float64ArrayConstructor | Float32ArrayConstructor>(
    type: T,
    ptr: number,
    length: number,
  ): InstanceType<T> {
    return new type(this.#memory.buffer as ArrayBuffer, ptr, length) as InstanceType<T>;
  }

  /** `bytes` of the memory, 64-byte aligned (first fit; the memory grows when nothing fits). */
  #alloc(bytes: number): number {
    const size = Math.max(64, Math.ceil(bytes / 64) * 64);
    let i = this.#free.findIndex(([start, end]) => end - start >= size);
    if (i < 0) {
      const end = this.#memory.buffer.byteLength;
      const last = this.#free.at(-1);
      const from = last !== undefined && last[1] === end ? last[0] : end;
      const needed = Math.ceil((from + size - end) / PAGE), current = end / PAGE;
      if (current + needed > MAX_PAGES) {
        throw new RangeError(`fast backend: ${bytes} more bytes would pass the 1 GiB limit`);
      }
      // At least double, so that a run grows its memory a few times only.
      const pages = Math.min(MAX_PAGES - current, Math.max(needed, current));
      this.#grow(pages);
      this.#freeBlock(end, end + pages * PAGE);
      i = this.#free.findIndex(([start, end]) => end - start >= size);
    }
    const [start, end] = this.#free[i];
    if (end - start === size) this.#free.splice(i, 1);
    else this.#free[i] = [start + size, end];
    this.#used.set(start, size);
    return start;
  }

  /**
   * Grows the memory by `pages`. The workers go on as they are: growing a
   * shared memory makes the new pages readable and writable on every thread at
   * once (V8 reserves the memory's maximum up front), and V8 asks each other
   * thread to update its instances' view of the size before that thread next
   * runs code (the request is made before `grow` returns, so before the next
   * job is posted; a waiting worker is woken for it). Replacing the workers
   * instead left a page without them: a page starts a worker only when its
   * kernel's event loop turns, which a training cell does not let it do.
   */
  #grow(pages: number): void {
    this.#memory.grow(pages);
  }

  #release(ptr: number): void {
    const size = this.#used.get(ptr);
    if (size === undefined) throw new Error(`fast backend: no block at ${ptr}`);
    this.#used.delete(ptr);
    this.#freeBlock(ptr, ptr + size);
  }

  /** Returns `[start, end)` to the free list, merged with its neighbours. */
  #freeBlock(start: number, end: number): void {
    const free = this.#free;
    let i = free.findIndex(([s]) => s > start);
    if (i < 0) i = free.length;
    free.splice(i, 0, [start, end]);
    if (i + 1 < free.length && free[i][1] === free[i + 1][0]) {
      free[i][1] = free[i + 1][1], free.splice(i + 1, 1);
    }
    if (i > 0 && free[i - 1][1] === free[i][0]) free[i - 1][1] = free[i][1], free.splice(i, 1);
  }
}

/**
 * The default number of threads: the machine's cores, at most 8; in a web page
 * that is not cross-origin isolated, one, as its workers cannot share memory.
 */
export function defaultThreads(): number {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return 1;
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency ?? 1));
}
