/**
 * A worker thread of the fast backend: it instantiates `kernels.wasm` over the
 * shared memory it is sent, then sleeps until the main thread posts a job,
 * claims chunks of it (see `jobs.ts`), and sleeps again, until the backend
 * changes the epoch it was started for.
 *
 * The backend starts it with `unref()`, so a sleeping worker never keeps a
 * finished command, test or notebook kernel from exiting.
 *
 * @module
 */

import { parentPort } from "node:worker_threads";
import { CONTROL_BYTES, EPOCH, GEN, READY, runChunks } from "./jobs.ts";

/** How long a worker keeps polling for the next job before it sleeps, in milliseconds. */
const SPIN_MS = 3;

parentPort!.once(
  "message",
  ({ memory, module, epoch }: {
    memory: WebAssembly.Memory;
    module: WebAssembly.Module;
    epoch: number;
  }) => {
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    const ctl = new Int32Array(memory.buffer, 0, CONTROL_BYTES / 4);
    let gen = Atomics.load(ctl, GEN);
    Atomics.add(ctl, READY, 1);
    Atomics.notify(ctl, READY); // the main thread may be waiting in waitForWorkers()
    for (;;) {
      // Poll for a while (a training loop posts its next job within a millisecond), then sleep.
      const until = performance.now() + SPIN_MS;
      while (Atomics.load(ctl, GEN) === gen && performance.now() < until) { /* poll */ }
      Atomics.wait(ctl, GEN, gen);
      if (Atomics.load(ctl, EPOCH) !== epoch) return; // replaced, or the backend closed
      gen = Atomics.load(ctl, GEN);
      runChunks(exports, ctl, gen);
    }
  },
);
