import assert from "node:assert/strict";
import {
  add,
  addColumn,
  map,
  matmul,
  matmulTransA,
  matmulTransB,
  Matrix,
  multiply,
  scale,
  shapeOf,
  subtract,
  sumRows,
  transpose,
} from "./matrix.ts";
import { RandomState } from "./random.ts";

/** The plain triple loop, the reference the blocked kernels are checked against. */
function naive(A: number[][], B: number[][]): number[][] {
  return A.map((row) => B[0]?.map((_, j) => row.reduce((s, a, p) => s + a * B[p][j], 0)) ?? []);
}

function random(rows: number, cols: number, seed: number): Matrix {
  return new RandomState(seed).randn(rows, cols);
}

/**
 * Blocked sums add in another order than the plain loop: for k products of size
 * O(1) the difference is a few k ulps, far below 1e-12 relative to the sum of |terms|.
 */
function assertNear(actual: Matrix, expected: number[][], what: string): void {
  assert.deepEqual(
    actual.shape,
    [expected.length, expected[0]?.length ?? actual.cols],
    `${what}: shape`,
  );
  expected.forEach((row, i) =>
    row.forEach((v, j) => {
      assert.ok(Math.abs(actual.get(i, j) - v) <= 1e-12 * (1 + Math.abs(v)), `${what}[${i}, ${j}]`);
    })
  );
}

// Shapes around the blocking: 3 rows x 4 columns in registers, blocks of 256 in k.
const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [1, 9, 1],
  [2, 600, 3],
  [4, 3, 4],
  [5, 257, 6],
  [7, 33, 9],
  [20, 300, 13],
  [6, 512, 8],
];

for (const [n, k, m] of shapes) {
  Deno.test(`matmul() and its transposed forms match the plain triple loop on (${n}, ${k}) @ (${k}, ${m})`, () => {
    const A = random(n, k, n * 7 + k), B = random(k, m, m * 11 + k);
    const expected = naive(A.toArray(), B.toArray());
    assertNear(matmul(A, B), expected, "matmul");
    assertNear(matmulTransB(A, transpose(B)), expected, "matmulTransB");
    assertNear(matmulTransA(transpose(A), B), expected, "matmulTransA");
  });
}

Deno.test("matmul() of empty dimensions gives a zero matrix of the right shape", () => {
  assert.deepEqual(matmul(new Matrix(0, 3), new Matrix(3, 2)).shape, [0, 2]);
  assert.deepEqual(matmul(new Matrix(2, 0), new Matrix(0, 3)).toArray(), [[0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(matmulTransB(new Matrix(2, 0), new Matrix(3, 0)).toArray(), [[0, 0, 0], [
    0,
    0,
    0,
  ]]);
  assert.deepEqual(matmulTransA(new Matrix(0, 2), new Matrix(0, 1)).toArray(), [[0], [0]]);
});

Deno.test("matmul() writes into out, overwriting what was there, and returns it", () => {
  const A = random(3, 4, 1), B = random(4, 5, 2);
  for (
    const [f, X, Y] of [[matmul, A, B], [matmulTransB, A, transpose(B)], [
      matmulTransA,
      transpose(A),
      B,
    ]] as const
  ) {
    const out = new Matrix(3, 5, new Float64Array(15).fill(99));
    assert.equal(f(X, Y, out), out);
    assertNear(out, naive(A.toArray(), B.toArray()), f.name);
  }
  assert.throws(
    () => matmul(A, B, new Matrix(5, 3)),
    (e: Error) => e instanceof TypeError && e.message === "matmul: output (5, 3) must be (3, 5)",
  );
});

Deno.test("matmul() and its forms name both shapes when they do not fit", () => {
  const cases: [() => unknown, string][] = [
    [
      () => matmul(new Matrix(20, 12288), new Matrix(100, 209)),
      "matmul: (20, 12288) @ (100, 209): inner dimensions differ",
    ],
    [
      () => matmulTransB(new Matrix(2, 3), new Matrix(4, 5)),
      "matmulTransB: (2, 3) @ (4, 5)ᵀ: inner dimensions differ",
    ],
    [
      () => matmulTransA(new Matrix(2, 3), new Matrix(4, 5)),
      "matmulTransA: (2, 3)ᵀ @ (4, 5): inner dimensions differ",
    ],
  ];
  for (const [f, message] of cases) {
    assert.throws(f, (e: Error) => e instanceof TypeError && e.message === message);
  }
});

Deno.test("Matrix checks its dimensions and data length", () => {
  assert.throws(
    () => new Matrix(-1, 2),
    (e: Error) => e instanceof RangeError && /\(-1, 2\)/.test(e.message),
  );
  assert.throws(() => new Matrix(2, 1.5), RangeError);
  assert.throws(
    () => new Matrix(2, 2, new Float64Array(3)),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "Cannot create a (2, 2) matrix from 3 values: it needs 4",
  );
  assert.throws(() => Matrix.from([[1, 2], [3]]), /row 0 has 2, row 1 has 1/);
});

Deno.test("Matrix stores row by row and describes itself with its shape", () => {
  const M = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(M.data), [1, 2, 3, 4, 5, 6]);
  assert.equal(M.get(1, 2), 6);
  assert.deepEqual(M.shape, [2, 3]);
  assert.equal(shapeOf(M), "(2, 3)");
  assert.equal(M.toString(), "Matrix (2, 3) [[1, 2, 3], [4, 5, 6]]");
  assert.equal(new Matrix(20, 12288).toString(), "Matrix (20, 12288)");
  assert.deepEqual(Matrix.from([]).shape, [0, 0]);
});

Deno.test("addColumn() broadcasts b over the columns, in place when asked", () => {
  const A = Matrix.from([[1, 2], [3, 4]]), b = Matrix.from([[10], [20]]);
  assert.deepEqual(addColumn(A, b).toArray(), [[11, 12], [23, 24]]);
  assert.deepEqual(A.toArray(), [[1, 2], [3, 4]]);
  addColumn(A, b, A);
  assert.deepEqual(A.toArray(), [[11, 12], [23, 24]]);
  assert.throws(
    () => addColumn(A, Matrix.from([[1, 2]])),
    /addColumn: \(2, 2\) \+ \(1, 2\): b must have shape \(2, 1\)/,
  );
});

Deno.test("sumRows() and transpose() match hand-computed values", () => {
  const A = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(sumRows(A).toArray(), [[6], [15]]);
  assert.deepEqual(transpose(A).toArray(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(sumRows(new Matrix(2, 0)).toArray(), [[0], [0]]);
});

Deno.test("element-wise operations match hand-computed values and check shapes", () => {
  const A = Matrix.from([[1, 2], [3, 4]]), B = Matrix.from([[5, 6], [7, 8]]);
  assert.deepEqual(add(A, B).toArray(), [[6, 8], [10, 12]]);
  assert.deepEqual(subtract(A, B).toArray(), [[-4, -4], [-4, -4]]);
  assert.deepEqual(multiply(A, B).toArray(), [[5, 12], [21, 32]]);
  assert.deepEqual(scale(A, 0.5).toArray(), [[0.5, 1], [1.5, 2]]);
  assert.deepEqual(map(A, (x) => x * x).toArray(), [[1, 4], [9, 16]]);
  for (const f of [add, subtract, multiply]) {
    assert.throws(
      () => f(A, new Matrix(2, 3)),
      (e: Error) =>
        e instanceof TypeError && e.message === `${f.name}: (2, 2) and (2, 3): shapes differ`,
    );
  }
  const out = new Matrix(2, 2);
  assert.equal(scale(A, 2, out), out);
  assert.deepEqual(out.toArray(), [[2, 4], [6, 8]]);
});
