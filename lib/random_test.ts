import assert from "node:assert/strict";
import { RandomState } from "./random.ts";

// Numbers NumPy itself produced: see tests/reference/make_random_fixture.py.
const fixture = JSON.parse(
  await Deno.readTextFile(new URL("../tests/fixtures/numpy_random.json", import.meta.url)),
);
const cases = fixture.cases;

/**
 * Checks Gaussians against NumPy's: each within one unit in the last place
 * (NumPy's C `log()` is not always correctly rounded, the library's `log` nearly always is), and at
 * most `share` of them not equal bit for bit. A wrong generator, seeding or
 * Box-Muller step fails both by far.
 */
function assertNumPyGaussians(actual: number[], expected: number[], label: string, share = 0.002) {
  assert.equal(actual.length, expected.length, label);
  let differ = 0;
  actual.forEach((v, i) => {
    if (v === expected[i]) return;
    differ++;
    const ulp = Math.abs(expected[i]) * Number.EPSILON;
    assert.ok(Math.abs(v - expected[i]) <= ulp, `${label}[${i}]: ${v} vs NumPy's ${expected[i]}`);
  });
  assert.ok(differ <= share * actual.length, `${label}: ${differ} values differ in the last bit`);
}

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

Deno.test("RandomState.randn() equals np.random.randn() within one ulp, nearly all bit for bit", () => {
  const check = (rng: RandomState, expected: number[][], label: string) => {
    const W = rng.randn(expected.length, expected[0].length);
    assert.deepEqual(W.shape, [expected.length, expected[0].length]);
    assertNumPyGaussians(Array.from(W.data), expected.flat(), label);
  };
  check(new RandomState(1), cases.randn_seed_1_40x50, "seed 1");
  check(new RandomState(0), cases.randn_seed_0_3x5, "seed 0");
  check(new RandomState(4294967295), cases.randn_seed_4294967295_1x7, "seed 2^32 - 1");
});

Deno.test("RandomState.randn() keeps the second Gaussian for the next call, as NumPy does", () => {
  const rng = new RandomState(3);
  const [first, second] = cases.randn_seed_3_then;
  assertNumPyGaussians(Array.from(rng.randn(1, 3).data), first, "first call");
  assertNumPyGaussians(Array.from(rng.randn(1, 2).data), second, "second call");
});

Deno.test("RandomState.seed() starts the sequence again and forgets the kept Gaussian", () => {
  const rng = new RandomState(3);
  rng.randn(1, 3); // leaves a Gaussian kept
  rng.seed(0);
  assertNumPyGaussians(Array.from(rng.randn(3, 5).data), cases.randn_seed_0_3x5.flat(), "seed 0");
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
