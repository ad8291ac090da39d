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
/** The workers' generation: a worker started for another value returns (see `backend.ts`). */
export const EPOCH = 1;
/** Workers that have started and wait for jobs. */
export const READY = 2;
/** Index into {@link KERNELS} of the job's kernel. */
export const KERNEL = 3;
/** How many columns the job's result has, how many chunks cut them, and the chunks' alignment. */
export const TOTAL = 4, CHUNKS = 5, ALIGN = 6;
/**
 * `(job number << 10) | next unclaimed chunk`, claimed by compare-and-swap; or
 * {@link CLOSED} between jobs.
 */
export const CLAIM = 7;
/** The claim word between jobs: no job number's tag matches it with a chunk left. */
export const CLOSED = -1;
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
  "peakF64",
  "peakF64Fused",
  "peakF32",
  "peakF32Fused",
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
 * this thread computed.
 *
 * The job's description is read only once a chunk is claimed: a claim that
 * succeeds proves the job is still open, and the main thread neither closes it
 * nor writes the next job's description until that chunk is done. (A worker that
 * wakes late for a finished job finds the claim word closed, or tagged with
 * another job, and claims nothing.)
 */
export function runChunks(
  exports: Record<string, unknown>,
  ctl: Int32Array,
  gen: number,
): number {
  const tag = (gen & 0x1fffff) << 10;
  let computed = 0;
  for (;;) {
    const claim = Atomics.load(ctl, CLAIM);
    if ((claim & ~1023) !== tag || (claim & 1023) >= Atomics.load(ctl, CHUNKS)) return computed;
    if (Atomics.compareExchange(ctl, CLAIM, claim, claim + 1) !== claim) continue;
    const kernel = exports[KERNELS[Atomics.load(ctl, KERNEL)]] as Kernel;
    const args: number[] = [];
    for (let i = 0; i < Atomics.load(ctl, NARGS); i++) args.push(Atomics.load(ctl, ARGS + i));
    const [j0, j1] = chunkRange(
      claim & 1023,
      Atomics.load(ctl, CHUNKS),
      Atomics.load(ctl, TOTAL),
      Atomics.load(ctl, ALIGN),
    );
    kernel(...args, j0, j1);
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE); // the main thread may be waiting for this chunk
    computed++;
  }
}
