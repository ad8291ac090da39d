import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";
import {
  decode,
  encode,
  type Encoded,
  frameBytes,
  FrameReader,
  Opaque,
  WIRE_LIMITS,
  WireError,
} from "./grade_wire.ts";

Deno.test("encode then decode gives the same values: matrices, special numbers, nesting", () => {
  const value = {
    parameters: { W1: Matrix.from([[1, -2.5], [3e-300, 4]]), b1: new Matrix(2, 1) },
    costs: [0.6931471805599453, NaN, Infinity, -Infinity, -0],
    nothing: undefined,
    tuple: [Matrix.from([[7]]), undefined, { linear: { APrev: Matrix.from([[1, 2, 3]]) } }],
    flags: [true, false, null, "relu"],
  };
  const back = decode(encode(value, Matrix), Matrix) as typeof value;
  assert.deepEqual(back, value);
  assert.ok(back.parameters.W1 instanceof Matrix);
  assert.ok(Object.is(back.costs[4], -0));
});

Deno.test("encode: what is not data becomes a marker that equals nothing", () => {
  class Other {}
  const back = decode(encode([() => 1, new Map(), new Other()], Matrix), Matrix) as Opaque[];
  assert.deepEqual(back.map((o) => o instanceof Opaque && o.kind), [
    "function",
    "an object",
    "an object",
  ]);
});

Deno.test("decode refuses what encode never makes, naming it", () => {
  const numbers = new Float64Array(4);
  const bad: [unknown, RegExp][] = [
    [{ $matrix: [2, 3, 0] }, /does not fit its numbers/],
    [{ $matrix: [2, 2, 1] }, /does not fit its numbers/],
    [{ $matrix: [-1, -4, 0] }, /does not fit its numbers/],
    [{ $matrix: [1.5, 2, 0] }, /without a shape/],
    [{ $matrix: "2x2" }, /without a shape/],
    [{ $number: "1e999" }, /not a number/],
    [{ $object: [1] }, /not an object/],
    [{ $undefined: true, extra: 1 }, /not a value/],
    [{ $function: "x" }, /not a value/],
    ["x".repeat(WIRE_LIMITS.chars + 1), /too long/],
    [JSON.parse("[".repeat(40) + "]".repeat(40)), /nested too deep/],
  ];
  for (const [json, says] of bad) {
    assert.throws(() => decode({ json, numbers } as Encoded, Matrix), (e: Error) => {
      assert.ok(e instanceof WireError, String(e));
      assert.match(e.message, says, JSON.stringify(json).slice(0, 40));
      return true;
    });
  }
});

Deno.test("decode: a key named __proto__ stays a key, and pollutes nothing", () => {
  const json = JSON.parse('{"$object": {"__proto__": {"$object": {"polluted": true}}}}');
  const back = decode({ json, numbers: new Float64Array(0) }, Matrix) as Record<string, unknown>;
  assert.deepEqual(Object.keys(back), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
});

/** A stream of `bytes` cut into chunks of `size`. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at += size));
    },
  });
}

Deno.test("FrameReader reads frames however the pipe cuts them", async () => {
  const frames = [
    { head: { id: 1, result: 3 }, numbers: new Float64Array(0) },
    { head: { id: 2 }, numbers: new Float64Array([1, 2, 3]) },
  ];
  const bytes = new Uint8Array([...frameBytes(frames[0]), ...frameBytes(frames[1])]);
  for (const size of [1, 5, 13, bytes.length]) {
    const reader = new FrameReader(chunked(bytes, size));
    assert.deepEqual(await reader.next(), frames[0], `chunks of ${size}`);
    assert.deepEqual(await reader.next(), frames[1], `chunks of ${size}`);
    assert.equal(await reader.next(), undefined);
  }
});

Deno.test("FrameReader: another writer on the channel, a cut frame, a huge length are errors", async () => {
  const good = frameBytes({ head: { id: 1 }, numbers: new Float64Array([1]) });
  const huge = good.slice();
  new DataView(huge.buffer).setUint32(8, 0xfffffff8, true);
  const cases: [Uint8Array, RegExp][] = [
    [new TextEncoder().encode("✔ computeCost: all tests passed\n"), /something else wrote/],
    [good.slice(0, good.length - 3), /ended inside a frame/],
    [good.slice(0, 5), /ended inside a frame/],
    [huge, /larger than the grader accepts/],
  ];
  for (const [bytes, says] of cases) {
    await assert.rejects(new FrameReader(chunked(bytes, 7)).next(), (e: Error) => {
      assert.ok(e instanceof WireError);
      assert.match(e.message, says);
      return true;
    });
  }
});
