/**
 * Loads the NumPy fixtures of `tests/fixtures/` and compares our matrices with them.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Matrix } from "../lib/matrix.ts";

/** Reads a fixture of `tests/fixtures/` written by a script of `tests/reference/`. */
export function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

/** A matrix from NumPy's nested lists. */
export function fromNumPy(rows: unknown): Matrix {
  return Matrix.from(rows as number[][]);
}

/**
 * Asserts `actual` has the shape of `expected` and each entry is within
 * `rtol * |expected| + atol` of it. The defaults allow for NumPy summing in
 * another order (BLAS) and for `exp`/`log` differing in their last bit between
 * glibc and V8: a few units in the last place on sums of a handful of terms.
 */
export function assertClose(
  actual: Matrix,
  expected: unknown,
  { rtol = 1e-12, atol = 1e-15, what = "matrix" } = {},
): void {
  const e = expected as number[][];
  assert.deepEqual(actual.shape, [e.length, e[0].length], `${what}: shape`);
  e.forEach((row, i) =>
    row.forEach((v, j) => {
      const a = actual.get(i, j);
      assert.ok(
        Math.abs(a - v) <= rtol * Math.abs(v) + atol,
        `${what}[${i}, ${j}] = ${a}, NumPy gives ${v}`,
      );
    })
  );
}
