/**
 * The part of grading that runs in the student's process: it loads the
 * submission's exercise cells, one module each, then calls the functions the
 * grader names with the inputs the grader sends, and sends back what they return,
 * as data (`grade_wire.ts`). It never sees an expected value and never decides a
 * grade: the grader compares (`grade_sandbox.ts`).
 *
 * The process runs with no permission at all (no file, network, environment or
 * subprocess), code generation from strings refused, and before the first cell
 * loads this takes away what could load code or end the process (`Deno`,
 * `process`, `Worker`, `close`, `prompt`) and keeps what the cells print from the channel.
 * Whatever the student's code does here can change only the values sent for its
 * own functions.
 *
 * @module
 */

import {
  decode,
  encode,
  type Frame,
  frameBytes,
  FrameReader,
  type MatrixClass,
} from "./grade_wire.ts";

/** The most calls of the grader's callbacks recorded in one call: a model's iterations. */
const MAX_CALLBACKS = 100_000;

/** A cell's module, loaded when asked: its top-level declarations. */
export type CellLoader = () => Promise<Record<string, unknown>>;

/**
 * Serves the grader on stdin and stdout until stdin ends.
 *
 * @param Matrix the library's matrix class, as the cells have it
 * @param useBackend the library's `useBackend`, to choose the plain loops
 * @param cells the submission's cells by index, as literal dynamic imports
 */
export async function serve(
  Matrix: MatrixClass,
  useBackend: (options: { backend: "plain" }) => unknown,
  cells: Record<number, CellLoader>,
): Promise<void> {
  // The plain loops: no worker threads, no file to read, the same numbers.
  useBackend({ backend: "plain" });
  const input = new FrameReader(Deno.stdin.readable);
  const stdout = Deno.stdout;
  const send = (head: Record<string, unknown>, numbers: Float64Array = new Float64Array(0)) => {
    const bytes = frameBytes({ head, numbers });
    for (let at = 0; at < bytes.length;) at += stdout.writeSync(bytes.subarray(at));
  };
  let printed = 0;
  lockDown();
  const count = (...args: unknown[]) => {
    for (const a of args) printed += typeof a === "string" ? a.length + 1 : 16;
  };
  for (const method of Object.keys(console) as (keyof Console)[]) {
    if (typeof console[method] === "function") {
      (console as unknown as Record<string, unknown>)[method] = count;
    }
  }

  const first = await input.next();
  const load = Array.isArray(first?.head.load) ? first.head.load as number[] : [];
  const modules = new Map<number, Record<string, unknown>>();
  for (const index of load) {
    const loader = cells[index];
    if (loader === undefined) continue;
    send({ loading: index });
    try {
      const module = await loader();
      modules.set(index, module);
      const kinds: Record<string, string> = {};
      for (const [name, value] of Object.entries(module)) kinds[name] = typeof value;
      send({ loaded: index, kinds });
    } catch (error) {
      send({ loaded: index, error: describe(error) });
    }
  }
  send({ ready: true });

  for (let frame: Frame | undefined; (frame = await input.next()) !== undefined;) {
    const { id, cell, name } = frame.head;
    printed = 0;
    try {
      const fn = modules.get(cell as number)?.[name as string];
      if (typeof fn !== "function") throw new TypeError(`${String(name)} is not a function`);
      // The grader's callbacks (a model's onIteration): their calls are recorded, each
      // argument encoded when the call is made (numbers, matrices, records of them), and
      // sent back with the result.
      const calls: [number, [unknown, number[]][]][] = [];
      const record = (index: number) => (...args: unknown[]) => {
        if (calls.length < MAX_CALLBACKS) {
          calls.push([
            index,
            args.map((a) => {
              try {
                const { json, numbers } = encode(a, Matrix);
                return [json, [...numbers]];
              } catch {
                return [null, []]; // what cannot be sent arrives as null
              }
            }),
          ]);
        }
      };
      const args = decode({ json: frame.head.args, numbers: frame.numbers }, Matrix, record);
      const result = await fn(...args as unknown[]);
      const { json, numbers } = encode(result, Matrix);
      send({ id, result: json, calls, printed }, numbers);
    } catch (error) {
      send({ id, error: describe(error), printed });
    }
  }
}

/** What was thrown, as `{ name, message, cell, line }`: never throws itself. */
function describe(error: unknown): Record<string, unknown> {
  try {
    if (error instanceof Error) {
      const at = /cell_(\d+)\.ts:(\d+):\d+/.exec(String(error.stack));
      // A cell module's first line is the grader's imports.
      const where = at ? { cell: Number(at[1]), line: Number(at[2]) - 1 } : {};
      return { name: String(error.name), message: String(error.message), ...where };
    }
    return { name: "a value", message: String(error) };
  } catch {
    return { name: "a value", message: "(that cannot be shown)" };
  }
}

/**
 * Takes away what could load code, end the process or read the channel, and keeps
 * errors thrown later (in a timer) from ending the process.
 */
function lockDown(): void {
  const global = globalThis as Record<string, unknown>;
  // `process` is Node's: it can end the process, write to the channel, load Node's modules.
  for (const name of ["Deno", "process", "Worker", "close", "prompt", "alert", "confirm"]) {
    delete global[name];
  }
  globalThis.addEventListener("error", (event) => event.preventDefault());
  globalThis.addEventListener("unhandledrejection", (event) => event.preventDefault());
}
