import assert from "node:assert/strict";
import { exp, log } from "./math.ts";

// Arguments and their correctly rounded results, from Python's decimal module at 60 digits:
// see tests/reference/make_exp_log_fixture.py.
const fixture = JSON.parse(
  await Deno.readTextFile(new URL("../tests/fixtures/exp_log.json", import.meta.url)),
);

/** How many doubles apart a and b are (0 when equal), for finite a and b of one sign. */
function ulpsApart(a: number, b: number): number {
  const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
  const d = bits[0] - bits[1];
  return Number(d < 0n ? -d : d);
}

/**
 * Checks f against correctly rounded results: each within one unit in the last
 * place, and all but `share` of them equal. A wrong table entry, reduction or
 * polynomial term is off by far more than one unit on many arguments.
 */
function assertNearlyCorrectlyRounded(
  f: (x: number) => number,
  { x, expected }: { x: number[]; expected: (number | null)[] },
  name: string,
  share = 1e-3,
) {
  let differ = 0;
  x.forEach((v, i) => {
    const want = expected[i] ?? Infinity, got = f(v);
    if (got === want) return;
    differ++;
    assert.ok(
      Number.isFinite(want) && ulpsApart(got, want) <= 1,
      `${name}(${v}) = ${got}, correctly rounded ${want}`,
    );
  });
  assert.ok(differ <= share * x.length, `${name}: ${differ} of ${x.length} not correctly rounded`);
}

Deno.test("exp(x) is correctly rounded but for at most one argument in a thousand, and within one ulp", () => {
  assertNearlyCorrectlyRounded(exp, fixture.exp, "exp");
});

Deno.test("log(x) is correctly rounded but for at most one argument in a thousand, and within one ulp", () => {
  assertNearlyCorrectlyRounded(log, fixture.log, "log");
});

Deno.test("exp and log give IEEE 754's values at their special arguments", () => {
  assert.equal(exp(0), 1);
  assert.equal(exp(-0), 1);
  assert.equal(exp(Infinity), Infinity);
  assert.equal(exp(-Infinity), 0);
  assert.ok(Number.isNaN(exp(NaN)));
  assert.equal(exp(710), Infinity);
  assert.equal(log(1), 0);
  assert.equal(log(0), -Infinity);
  assert.equal(log(-0), -Infinity);
  assert.equal(log(Infinity), Infinity);
  for (const bad of [-1, -Infinity, NaN]) assert.ok(Number.isNaN(log(bad)), `log(${bad})`);
});
