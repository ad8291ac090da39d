/**
 * The student's process, seen from the grader: what it is given, how it is
 * started, and the limits it runs under.
 *
 * - **What it is given.** One bundle per course notebook (`deno bundle`, built from an
 *   explicit list of the library's modules): the building blocks its exercises may
 *   use and the answers of earlier notebooks' exercises, as the course gives them;
 *   never the answers of its own. Each exercise cell becomes a module that imports
 *   from the bundle the names the course's import cell gives it, and from earlier
 *   cells the functions it uses. Names the course imports that are not allowed
 *   (`orLibrary`, `checkExercise`, `lib.linearForward`, ...) throw "not available
 *   while grading". Everything is written to a folder of the submission's own.
 * - **How it runs.** `deno run` with no permission at all, code generation from
 *   strings refused (`eval`, `new Function`), the environment cleared;
 *   `grade_harness.ts` loads the cells and answers calls.
 * - **Its limits.** Memory (resident size, polled), output (what the cells print
 *   and what the process writes), and time (each exercise, and the submission as a
 *   whole): whichever is hit ends the process, the grader says which, and a new
 *   process serves the exercises after.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { decode, encode, type Frame, frameBytes, FrameReader, WireError } from "./grade_wire.ts";
import { Matrix } from "../lib/matrix.ts";

const ROOT = resolve(new URL("../", import.meta.url).pathname);

/** The limits a submission runs under. */
export interface Limits {
  /** Seconds for one exercise (loading its cell, or its checks). */
  timeout: number;
  /** Resident memory of the student's process, in MB. */
  memoryMB: number;
  /** Bytes the student's code may print during one exercise, or its process write. */
  outputBytes: number;
}

/** The defaults: the course's exercises take under 3 s and 150 MB, and print nothing. */
export const DEFAULT_LIMITS: Limits = { timeout: 60, memoryMB: 512, outputBytes: 10_000_000 };

/**
 * The library's names an exercise may use, by the module that exports them: the
 * building blocks of notebook 2, then the functions the exercises write, which a
 * later notebook's exercises are given (notebook 3 uses notebook 2's, as the course
 * gives them in `dnn_app_utils`).
 */
export const LIBRARY_NAMES: Record<string, string> = {
  Matrix: "matrix.ts",
  shapeOf: "matrix.ts",
  matmul: "matrix.ts",
  matmulTransA: "matrix.ts",
  matmulTransB: "matrix.ts",
  addColumn: "matrix.ts",
  sumRows: "matrix.ts",
  scale: "matrix.ts",
  scaleInPlace: "matrix.ts",
  add: "matrix.ts",
  subtract: "matrix.ts",
  multiply: "matrix.ts",
  divide: "matrix.ts",
  transpose: "matrix.ts",
  map: "matrix.ts",
  sigmoid: "activations.ts",
  relu: "activations.ts",
  sigmoidBackward: "activations.ts",
  reluBackward: "activations.ts",
  exp: "math.ts",
  log: "math.ts",
  RandomState: "random.ts",
  layerCount: "forward.ts",
  costGradient: "backward.ts",
  // The exercises' functions: allowed only in notebooks after their own.
  initializeParameters: "initialization.ts",
  initializeParametersDeep: "initialization.ts",
  linearForward: "forward.ts",
  linearActivationForward: "forward.ts",
  lModelForward: "forward.ts",
  computeCost: "cost.ts",
  linearBackward: "backward.ts",
  linearActivationBackward: "backward.ts",
  lModelBackward: "backward.ts",
  updateParameters: "update.ts",
  twoLayerModel: "models.ts",
  lLayerModel: "models.ts",
};

/**
 * Builds the bundle a course notebook's exercises run with: `allowed` (names of
 * {@link LIBRARY_NAMES}), the matrix class and backend choice the harness needs, and
 * the harness. Tree-shaken, so that nothing else of the library is in it.
 *
 * @param allowed the names the cells may be given
 * @param dir where to write it
 * @returns the bundle's path
 */
export async function buildBundle(allowed: readonly string[], dir: string): Promise<string> {
  const lines = allowed.map((name) => {
    const module = LIBRARY_NAMES[name];
    if (module === undefined) throw new Error(`${name} is not one of the library's allowed names`);
    return `export { ${name} } from ${JSON.stringify(join(ROOT, "lib", module))};`;
  });
  lines.push(
    `export { Matrix as __Matrix } from ${JSON.stringify(join(ROOT, "lib", "matrix.ts"))};`,
    `export { useBackend as __useBackend } from ${
      JSON.stringify(join(ROOT, "lib", "backend.ts"))
    };`,
    `export { serve as __serve } from ${JSON.stringify(join(ROOT, "cli", "grade_harness.ts"))};`,
  );
  const entry = join(dir, "entry.ts"), output = join(dir, "course.js");
  await Deno.writeTextFile(entry, lines.join("\n") + "\n");
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      `--config=${join(ROOT, "deno.json")}`,
      "--platform=deno",
      `--output=${output}`,
      entry,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `could not bundle the course's building blocks: ${new TextDecoder().decode(stderr)}`,
    );
  }
  return output;
}

/** Why the student's process stopped serving: the limit hit, in a phrase for the grade. */
export interface Stop {
  kind: "time" | "memory" | "output" | "ended" | "channel";
  message: string;
}

/** A call's result: the value, how much the call printed, the callbacks' calls it made. */
interface Reply {
  value: unknown;
  printed: number;
  calls: unknown;
}

/**
 * One student process: started on a submission's folder, it loads the cells
 * asked for, then serves calls until it is stopped or a limit ends it.
 */
export class StudentProcess {
  /** Settles when the process stops serving, with why. */
  readonly stopped: Promise<Stop>;
  #stop!: (stop: Stop) => void;
  #stopReason: Stop | undefined;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #events: Frame[] = [];
  #wake: (() => void) | undefined;
  #pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #poll: ReturnType<typeof setInterval>;
  #stderr = "";
  #measuring = false;

  /**
   * Starts the process on `dir`, which holds `main.ts` and the cells' modules (as
   * `grade.ts` writes them).
   *
   * @param dir the submission's folder
   * @param limits its limits
   * @param cellName how a grade names a cell, by its index
   * @param denoDir where Deno keeps the cells it transpiles: a folder of the grading run's,
   *   removed after it (the only thing the student's process writes)
   */
  constructor(
    dir: string,
    readonly limits: Limits,
    readonly cellName: (index: number) => string,
    denoDir: string,
  ) {
    this.stopped = new Promise((resolve) => this.#stop = resolve);
    // Nothing of the grader's environment.
    const env: Record<string, string> = { NO_COLOR: "1", DENO_DIR: denoDir };
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--no-config",
        "--no-lock",
        "--no-remote",
        "--no-npm",
        `--v8-flags=--disallow-code-generation-from-strings,--max-old-space-size=${limits.memoryMB}`,
        join(dir, "main.ts"),
      ],
      cwd: dir,
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#read();
    this.#drainStderr();
    this.#poll = setInterval(() => this.#checkMemory(), 50);
    this.#child.status.then(({ signal, code }) => {
      const said = this.#stderr.split("\n").find((l) => l.startsWith("error: ")) ??
        this.#stderr.split("\n").find((l) => l.trim() !== "");
      this.#end({
        kind: "ended",
        message: `the student's process ended (${signal ?? `exit code ${code}`}${
          said ? `: ${clean(said.replace(/^error: (Uncaught (\(in promise\) )?)?/, ""))}` : ""
        })`,
      });
    });
  }

  /** Why it stopped, once it has. */
  get stopReason(): Stop | undefined {
    return this.#stopReason;
  }

  /** Ends the process (if still running) for `stop`. */
  kill(stop: Stop): void {
    this.#end(stop);
  }

  #end(stop: Stop): void {
    if (this.#stopReason !== undefined) return;
    this.#stopReason = stop;
    clearInterval(this.#poll);
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already ended */ }
    this.#stop(stop);
    for (const { reject } of this.#pending.values()) reject(new Error(stop.message));
    this.#pending.clear();
    this.#wake?.();
  }

  async #read(): Promise<void> {
    const reader = new FrameReader(this.#child.stdout);
    try {
      for (let frame; (frame = await reader.next()) !== undefined;) {
        const id = frame.head.id;
        const pending = typeof id === "number" ? this.#pending.get(id) : undefined;
        if (pending !== undefined) {
          this.#pending.delete(id as number);
          const printed = Number(frame.head.printed) || 0;
          if ("error" in frame.head) pending.reject(thrown(frame.head.error, this.cellName));
          else {
            try {
              pending.resolve({
                value: decode({ json: frame.head.result, numbers: frame.numbers }, Matrix),
                printed,
                calls: frame.head.calls,
              });
            } catch (e) {
              pending.reject(
                e instanceof WireError ? new Error(`returned ${e.message}`) : e as Error,
              );
            }
          }
        } else {
          // The harness sends one event per cell, and a reply per call: more is not its.
          if (this.#events.length > 10_000) throw new WireError("too many messages");
          this.#events.push(frame);
          this.#wake?.();
        }
      }
    } catch (e) {
      this.#end({
        kind: "channel",
        message: e instanceof WireError
          ? `the student's process broke the grader's channel (${e.message})`
          : String(e),
      });
      await reader.cancel();
    }
  }

  async #drainStderr(): Promise<void> {
    let bytes = 0;
    const decoder = new TextDecoder();
    for await (const chunk of this.#child.stderr) {
      bytes += chunk.length;
      if (this.#stderr.length < 4000) this.#stderr += decoder.decode(chunk, { stream: true });
      if (bytes > this.limits.outputBytes) {
        this.#end({ kind: "output", message: outputMessage(this.limits) });
        break;
      }
    }
  }

  /**
   * Ends the process if its resident memory is over the limit. Read with `ps`: Deno
   * lets a program read another's `/proc/PID/status` only with every permission.
   */
  async #checkMemory(): Promise<void> {
    if (this.#measuring || this.#stopReason !== undefined) return;
    this.#measuring = true;
    try {
      const { stdout } = await new Deno.Command("ps", {
        args: ["-o", "rss=", "-p", String(this.#child.pid)],
        stdout: "piped",
        stderr: "null",
      }).output();
      const kb = Number(new TextDecoder().decode(stdout).trim()) || 0;
      if (kb > this.limits.memoryMB * 1024) {
        this.#end({
          kind: "memory",
          message: `used more than ${this.limits.memoryMB} MB of memory (the memory limit)`,
        });
      }
    } catch {
      // No ps: the V8 heap limit still holds, typed arrays are not held to it.
    } finally {
      this.#measuring = false;
    }
  }

  /** Sends a message. */
  async #send(
    head: Record<string, unknown>,
    numbers: Float64Array = new Float64Array(0),
  ): Promise<void> {
    await this.#writer.write(frameBytes({ head, numbers })).catch(() => {});
  }

  /** The next message that is not a reply, or `undefined` once stopped. */
  async #event(): Promise<Frame | undefined> {
    while (this.#events.length === 0 && this.#stopReason === undefined) {
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    return this.#events.shift();
  }

  /**
   * Loads cells, in order, each within `limit(index)` ms; reports each as it
   * starts and ends. Resolves when all are loaded or the process stopped (then
   * the cell being loaded is the one that hung or broke a limit).
   */
  async load(
    cells: readonly number[],
    limit: () => number,
    report: {
      loading: (index: number) => void;
      loaded: (index: number, kinds: Record<string, string> | undefined, error?: Error) => void;
    },
  ): Promise<void> {
    await this.#send({ load: cells });
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const ms = limit();
      const next = await Promise.race([
        this.#event(),
        new Promise<"time">((resolve) => timer = setTimeout(() => resolve("time"), ms)),
      ]);
      clearTimeout(timer);
      if (next === "time") {
        this.kill({ kind: "time", message: timeMessage(ms / 1000) });
        return;
      }
      if (next === undefined) return;
      const { head } = next;
      if (head.ready === true) return;
      if (typeof head.loading === "number") report.loading(head.loading);
      else if (typeof head.loaded === "number") {
        const kinds = isRecord(head.kinds) ? head.kinds as Record<string, string> : undefined;
        report.loaded(
          head.loaded,
          kinds,
          "error" in head ? thrown(head.error, this.cellName) : undefined,
        );
      }
    }
  }

  /**
   * Calls a cell's function on `args`; rejects with what it threw, or when the
   * process stops. Functions among the arguments (a model's `onIteration`) are
   * called here, once the call has returned, with the arguments each call had.
   */
  async call(cell: number, name: string, args: unknown[]): Promise<Reply> {
    if (this.#stopReason !== undefined) throw new Error(this.#stopReason.message);
    const id = this.#nextId++;
    const callbacks: ((...args: unknown[]) => unknown)[] = [];
    const { json, numbers } = encode(args, Matrix, callbacks);
    const reply = new Promise<Reply>((resolve, reject) =>
      this.#pending.set(id, { resolve, reject })
    );
    await this.#send({ id, cell, name, args: json }, numbers);
    const result = await reply;
    for (const call of Array.isArray(result.calls) ? result.calls : []) {
      if (!Array.isArray(call) || !Number.isSafeInteger(call[0]) || !Array.isArray(call[1])) {
        continue;
      }
      const [index, callArgs] = call as [number, unknown[]];
      const values = callArgs.map((a) => {
        const [json, numbers] = Array.isArray(a) ? a : [];
        const ok = Array.isArray(numbers) && numbers.every((n) => typeof n === "number");
        try {
          return decode({ json, numbers: new Float64Array(ok ? numbers : []) }, Matrix);
        } catch {
          return null; // not a value the grader reads: the check sees nothing
        }
      });
      await callbacks[index]?.(...values);
    }
    return result;
  }

  /** Stops the process and waits for it to end. */
  async close(): Promise<void> {
    this.#end({ kind: "ended", message: "closed" });
    await this.#child.status.catch(() => {});
    await this.#writer.close().catch(() => {});
  }
}

/** What the student's code threw, as an error the checks report ("... threw TypeError: ..."). */
function thrown(error: unknown, cellName: (index: number) => string): Error {
  const e = isRecord(error) ? error : {};
  const where = Number.isSafeInteger(e.cell) && Number.isSafeInteger(e.line)
    ? ` (line ${e.line} of ${clean(cellName(e.cell as number))})`
    : "";
  const out = new Error(clean(String(e.message ?? "")) + where);
  out.name = clean(String(e.name ?? "Error")).slice(0, 40);
  return out;
}

/** Text from the student's process, safe to put in a grade: one line, at most 300 characters. */
export function clean(text: string): string {
  // deno-lint-ignore no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The message of the time limit of `seconds`. */
export function timeMessage(seconds: number): string {
  return `stopped after ${seconds} s (the time limit: an endless loop?)`;
}

/** The message of the output limit. */
export function outputMessage(limits: Limits): string {
  return `printed more than ${limits.outputBytes / 1e6} MB (the output limit)`;
}
