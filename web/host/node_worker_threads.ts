/**
 * `node:worker_threads` for a page: the fast backend's `Worker` (started with a
 * module URL, `unref()`, `on("error")`, `postMessage`, `terminate`) and its
 * workers' `parentPort`, over the browser's module workers. A worker's
 * TypeScript URL (`worker.ts`) is the bundle built beside it (`worker.js`).
 *
 * @module
 */

type Listener = (value: unknown) => void;

/** A worker thread, as the fast backend starts it. */
export class Worker {
  readonly #worker: globalThis.Worker;

  constructor(url: URL | string) {
    const script = new URL(String(url).replace(/\.ts$/, ".js"));
    this.#worker = new globalThis.Worker(script, { type: "module" });
  }

  /** A page's workers never keep anything alive: nothing to do. */
  unref(): this {
    return this;
  }

  on(event: "error" | "message", listener: Listener): this {
    if (event === "error") {
      this.#worker.addEventListener("error", (e) => listener(new Error(e.message)));
    } else this.#worker.addEventListener("message", (e) => listener(e.data));
    return this;
  }

  postMessage(message: unknown): void {
    this.#worker.postMessage(message);
  }

  terminate(): Promise<number> {
    this.#worker.terminate();
    return Promise.resolve(0);
  }
}

/** Inside a worker: the messages of the thread that started it. */
export const parentPort = {
  once(event: "message", listener: Listener): void {
    if (event !== "message") return;
    globalThis.addEventListener("message", (e) => listener((e as MessageEvent).data), {
      once: true,
    });
  },
  on(event: "message", listener: Listener): void {
    if (event === "message") {
      globalThis.addEventListener("message", (e) => listener((e as MessageEvent).data));
    }
  },
  postMessage(message: unknown): void {
    (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(message);
  },
};
