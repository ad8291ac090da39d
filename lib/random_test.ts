import assert from "node:assert/strict";
import { matchesNumPyBitForBit, randn, RandomState, seed } from "./random.ts";

// Numbers NumPy itself produced: see tests/reference/make_random_fixture.py.
const fixture = JSON.parse(
  await Deno.readTextFile(new URL("../tests/fixtures/numpy_random.json", import.meta.url)),
);
const cases = fixture.cases;

Deno.test("RandomState.nextUint32() gives MT19937's outputs as NumPy seeds it", () => {
  for (const [name, s] of [["uint32_seed_1", 1], ["uint32_seed_5489", 5489]] as const) {
    const rng = new RandomState(s);
    assert.deepEqual(cases[name].map(() => rng.nextUint32()), cases[name], name);
  }
});

Deno.test("RandomState.random() equals np.random.rand() bit for bit", () => {
  const rng = new RandomState(1);
  assert.deepEqual(cases.rand_seed_1.map(() => rng.random()), cases.rand_seed_1);
});

Deno.test("RandomState.randn() equals np.random.randn() bit for bit", () => {
  // The tests run with --allow-all, so the C library's log() is in use.
  assert.equal(matchesNumPyBitForBit, true);
  const check = (rng: RandomState, expected: number[][]) => {
    const W = rng.randn(expected.length, expected[0].length);
    assert.deepEqual(W.toArray(), expected);
  };
  check(new RandomState(1), cases.randn_seed_1_40x50);
  check(new RandomState(0), cases.randn_seed_0_3x5);
  check(new RandomState(4294967295), cases.randn_seed_4294967295_1x7);
});

Deno.test("RandomState.randn() keeps the second Gaussian for the next call, as NumPy does", () => {
  const rng = new RandomState(3);
  const [first, second] = cases.randn_seed_3_then;
  assert.deepEqual(Array.from(rng.randn(1, 3).data), first);
  assert.deepEqual(Array.from(rng.randn(1, 2).data), second);
});

Deno.test("RandomState.seed() starts the sequence again and forgets the kept Gaussian", () => {
  const rng = new RandomState(3);
  rng.randn(1, 3); // leaves a Gaussian kept
  rng.seed(0);
  assert.deepEqual(rng.randn(3, 5).toArray(), cases.randn_seed_0_3x5);
});

Deno.test("seed() and randn() use one shared generator, as np.random does", () => {
  seed(1);
  const a = randn(20, 50), b = randn(20, 50);
  const expected = cases.randn_seed_1_40x50 as number[][];
  assert.deepEqual(a.toArray(), expected.slice(0, 20));
  assert.deepEqual(b.toArray(), expected.slice(20));
});

Deno.test("RandomState throws a RangeError for a seed NumPy refuses", () => {
  for (const bad of [-1, 1.5, 2 ** 32, NaN]) {
    assert.throws(
      () => new RandomState(bad),
      (e: Error) =>
        e instanceof RangeError && e.message.includes(`seed=${bad}`) &&
        e.message.includes("2^32 - 1"),
    );
  }
});

Deno.test("RandomState.randn() without the ffi permission is within one ulp of NumPy", async () => {
  // Without FFI, Math.log is used: V8's is correctly rounded, glibc's (NumPy's) is not always.
  const script = `import { RandomState, matchesNumPyBitForBit } from "${
    new URL("./random.ts", import.meta.url).href
  }";
console.log(JSON.stringify({ bitForBit: matchesNumPyBitForBit, values: Array.from(new RandomState(1).randn(40, 50).data) }));`;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, script);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", file], // no permissions at all, so no ffi
    stdout: "piped",
    stderr: "inherit",
  }).output();
  await Deno.remove(file);
  assert.equal(out.code, 0);
  const { bitForBit, values } = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(bitForBit, false);
  const expected = (cases.randn_seed_1_40x50 as number[][]).flat();
  values.forEach((v: number, i: number) => {
    const ulp = Math.abs(expected[i]) * Number.EPSILON;
    assert.ok(Math.abs(v - expected[i]) <= ulp, `value ${i}: ${v} vs NumPy ${expected[i]}`);
  });
});
