/**
 * What grading's two processes say to each other: values as data, and the frames
 * that carry them over a pipe. Used on the trusted side (`grade_sandbox.ts`) and in
 * the student's locked-down process (`grade_harness.ts`).
 *
 * A value is encoded as JSON with its matrices' numbers in a binary part beside it:
 * numbers, strings, booleans, `null`, `undefined`, arrays, plain objects and
 * matrices. Anything else (a function, a Map, a class instance that is not a
 * matrix) becomes a marker that compares equal to nothing. Decoding checks every
 * node (types, a matrix's shape against its numbers, depth, size) and throws
 * {@link WireError} on the first that is wrong, so that what the student's process
 * sends can only ever be a value, never a way into the grader.
 *
 * @module
 */

/** A matrix as both sides build it: `rows`, `cols` and the numbers row by row. */
export interface MatrixLike {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** The matrix class a side decodes into: the library's `Matrix`. */
export type MatrixClass = new (rows: number, cols: number, data?: Float64Array) => MatrixLike;

/** What came over the wire is not a value this protocol sends. */
export class WireError extends Error {
  /** @param message what is wrong */
  constructor(message: string) {
    super(message);
    this.name = "WireError";
  }
}

/** The limits decoding holds a value to. */
export const WIRE_LIMITS = {
  /** Nesting of arrays and objects (a model's result is 3 deep). */
  depth: 16,
  /** Nodes in one value (the course's largest, a deep model's caches, has under 100). */
  nodes: 100_000,
  /** Numbers in all of a value's matrices: 32 M, 256 MB (the course's `X` is 2.6 M). */
  numbers: 32_000_000,
  /** Characters in one string. */
  chars: 10_000,
} as const;

/** A value as JSON (`json`) and the numbers of its matrices (`numbers`). */
export interface Encoded {
  json: unknown;
  numbers: Float64Array;
}

/**
 * Encodes a value: matrices (instances of `matrixClass`) by shape, their numbers in
 * one array; non-finite numbers and `-0` spelled out, since JSON has none of them.
 * With `callbacks`, a function is sent as a callback (its index in `callbacks`,
 * where it is added), which the other side records calls of; else it is opaque.
 */
export function encode(
  value: unknown,
  matrixClass: MatrixClass,
  callbacks?: ((...args: unknown[]) => unknown)[],
): Encoded {
  const parts: Float64Array[] = [];
  let offset = 0, nodes = 0;
  const walk = (v: unknown, depth: number): unknown => {
    if (++nodes > WIRE_LIMITS.nodes) throw new WireError("the value has too many parts");
    if (depth > WIRE_LIMITS.depth) throw new WireError("the value is nested too deep");
    if (typeof v === "number") {
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { $number: String(v) };
    }
    if (typeof v === "string") return v.slice(0, WIRE_LIMITS.chars);
    if (typeof v === "boolean" || v === null) return v;
    if (v === undefined) return { $undefined: true };
    if (v instanceof matrixClass) {
      const { rows, cols, data } = v as MatrixLike;
      if (offset + data.length > WIRE_LIMITS.numbers) throw new WireError("the value is too large");
      parts.push(data);
      offset += data.length;
      return { $matrix: [rows, cols, offset - data.length] };
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (typeof v === "function" && callbacks) {
      callbacks.push(v as (...args: unknown[]) => unknown);
      return { $callback: callbacks.length - 1 };
    }
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        out[key] = walk(item, depth + 1);
      }
      return { $object: out };
    }
    return { $other: typeof v === "object" ? "an object" : typeof v };
  };
  const json = walk(value, 0);
  const numbers = new Float64Array(offset);
  let at = 0;
  for (const part of parts) {
    numbers.set(part, at);
    at += part.length;
  }
  return { json, numbers };
}

/** A value that was neither data nor a matrix (a function, a Map, ...): equal to nothing. */
export class Opaque {
  /** @param kind what it was, e.g. `function` */
  constructor(readonly kind: string) {}
}

/**
 * Decodes what {@link encode} made into fresh values: matrices of `matrixClass`, plain
 * objects, arrays, numbers; a callback as what `callback` makes of its index (else
 * opaque). Throws {@link WireError} on anything else.
 */
export function decode(
  { json, numbers }: Encoded,
  matrixClass: MatrixClass,
  callback?: (index: number) => unknown,
): unknown {
  let nodes = 0;
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const walk = (v: unknown, depth: number): unknown => {
    if (++nodes > WIRE_LIMITS.nodes) throw new WireError("too many parts");
    if (depth > WIRE_LIMITS.depth) throw new WireError("nested too deep");
    if (typeof v === "number" || typeof v === "boolean" || v === null) return v;
    if (typeof v === "string") {
      if (v.length > WIRE_LIMITS.chars) throw new WireError("a string is too long");
      return v;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (!isRecord(v)) throw new WireError("not a value");
    const keys = Object.keys(v);
    if (keys.length !== 1) throw new WireError("not a value");
    if ("$undefined" in v) return undefined;
    if ("$number" in v) {
      const n = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "0": -0 }[
        String(v.$number)
      ];
      if (n === undefined) throw new WireError("not a number");
      return n;
    }
    if ("$matrix" in v) {
      const shape = v.$matrix;
      if (!Array.isArray(shape) || shape.length !== 3 || !shape.every(Number.isSafeInteger)) {
        throw new WireError("a matrix without a shape");
      }
      const [rows, cols, offset] = shape as number[];
      const size = rows * cols;
      if (rows < 0 || cols < 0 || offset < 0 || offset + size > numbers.length) {
        throw new WireError("a matrix whose shape does not fit its numbers");
      }
      return new matrixClass(rows, cols, numbers.slice(offset, offset + size));
    }
    if ("$object" in v) {
      if (!isRecord(v.$object)) throw new WireError("not an object");
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v.$object)) {
        Object.defineProperty(out, key, {
          value: walk(item, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if ("$other" in v) return new Opaque(String(v.$other).slice(0, 40));
    if ("$callback" in v && Number.isSafeInteger(v.$callback)) {
      return callback ? callback(v.$callback as number) : new Opaque("function");
    }
    throw new WireError("not a value");
  };
  return walk(json, 0);
}

/** The four bytes each frame starts with. */
const MAGIC = 0x31_4e_4e_44; // "DNN1", little-endian

/** A frame: a message (`head`, JSON) and the numbers of its value. */
export interface Frame {
  head: Record<string, unknown>;
  numbers: Float64Array;
}

/** Frames as bytes: magic, head length, numbers' byte length, head (UTF-8), numbers. */
export function frameBytes({ head, numbers }: Frame): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(head));
  const out = new Uint8Array(12 + text.length + numbers.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, text.length, true);
  view.setUint32(8, numbers.byteLength, true);
  out.set(text, 12);
  out.set(new Uint8Array(numbers.buffer, numbers.byteOffset, numbers.byteLength), 12 + text.length);
  return out;
}

/** The most bytes of one frame's head: a message, not a value's numbers. */
const MAX_HEAD_BYTES = 16_000_000;

/**
 * Reads frames from a stream of bytes, one at a time. A stream that does not hold
 * frames (another writer on the channel) throws {@link WireError}.
 */
export class FrameReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #reader: ReadableStreamDefaultReader<Uint8Array>;

  /** @param stream the bytes */
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** The next frame, or `undefined` at the end of the stream. */
  async next(): Promise<Frame | undefined> {
    const header = await this.#take(12);
    if (header === undefined) return undefined;
    const view = new DataView(header.buffer, header.byteOffset, 12);
    if (view.getUint32(0, true) !== MAGIC) {
      throw new WireError("something else wrote on the grader's channel");
    }
    const headBytes = view.getUint32(4, true), numberBytes = view.getUint32(8, true);
    if (
      headBytes > MAX_HEAD_BYTES || numberBytes % 8 !== 0 ||
      numberBytes > WIRE_LIMITS.numbers * 8
    ) {
      throw new WireError("a frame larger than the grader accepts");
    }
    const body = await this.#take(headBytes + numberBytes);
    if (body === undefined) throw new WireError("the channel ended inside a frame");
    let head: unknown;
    try {
      head = JSON.parse(
        new TextDecoder("utf-8", { fatal: true }).decode(body.subarray(0, headBytes)),
      );
    } catch {
      throw new WireError("a frame that is not JSON");
    }
    if (typeof head !== "object" || head === null || Array.isArray(head)) {
      throw new WireError("a frame that is not a message");
    }
    const numbers = new Float64Array(numberBytes / 8);
    new Uint8Array(numbers.buffer).set(body.subarray(headBytes));
    return { head: head as Record<string, unknown>, numbers };
  }

  /** Exactly `n` bytes, or `undefined` if the stream ends before any. */
  async #take(n: number): Promise<Uint8Array | undefined> {
    while (this.#buffered < n) {
      const { value, done } = await this.#reader.read();
      if (done) {
        if (this.#buffered === 0) return undefined;
        throw new WireError("the channel ended inside a frame");
      }
      this.#chunks.push(value);
      this.#buffered += value.length;
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const chunk = this.#chunks[0];
      const used = Math.min(chunk.length, n - at);
      out.set(chunk.subarray(0, used), at);
      at += used;
      if (used === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(used);
    }
    this.#buffered -= n;
    return out;
  }

  /** Stops reading. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
