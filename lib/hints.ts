/**
 * Hints for a failed exercise check: from the value the course expects and the
 * one the learner's function gave (not the inputs), names the common mistake
 * that explains the difference, if one does: a transposed matrix, a missing
 * (or extra) 1/m, a missing `+ b`, a flipped sign.
 *
 * Used by `checkExercise` in `exercises.ts`, which adds the hint to its message.
 *
 * @module
 */

import { Matrix } from "./matrix.ts";

/**
 * How close a wrong value must be to a mistake's to name that mistake.
 *
 * The check itself (`TOLERANCE` in `exercises.ts`: rtol 1e-9, atol 1e-12) asks
 * whether an answer is right. A hint only guesses which mistake made a wrong one,
 * and the mistaken code reaches its value by other roundings than the ones here
 * (`k * expected`, `expected - got`): `Z - (Z - b)` keeps only the digits of `b`
 * that the size of `Z` leaves, and the float32 products of the fast backend round
 * at about 6e-8. So the rtol is looser, 1e-6; a wrong answer that is none of these
 * mistakes misses them by far more (random noise of 1e-3 is a thousand times off).
 */
const HINT_TOLERANCE = { rtol: 1e-6, atol: 1e-12 } as const;

const TRANSPOSED =
  "it is the transpose of what is expected: check the order of the product, or a missing transpose";
const WRONG_SIGN = "every entry has the wrong sign";
const ROW_OFFSET = "each row is off by the same amount in every column: " +
  "is `+ b` missing (or b added twice, or subtracted)?";

/**
 * A common mistake that explains why `got` differs from `expected`, in a phrase;
 * undefined when `got` is right, or when no mistake below explains it.
 *
 * - a matrix `(r, c)`: `got`, a {@link Matrix}, is its transpose (of shape
 *   `(c, r)`); or every entry is the expected times a whole number k ≥ 2, or
 *   divided by it (a 1/m missing, or one too many); or every entry has the wrong
 *   sign; or, with 2 columns or more, each row is off by the same amount in every
 *   column (a `+ b` missing);
 * - a list of numbers: `got`, a list of the same length, is k times the expected,
 *   divided by k, or of the wrong sign, entry by entry;
 * - a number (the cost): `got` is its opposite, or k times it. A whole number
 *   expected (a count, such as `caches.length`) is not a cost: no hint.
 *
 * @param expected the course's value: rows of a matrix, a number, or a list of numbers
 * @param got what the learner's function gave: a {@link Matrix} for rows, else the same kind
 * @returns the hint, e.g. `"every entry is 4 times the expected: ..."`, or undefined
 * @example
 * ```ts
 * import { Matrix, mistakeHint } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const Z = [[3.26295337, -1.23429987]]; // (1, 2)
 * assert.match(mistakeHint(Z, Matrix.from([[3.26295337], [-1.23429987]]))!, /transpose/);
 * assert.match(mistakeHint(Z, Matrix.from([[3.51232375, -0.98492949]]))!, /`\+ b` missing/);
 * assert.match(mistakeHint(0.27977656, 0.83932968)!, /3 times the expected/);
 * assert.equal(mistakeHint(Z, Matrix.from([[3.1, -1.2]])), undefined); // no known mistake
 * ```
 */
export function mistakeHint(
  expected: number[][] | number | number[],
  got: unknown,
): string | undefined {
  if (typeof expected === "number") {
    return typeof got === "number" ? costHint(expected, got) : undefined;
  }
  if (!isRows(expected)) {
    const numbers = Array.isArray(got) && got.length === expected.length &&
      got.every((g) => typeof g === "number");
    return numbers ? entriesHint(expected, got) : undefined;
  }
  return got instanceof Matrix ? matrixHint(expected, got) : undefined;
}

/** Whether `a` is within {@link HINT_TOLERANCE} of `b`. */
function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= HINT_TOLERANCE.rtol * Math.max(Math.abs(a), Math.abs(b)) +
      HINT_TOLERANCE.atol;
}

function isRows(value: unknown): value is number[][] {
  return Array.isArray(value) && value.length > 0 && Array.isArray(value[0]);
}

/** The hint for a number: the cost with its sign flipped, or k times it. */
function costHint(expected: number, got: number): string | undefined {
  if (near(got, expected) || Number.isInteger(expected)) return undefined;
  if (near(got, -expected)) return "the cost has the wrong sign: the formula starts with −1/m";
  const k = Math.round(got / expected);
  if (k >= 2 && near(got, k * expected)) {
    return `the cost is ${k} times the expected: is the 1/m missing?`;
  }
  return undefined;
}

/** The hint for an expected `(r, c)` matrix and a `got` of any shape. */
function matrixHint(expected: number[][], got: Matrix): string | undefined {
  const rows = expected.length, cols = expected[0].length;
  const e = expected.flat(), g = Array.from(got.data);
  const sameShape = got.rows === rows && got.cols === cols;
  // Right (within the hint's tolerance): nothing to explain. This also keeps a
  // symmetric matrix, or one of shape (1, 1), from being called "its transpose".
  if (sameShape && e.every((x, i) => near(g[i], x))) return undefined;
  if (got.rows === cols && got.cols === rows && isTranspose(expected, got)) return TRANSPOSED;
  if (!sameShape) return undefined;
  return entriesHint(e, g) ?? rowOffsetHint(expected, got);
}

/** Whether `got` `(c, r)` is the transpose of `expected` `(r, c)`. */
function isTranspose(expected: number[][], got: Matrix): boolean {
  return expected.every((row, i) => row.every((x, j) => near(got.get(j, i), x)));
}

/**
 * The hints that compare entry by entry, for lists of the same length: the wrong
 * sign, or k times the expected (or divided by k), k a whole number ≥ 2.
 */
function entriesHint(expected: number[], got: number[]): string | undefined {
  if (expected.every((x, i) => near(got[i], x))) return undefined;
  if (expected.every((x, i) => near(got[i], -x))) return WRONG_SIGN;
  // The factor, from the largest expected entry: the one it is best measured on.
  let at = 0;
  expected.forEach((x, i) => {
    if (Math.abs(x) > Math.abs(expected[at])) at = i;
  });
  if (expected[at] === 0 || got[at] === 0) return undefined;
  const times = Math.round(got[at] / expected[at]);
  if (times >= 2 && expected.every((x, i) => near(got[i], times * x))) {
    return `every entry is ${times} times the expected: is the 1/m (or another factor) missing?`;
  }
  const over = Math.round(expected[at] / got[at]);
  if (over >= 2 && expected.every((x, i) => near(over * got[i], x))) {
    return `every entry is the expected divided by ${over}: ` +
      "is there a 1/m (or another factor) too many?";
  }
  return undefined;
}

/**
 * The hint for `got` `(r, c)`, c ≥ 2, off from `expected` by the same amount in
 * every column of a row: `expected - got` is a column, as `b` is. The caller has
 * made sure that `got` is not right, so some row is off by more than nothing.
 */
function rowOffsetHint(expected: number[][], got: Matrix): string | undefined {
  if (expected[0].length < 2) return undefined;
  const sameOffset = expected.every((row, i) => {
    const first = row[0] - got.get(i, 0);
    return row.every((x, j) => {
      const offset = x - got.get(i, j);
      // A difference of two values keeps only their absolute rounding: measure it
      // against the size of the values, not of the difference.
      const size = Math.abs(x) + Math.abs(got.get(i, j)) + Math.abs(row[0]) +
        Math.abs(got.get(i, 0));
      return Math.abs(offset - first) <= HINT_TOLERANCE.rtol * size + HINT_TOLERANCE.atol;
    });
  });
  return sameOffset ? ROW_OFFSET : undefined;
}
