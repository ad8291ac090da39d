/**
 * How the main thread and the workers share one matrix product: a *job*
 * described in a small control block at the start of the shared memory, cut
 * into *chunks* (ranges of columns of the result) that each thread claims in
 * turn until none are left.
 *
 * Which thread computes which chunk changes from run to run, but never the
 * result: each entry is computed by one kernel call, in one fixed order of
 * operations, whatever the chunk or thread. A thread that is late (a worker
 * still waking up) simply claims fewer chunks; with no worker at all, the main
 * thread claims them all.
 *
 * Internal to the fast backend (`backend.ts`, `worker.ts`).
 *
 * @module
 */

/** Bytes at the start of the shared memory kept for the control block. */
export const CONTROL_BYTES = 256;

// Indices of the Int32 slots of the control block.
/** The job's number: bumped for every job, and what idle workers sleep on. */
export const GEN = 0;
/** Set to 1 to make the workers return. */
export const QUIT = 1;
/** Workers that have started and wait for jobs. */
export const READY = 2;
/** Index into {@link KERNELS} of the job's kernel. */
export const KERNEL = 3;
/** How many columns the job's result has, how many chunks cut them, and the chunks' alignment. */
export const TOTAL = 4, CHUNKS = 5, ALIGN = 6;
/** `(job number << 10) | next unclaimed chunk`, claimed by compare-and-swap. */
export const CLAIM = 7;
/** Chunks finished. */
export const DONE = 8;
/** How many kernel arguments follow, then the arguments (pointers and sizes). */
export const NARGS = 9, ARGS = 10;

/** The kernels a job can run, by index: exports of `kernels.wasm`. */
export const KERNELS = [
  "matmulF64",
  "matmulF64Fused",
  "matmulF32",
  "matmulF32Fused",
  "matmulTransBF64",
  "matmulTransBF64Fused",
  "matmulTransBF32",
  "matmulTransBF32Fused",
  "matmulTransAF64",
  "matmulTransAF64Fused",
  "matmulTransAF32",
  "matmulTransAF32Fused",
] as const;

/** Largest number of chunks in a job (the claim word keeps 10 bits for it). */
export const MAX_CHUNKS = 1023;

/** A kernel of `kernels.wasm`: its arguments, then the columns `j0..j1` to compute. */
type Kernel = (...args: number[]) => void;

/** The columns `[j0, j1)` of chunk `c` out of `chunks` over `total` columns, starting on multiples of `align`. */
export function chunkRange(
  c: number,
  chunks: number,
  total: number,
  align: number,
): [number, number] {
  const start = (i: number) => i >= chunks ? total : Math.floor(i * total / chunks / align) * align;
  return [start(c), start(c + 1)];
}

/**
 * Claims and computes chunks of job `gen` until none are left; returns how many
 * this thread computed. The arguments are read before any claim: a claim that
 * succeeds proves the job was still running, so they were this job's.
 */
export function runChunks(
  exports: Record<string, unknown>,
  ctl: Int32Array,
  gen: number,
): number {
  const kernel = exports[KERNELS[ctl[KERNEL]]] as Kernel;
  const total = ctl[TOTAL], chunks = ctl[CHUNKS], align = ctl[ALIGN];
  const args = Array.from(ctl.subarray(ARGS, ARGS + ctl[NARGS]));
  const tag = (gen & 0x1fffff) << 10;
  let computed = 0;
  for (;;) {
    const claim = Atomics.load(ctl, CLAIM);
    if ((claim & ~1023) !== tag || (claim & 1023) >= chunks) return computed;
    if (Atomics.compareExchange(ctl, CLAIM, claim, claim + 1) !== claim) continue;
    const [j0, j1] = chunkRange(claim & 1023, chunks, total, align);
    kernel(...args, j0, j1);
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE); // the main thread may be waiting for this chunk
    computed++;
  }
}
