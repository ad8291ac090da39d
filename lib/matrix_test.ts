import assert from "node:assert/strict";
import { useBackend } from "./backend.ts";
import { matmulKernel, matmulTransAKernel, matmulTransBKernel } from "./kernels.ts";
import {
  add,
  addColumn,
  divide,
  map,
  matmul,
  matmulTransA,
  matmulTransB,
  Matrix,
  multiply,
  scale,
  scaleInPlace,
  shapeOf,
  subtract,
  sumRows,
  transpose,
} from "./matrix.ts";
import { assertClose, fromNumPy, readFixture } from "../tests/numpy_fixtures.ts";

/** What NumPy computes for the element-wise operations (tests/reference/make_unit_fixture.py). */
const numpy = readFixture("numpy_unit.json").elementwise as Record<string, unknown>;
const numpyInputs = numpy.inputs as { A: number[][]; B: number[][]; s: number };

// ---------------------------------------------------------------------------
// Independent references, written here without the library's code.

/**
 * A `(rows, cols)` matrix of values in [-1, 1) from a fixed seed, by a small
 * linear congruential generator of its own, so that these tests depend on no
 * other module.
 */
function random(rows: number, cols: number, seed: number): Matrix {
  let state = seed >>> 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 2 ** 31 - 1;
  }
  return new Matrix(rows, cols, data);
}

/**
 * The plain triple loop on nested arrays: `sum[i][j] = Σ_p A[i][p] B[p][j]`,
 * added in the order p = 0, 1, ..., and `size[i][j] = Σ_p |A[i][p] B[p][j]|`,
 * the scale of the rounding errors of that sum.
 */
function naiveProduct(A: number[][], B: number[][], m: number) {
  const sum = A.map(() => new Array<number>(m).fill(0));
  const size = A.map(() => new Array<number>(m).fill(0));
  A.forEach((row, i) => {
    for (let j = 0; j < m; j++) {
      for (let p = 0; p < row.length; p++) {
        sum[i][j] += row[p] * B[p][j];
        size[i][j] += Math.abs(row[p] * B[p][j]);
      }
    }
  });
  return { sum, size };
}

/** The transpose, on nested arrays. */
function naiveTranspose(A: number[][], cols: number): number[][] {
  return Array.from({ length: cols }, (_, j) => A.map((row) => row[j]));
}

/** The transpose of a matrix, as a new matrix. */
function transposed(A: Matrix): Matrix {
  return Matrix.from(naiveTranspose(A.toArray(), A.cols));
}

/** Runs `f` with the products on each backend in turn, then restores the default. */
function onEachBackend(f: (backend: string) => void): void {
  try {
    for (const backend of ["plain", "fast"] as const) {
      useBackend({ backend });
      f(backend);
    }
  } finally {
    useBackend();
  }
}

/**
 * Checks a product against the plain loop. Any order of adding k products
 * rounds each partial sum at most k times, so both results are within
 * k·2⁻⁵³·Σ|terms| of the exact sum, and within 2·k·2⁻⁵³·Σ|terms| of each other:
 * for k ≤ 1000 that is 2.2e-13·Σ|terms|, so 1e-12·Σ|terms| leaves a margin and
 * still catches any missing or repeated product (each term is far larger).
 * Longer sums pass a `relative` of their own.
 */
function assertProductNear(
  actual: Matrix,
  expected: { sum: number[][]; size: number[][] },
  shape: [number, number],
  what: string,
  relative = 1e-12,
): void {
  assert.deepEqual(actual.shape, shape, `${what}: shape`);
  expected.sum.forEach((row, i) =>
    row.forEach((v, j) => {
      const error = Math.abs(actual.get(i, j) - v);
      assert.ok(
        error <= relative * expected.size[i][j],
        `${what}[${i}, ${j}] = ${actual.get(i, j)}, expected ${v}`,
      );
    })
  );
}

/** Asserts that `f` throws `kind` with exactly `message`. */
function assertThrowsExactly(f: () => unknown, kind: ErrorConstructor, message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof kind, `a ${kind.name}, got ${e}`);
    assert.equal(e.message, message);
    return true;
  });
}

// ---------------------------------------------------------------------------
// Matrix and shapeOf

Deno.test("Matrix() makes a zero matrix, or keeps the given data without copying it", () => {
  const Z = new Matrix(2, 3);
  assert.equal(Z.rows, 2);
  assert.equal(Z.cols, 3);
  assert.ok(Z.data instanceof Float64Array);
  assert.deepEqual(Array.from(Z.data), [0, 0, 0, 0, 0, 0]);

  const data = new Float64Array([1, 2, 3, 4, 5, 6]);
  const M = new Matrix(3, 2, data);
  assert.equal(M.data, data);
  data[5] = 60;
  assert.equal(M.get(2, 1), 60);

  assert.deepEqual(new Matrix(0, 0).data.length, 0);
  assert.deepEqual(new Matrix(0, 5).shape, [0, 5]);
  assert.deepEqual(new Matrix(4, 0, new Float64Array(0)).shape, [4, 0]);
});

Deno.test("Matrix() rejects dimensions that are not non-negative integers, naming them", () => {
  const bad: [number, number][] = [[-1, 2], [2, -3], [2, 1.5], [NaN, 1], [1, Infinity]];
  for (const [rows, cols] of bad) {
    assertThrowsExactly(
      () => new Matrix(rows, cols),
      RangeError,
      `Cannot create a matrix as its dimensions must be non-negative integers: (${rows}, ${cols})`,
    );
  }
});

Deno.test("Matrix() rejects data of the wrong length, saying how many values it needs", () => {
  assertThrowsExactly(
    () => new Matrix(2, 2, new Float64Array(3)),
    TypeError,
    "Cannot create a (2, 2) matrix from 3 values: it needs 4",
  );
  assertThrowsExactly(
    () => new Matrix(0, 3, new Float64Array(1)),
    TypeError,
    "Cannot create a (0, 3) matrix from 1 values: it needs 0",
  );
});

Deno.test("Matrix.from() copies nested rows, row by row", () => {
  const rows = [[1, 2, 3], [4, 5, 6]];
  const M = Matrix.from(rows);
  assert.deepEqual(M.shape, [2, 3]);
  assert.deepEqual(Array.from(M.data), [1, 2, 3, 4, 5, 6]);
  rows[0][0] = 100;
  assert.equal(M.get(0, 0), 1, "a copy: changing the arrays leaves the matrix alone");

  assert.deepEqual(Matrix.from([]).shape, [0, 0]);
  assert.deepEqual(Matrix.from([[], []]).shape, [2, 0]);
  assert.deepEqual(Matrix.from([[7]]).toArray(), [[7]]);
});

Deno.test("Matrix.from() rejects rows of different lengths, naming the first that differs", () => {
  assertThrowsExactly(
    () => Matrix.from([[1, 2], [3, 4], [5]]),
    TypeError,
    "Cannot build a matrix from rows of different lengths: row 0 has 2, row 2 has 1",
  );
  assertThrowsExactly(
    () => Matrix.from([[], [1]]),
    TypeError,
    "Cannot build a matrix from rows of different lengths: row 0 has 0, row 1 has 1",
  );
});

Deno.test("Matrix get() reads entry (i, j) at data[i * cols + j]", () => {
  const M = new Matrix(2, 3, new Float64Array([1, 2, 3, 4, 5, 6]));
  const seen: number[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) seen.push(M.get(i, j));
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  assert.equal(Matrix.from([[1, 2], [3, 4]]).get(1, 0), 3);
});

Deno.test("Matrix toArray() gives fresh nested arrays, one per row", () => {
  const M = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  const rows = M.toArray();
  assert.deepEqual(rows, [[1, 2, 3], [4, 5, 6]]);
  rows[1][1] = 50;
  assert.equal(M.get(1, 1), 5, "a copy: changing the arrays leaves the matrix alone");
  assert.deepEqual(new Matrix(2, 0).toArray(), [[], []]);
  assert.deepEqual(new Matrix(0, 3).toArray(), []);
});

Deno.test("Matrix toString() shows the shape, and the values of matrices of up to 36 entries", () => {
  assert.equal(
    Matrix.from([[1, 2, 3], [4, 5, 6]]).toString(),
    "Matrix (2, 3) [[1, 2, 3], [4, 5, 6]]",
  );
  assert.equal(Matrix.from([[-1.5], [0.25]]).toString(), "Matrix (2, 1) [[-1.5], [0.25]]");
  assert.equal(new Matrix(0, 0).toString(), "Matrix (0, 0) []");
  assert.equal(`${Matrix.from([[1, 2]])}`, "Matrix (1, 2) [[1, 2]]");

  const six = new Matrix(6, 6);
  assert.equal(
    six.toString(),
    `Matrix (6, 6) [${new Array(6).fill("[0, 0, 0, 0, 0, 0]").join(", ")}]`,
  );
  assert.equal(new Matrix(1, 37).toString(), "Matrix (1, 37)");
  assert.equal(new Matrix(20, 12288).toString(), "Matrix (20, 12288)");
});

Deno.test("Matrix shape is [rows, cols], a fresh array each time", () => {
  const M = new Matrix(20, 12288);
  assert.deepEqual(M.shape, [20, 12288]);
  const shape = M.shape;
  shape[0] = 1;
  assert.deepEqual(M.shape, [20, 12288]);
  assert.equal(M.rows, 20);
});

Deno.test("shapeOf() writes the shape as the course does", () => {
  assert.equal(shapeOf(new Matrix(20, 12288)), "(20, 12288)");
  assert.equal(shapeOf(new Matrix(0, 1)), "(0, 1)");
  assert.equal(shapeOf(Matrix.from([[1, 2, 3]])), "(1, 3)");
});

// ---------------------------------------------------------------------------
// The three products

Deno.test("matmul() and its transposed forms match hand-computed products", () =>
  onEachBackend(() => {
    const A = Matrix.from([[1, 2, 3], [4, 5, 6]]);
    const B = Matrix.from([[7, 8], [9, 10], [11, 12]]);
    const AB = [[58, 64], [139, 154]];
    assert.deepEqual(matmul(A, B).toArray(), AB);
    assert.deepEqual(matmulTransB(A, Matrix.from([[7, 9, 11], [8, 10, 12]])).toArray(), AB);
    assert.deepEqual(matmulTransA(Matrix.from([[1, 4], [2, 5], [3, 6]]), B).toArray(), AB);

    assert.deepEqual(
      matmul(Matrix.from([[1, 2], [3, 4]]), Matrix.from([[5, 6], [7, 8]])).toArray(),
      [
        [19, 22],
        [43, 50],
      ],
    );
    assert.deepEqual(matmul(Matrix.from([[2]]), Matrix.from([[3]])).toArray(), [[6]]);
    // An outer product (k = 1) and an inner product (n = m = 1).
    assert.deepEqual(matmul(Matrix.from([[1], [2]]), Matrix.from([[3, 4, 5]])).toArray(), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    assert.deepEqual(matmulTransB(Matrix.from([[1, 2, 3]]), Matrix.from([[4, 5, 6]])).toArray(), [
      [32],
    ]);
    assert.deepEqual(
      matmulTransA(Matrix.from([[1], [2], [3]]), Matrix.from([[4], [5], [6]])).toArray(),
      [
        [32],
      ],
    );
  }));

/**
 * Shapes (n, k, m) around the blocking of the kernels: `A @ B` takes two rows of
 * the result and four of B at a time, `A @ Bᵀ` two rows of A, two of B and two
 * steps of k; so odd n and m, every k % 4, sizes of 1, and long sums.
 */
const awkwardShapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [1, 9, 1],
  [1, 1000, 1],
  [2, 600, 3],
  [4, 8, 2],
  [5, 6, 3],
  [7, 7, 9],
  [6, 3, 1],
  [1, 2, 13],
  [9, 1, 4],
  [20, 13, 209],
  [7, 1000, 11],
];

Deno.test("matmul() matches the naive triple loop on awkward shapes", () =>
  onEachBackend((backend) => {
    for (const [n, k, m] of awkwardShapes) {
      const A = random(n, k, 1 + n * 1000 + k), B = random(k, m, 2 + m * 1000 + k);
      const expected = naiveProduct(A.toArray(), B.toArray(), m);
      const what = `${backend}: matmul (${n}, ${k}) @ (${k}, ${m})`;
      assertProductNear(matmul(A, B), expected, [n, m], what);
    }
  }));

Deno.test("matmulTransB() matches the naive triple loop on awkward shapes", () =>
  onEachBackend((backend) => {
    for (const [n, k, m] of awkwardShapes) {
      const A = random(n, k, 3 + n * 1000 + k), B = random(m, k, 4 + m * 1000 + k);
      const expected = naiveProduct(A.toArray(), naiveTranspose(B.toArray(), k), m);
      const what = `${backend}: matmulTransB (${n}, ${k}) @ (${m}, ${k})ᵀ`;
      assertProductNear(matmulTransB(A, B), expected, [n, m], what);
    }
  }));

Deno.test("matmulTransA() matches the naive triple loop on awkward shapes", () =>
  onEachBackend((backend) => {
    for (const [n, k, m] of awkwardShapes) {
      const A = random(k, n, 5 + n * 1000 + k), B = random(k, m, 6 + m * 1000 + k);
      const expected = naiveProduct(naiveTranspose(A.toArray(), n), B.toArray(), m);
      const what = `${backend}: matmulTransA (${k}, ${n})ᵀ @ (${k}, ${m})`;
      assertProductNear(matmulTransA(A, B), expected, [n, m], what);
    }
  }));

Deno.test("matmul() and its transposed forms agree on the course's first-layer shapes", () => {
  // W1 (20, 12288) @ X (12288, 209) is long for the naive loop in a unit test, and
  // the naive loop is checked above; here the three forms, which loop differently,
  // are checked against one another (on the default backend). With k = 12288 the bound of assertProductNear
  // is 2·12288·2⁻⁵³ = 2.7e-12 of Σ|terms|: 4e-12 leaves a margin.
  const W = random(20, 12288, 7), X = random(12288, 209, 8);
  const Z = matmul(W, X);
  assert.deepEqual(Z.shape, [20, 209]);
  assertProductNear(
    matmulTransB(W, transposed(X)),
    { sum: Z.toArray(), size: matmulAbs(W, X).toArray() },
    [20, 209],
    "W @ X against W @ (Xᵀ)ᵀ",
    4e-12,
  );
  assertProductNear(
    matmulTransA(transposed(W), X),
    { sum: Z.toArray(), size: matmulAbs(W, X).toArray() },
    [20, 209],
    "W @ X against (Wᵀ)ᵀ @ X",
    4e-12,
  );
  // Σ|terms| only, to bound the errors: the product of the absolute values.
  function matmulAbs(A: Matrix, B: Matrix): Matrix {
    const abs = (M: Matrix) => new Matrix(M.rows, M.cols, M.data.map(Math.abs));
    return matmul(abs(A), abs(B));
  }
});

Deno.test("matmul() and its transposed forms give bit-identical results on every call", () => {
  for (const [n, k, m] of [[20, 600, 209], [7, 33, 5]]) {
    const A = random(n, k, 9), B = random(k, m, 10);
    const Bt = transposed(B), At = transposed(A);
    const first = [matmul(A, B), matmulTransB(A, Bt), matmulTransA(At, B)];
    const copy = (M: Matrix) => new Matrix(M.rows, M.cols, M.data.slice());
    for (let run = 0; run < 3; run++) {
      const again = [
        matmul(copy(A), copy(B)),
        matmulTransB(copy(A), copy(Bt)),
        matmulTransA(copy(At), copy(B)),
      ];
      again.forEach((M, f) => assert.deepEqual(M.data, first[f].data, `form ${f}, run ${run}`));
    }
  }
});

Deno.test("matmul(), matmulTransB() and matmulTransA() add the products in the plain order", () =>
  onEachBackend((backend) => {
    // As the kernels' documentation says: the same sums as the naive loop, bit for bit,
    // on either backend (lib/fast/backend_test.ts checks many more shapes).
    for (const [n, k, m] of [[5, 7, 3], [4, 600, 6], [3, 1000, 1], [2, 13, 6]]) {
      const A = random(n, k, 11), B = random(k, m, 12);
      const expected = naiveProduct(A.toArray(), B.toArray(), m).sum;
      const shape = `${backend}: (${n}, ${k}, ${m})`;
      assert.deepEqual(matmul(A, B).toArray(), expected, `A @ B ${shape}`);
      assert.deepEqual(matmulTransB(A, transposed(B)).toArray(), expected, `A @ Bᵀ ${shape}`);
      assert.deepEqual(matmulTransA(transposed(A), B).toArray(), expected, `Aᵀ @ B ${shape}`);
    }
  }));

Deno.test("matmul() and its transposed forms give a zero matrix of the right shape on empty dimensions", () =>
  onEachBackend((backend) => {
    // k = 0: every entry is an empty sum, 0.
    for (const [n, m] of [[2, 3], [1, 1], [5, 209]]) {
      const zeros = new Array(n).fill(new Array(m).fill(0));
      assert.deepEqual(matmul(new Matrix(n, 0), new Matrix(0, m)).toArray(), zeros, backend);
      assert.deepEqual(matmulTransB(new Matrix(n, 0), new Matrix(m, 0)).toArray(), zeros, backend);
      assert.deepEqual(matmulTransA(new Matrix(0, n), new Matrix(0, m)).toArray(), zeros, backend);
    }
    // n = 0 or m = 0: an empty result of the right shape.
    assert.deepEqual(matmul(new Matrix(0, 3), new Matrix(3, 2)).shape, [0, 2]);
    assert.deepEqual(matmul(random(2, 3, 13), new Matrix(3, 0)).shape, [2, 0]);
    assert.deepEqual(matmulTransB(new Matrix(0, 3), random(2, 3, 14)).shape, [0, 2]);
    assert.deepEqual(matmulTransB(random(2, 3, 15), new Matrix(0, 3)).shape, [2, 0]);
    assert.deepEqual(matmulTransA(new Matrix(3, 0), random(3, 2, 16)).shape, [0, 2]);
    assert.deepEqual(matmulTransA(random(3, 2, 17), new Matrix(3, 0)).shape, [2, 0]);
  }));

Deno.test("matmul() and its transposed forms name both shapes when the inner dimensions differ", () => {
  assertThrowsExactly(
    () => matmul(new Matrix(20, 12288), new Matrix(100, 209)),
    TypeError,
    "matmul: (20, 12288) @ (100, 209): inner dimensions differ",
  );
  assertThrowsExactly(
    () => matmul(new Matrix(2, 3), new Matrix(2, 3)),
    TypeError,
    "matmul: (2, 3) @ (2, 3): inner dimensions differ",
  );
  assertThrowsExactly(
    () => matmulTransB(new Matrix(20, 209), new Matrix(209, 12288)),
    TypeError,
    "matmulTransB: (20, 209) @ (209, 12288)ᵀ: inner dimensions differ",
  );
  assertThrowsExactly(
    () => matmulTransA(new Matrix(7, 20), new Matrix(20, 209)),
    TypeError,
    "matmulTransA: (7, 20)ᵀ @ (20, 209): inner dimensions differ",
  );
});

Deno.test("the kernels compute the documented sums on raw arrays, overwriting c", () => {
  const [n, k, m] = [5, 11, 7];
  const A = random(n, k, 22), B = random(k, m, 23);
  const expected = naiveProduct(A.toArray(), B.toArray(), m);
  const run = (
    kernel: typeof matmulKernel,
    a: Float64Array,
    b: Float64Array,
  ): Matrix => {
    const c = new Float64Array(n * m).fill(NaN);
    kernel(a, b, c, n, k, m);
    return new Matrix(n, m, c);
  };
  assertProductNear(run(matmulKernel, A.data, B.data), expected, [n, m], "matmulKernel");
  assertProductNear(
    run(matmulTransBKernel, A.data, transposed(B).data),
    expected,
    [n, m],
    "matmulTransBKernel",
  );
  assertProductNear(
    run(matmulTransAKernel, transposed(A).data, B.data),
    expected,
    [n, m],
    "matmulTransAKernel",
  );
});

// ---------------------------------------------------------------------------
// Broadcasts, sums, transposes and element-wise operations

Deno.test("addColumn() adds b to every column, into a new matrix", () => {
  const A = Matrix.from([[1, 2, 3], [4, 5, 6]]), b = Matrix.from([[10], [-20]]);
  const Z = addColumn(A, b);
  assert.deepEqual(Z.toArray(), [[11, 12, 13], [-16, -15, -14]]);
  assert.deepEqual(A.toArray(), [[1, 2, 3], [4, 5, 6]], "A unchanged");
  assert.deepEqual(addColumn(new Matrix(2, 0), b).shape, [2, 0]);
});

Deno.test("addColumn() rejects a b that is not a column of A's height", () => {
  const A = new Matrix(2, 2);
  for (const b of [Matrix.from([[1, 2]]), new Matrix(3, 1), new Matrix(2, 2)]) {
    assertThrowsExactly(
      () => addColumn(A, b),
      TypeError,
      `addColumn: (2, 2) + ${shapeOf(b)}: b must have shape (2, 1)`,
    );
  }
});

Deno.test("sumRows() sums each row into a column", () => {
  assert.deepEqual(sumRows(Matrix.from([[1, 2, 3], [4, 5, 6]])).toArray(), [[6], [15]]);
  assert.deepEqual(sumRows(Matrix.from([[0.5, -0.5, 2]])).toArray(), [[2]]);
  assert.deepEqual(sumRows(new Matrix(2, 0)).toArray(), [[0], [0]]);
  assert.deepEqual(sumRows(new Matrix(0, 3)).shape, [0, 1]);
  const R = random(4, 9, 24);
  assert.deepEqual(
    sumRows(R).toArray(),
    R.toArray().map((row) => [row.reduce((s, v) => s + v, 0)]),
  );
});

Deno.test("scale() multiplies every entry, into a new matrix", () => {
  const A = Matrix.from([[1, 2], [-3, 4]]);
  assert.deepEqual(scale(A, 0.5).toArray(), [[0.5, 1], [-1.5, 2]]);
  assert.deepEqual(scale(A, 0).toArray(), [[0, 0], [-0, 0]]);
  assert.deepEqual(A.toArray(), [[1, 2], [-3, 4]], "A unchanged");
});

Deno.test("scaleInPlace() gives scale()'s numbers, every bit, in the matrix it is given", () => {
  // Values of every size, and factors such as 1/m, whose products round.
  const values = Array.from(
    { length: 2000 },
    (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 40) - 20),
  );
  for (const s of [1 / 209, 1 / 3, -0.0075, 0, 1e300]) {
    const A = new Matrix(40, 50, Float64Array.from(values));
    const expected = scale(A, s);
    const data = A.data;
    assert.equal(scaleInPlace(A, s), A, "returns A");
    assert.equal(A.data, data, "no new array");
    assert.deepEqual(A.data, expected.data, `s = ${s}`);
  }
});

// ---------------------------------------------------------------------------
// add, subtract, multiply, divide, transpose and map, against NumPy

/** The four element-wise operations, by name, with NumPy's operator for each. */
const elementwise = [
  { name: "add", op: "+", f: add },
  { name: "subtract", op: "-", f: subtract },
  { name: "multiply", op: "*", f: multiply },
  { name: "divide", op: "/", f: divide },
] as const;

Deno.test("add(), subtract(), multiply() and divide() match NumPy's A op B bit for bit", () => {
  // One IEEE operation per entry, on both sides: the same doubles, not just close ones.
  const A = fromNumPy(numpyInputs.A), B = fromNumPy(numpyInputs.B);
  for (const { op, f } of elementwise) {
    assert.deepEqual(f(A, B).toArray(), numpy[`A ${op} B`], `A ${op} B`);
  }
});

Deno.test("add(), subtract(), multiply() and divide() match NumPy's A op s, a scalar, bit for bit", () => {
  const A = fromNumPy(numpyInputs.A), s = numpyInputs.s;
  for (const { op, f } of elementwise) {
    assert.deepEqual(f(A, s).toArray(), numpy[`A ${op} s`], `A ${op} s`);
  }
  assert.deepEqual(multiply(A, s), scale(A, s), "multiply by a number is scale");
});

Deno.test("transpose() matches NumPy's A.T, and transposing twice gives A back", () => {
  const A = fromNumPy(numpyInputs.A);
  const T = transpose(A);
  assert.deepEqual(T.shape, [4, 3]);
  assert.deepEqual(T.toArray(), numpy["A.T"]);
  assert.deepEqual(transpose(T).toArray(), numpyInputs.A);
  assert.deepEqual(transpose(random(7, 5, 25)), transposed(random(7, 5, 25)));
});

Deno.test("map() matches NumPy's np.exp(A), and a lambda applied entry by entry", () => {
  const A = fromNumPy(numpyInputs.A);
  // exp may differ in its last bit between glibc and V8: close, by assertClose's defaults.
  assertClose(map(A, Math.exp), numpy["np.exp(A)"], { what: "map(A, Math.exp)" });
  // 1 / (1 + v * v): three IEEE operations in Python as in JavaScript, so the same doubles.
  assert.deepEqual(map(A, (v) => 1.0 / (1.0 + v * v)).toArray(), numpy["f(A)"]);
});

Deno.test("map() calls f with the value alone, once per entry, row by row", () => {
  const calls: unknown[][] = [];
  const M = map(Matrix.from([[1, 2, 3], [4, 5, 6]]), (...args: number[]) => {
    calls.push(args);
    return -args[0];
  });
  assert.deepEqual(calls, [[1], [2], [3], [4], [5], [6]]);
  assert.deepEqual(M.toArray(), [[-1, -2, -3], [-4, -5, -6]]);
});

Deno.test("add(), subtract(), multiply(), divide(), transpose() and map() leave their arguments unchanged", () => {
  const A = fromNumPy(numpyInputs.A), B = fromNumPy(numpyInputs.B);
  const a = A.data.slice(), b = B.data.slice();
  const results = [
    ...elementwise.flatMap(({ f }) => [f(A, B), f(A, numpyInputs.s), f(A, 0)]),
    transpose(A),
    map(A, (v) => v),
  ];
  for (const C of results) {
    assert.notEqual(C, A, "a new matrix");
    assert.notEqual(C.data, A.data, "with data of its own");
    assert.notEqual(C.data.buffer, A.data.buffer);
    assert.notEqual(C.data.buffer, B.data.buffer);
  }
  assert.deepEqual(A.data, a, "A unchanged");
  assert.deepEqual(B.data, b, "B unchanged");
  assert.deepEqual(add(A, 0).data, a, "A + 0 is a copy of A");
});

Deno.test("add(), subtract(), multiply() and divide() name both shapes when B has another shape", () => {
  const cases: [Matrix, Matrix][] = [
    [new Matrix(2, 3), new Matrix(3, 2)],
    [new Matrix(2, 3), new Matrix(2, 1)], // no broadcast of a column: that is addColumn
    [new Matrix(20, 209), new Matrix(1, 209)],
    [new Matrix(0, 0), new Matrix(1, 1)],
    [new Matrix(1, 1), new Matrix(0, 0)],
    [new Matrix(0, 3), new Matrix(3, 0)],
  ];
  for (const [A, B] of cases) {
    for (const { name, op, f } of elementwise) {
      assertThrowsExactly(
        () => f(A, B),
        TypeError,
        `${name}: ${shapeOf(A)} ${op} ${shapeOf(B)}: B must be a number or have shape ${
          shapeOf(A)
        }`,
      );
    }
  }
  assertThrowsExactly(
    () => add(new Matrix(20, 209), new Matrix(20, 1)),
    TypeError,
    "add: (20, 209) + (20, 1): B must be a number or have shape (20, 209)",
  );
});

Deno.test("add(), subtract(), multiply(), divide(), transpose() and map() on 0x0, empty and 1x1 matrices", () => {
  const empty = new Matrix(0, 0);
  for (const { f } of elementwise) {
    assert.deepEqual(f(empty, empty).shape, [0, 0]);
    assert.deepEqual(f(empty, 2).shape, [0, 0]);
    assert.deepEqual(f(new Matrix(3, 0), new Matrix(3, 0)).shape, [3, 0]);
  }
  assert.deepEqual(transpose(empty).shape, [0, 0]);
  assert.deepEqual(transpose(new Matrix(0, 3)).shape, [3, 0]);
  assert.deepEqual(transpose(new Matrix(2, 0)).shape, [0, 2]);
  assert.deepEqual(map(empty, () => 1).shape, [0, 0]);

  const one = Matrix.from([[6]]), two = Matrix.from([[-4]]);
  assert.deepEqual(add(one, two).toArray(), [[2]]);
  assert.deepEqual(subtract(one, two).toArray(), [[10]]);
  assert.deepEqual(multiply(one, two).toArray(), [[-24]]);
  assert.deepEqual(divide(one, two).toArray(), [[-1.5]]);
  // A division, not a product with the reciprocal: 5 * (1 / 3) is 1.6666666666666665.
  assert.deepEqual(divide(Matrix.from([[5]]), 3).toArray(), [[1.6666666666666667]]);
  assert.deepEqual(add(one, 0.5).toArray(), [[6.5]]);
  assert.deepEqual(transpose(one).toArray(), [[6]]);
  assert.deepEqual(map(one, Math.sqrt).toArray(), [[Math.sqrt(6)]]);
  // As NumPy's float64 division (without its warning): ±inf, and nan for 0 / 0.
  assert.deepEqual(divide(Matrix.from([[1, -1, 0]]), 0).toArray(), [[Infinity, -Infinity, NaN]]);
  assert.deepEqual(multiply(Matrix.from([[-1, 1]]), 0).toArray(), [[-0, 0]]);
});
