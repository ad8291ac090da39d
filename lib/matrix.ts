/**
 * A small row-major matrix of float64 values, and the operations a neural
 * network needs: products (including the `A·Bᵀ` and `Aᵀ·B` forms that
 * backpropagation uses, without building a transposed copy), a column
 * broadcast, a transpose, element-wise operations (with a number or a matrix
 * of the same shape) and row sums. Each operation returns a new matrix and
 * leaves its inputs as they were.
 *
 * The products check the shapes here and run their loops on the backend in
 * use (`backend.ts`), as NumPy's `np.dot` runs on BLAS.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import { currentBackend } from "./backend.ts";

/** A `(rows, cols)` matrix stored row by row in a `Float64Array`. */
export class Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The values, row by row: entry `(i, j)` is `data[i * cols + j]`. */
  readonly data: Float64Array;

  /**
   * Creates a `(rows, cols)` matrix, filled with zeros unless `data` is given.
   *
   * @param rows number of rows, a non-negative integer
   * @param cols number of columns, a non-negative integer
   * @param data the values row by row, of length `rows * cols` (kept, not copied)
   * @throws {RangeError} if a dimension is not a non-negative integer
   * @throws {TypeError} if `data` has the wrong length
   * @example
   * ```ts
   * import { Matrix } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * const m = new Matrix(2, 3, new Float64Array([1, 2, 3, 4, 5, 6]));
   * assert.equal(m.get(1, 0), 4);
   * assert.deepEqual(m.shape, [2, 3]);
   * ```
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new RangeError(
        `Cannot create a matrix as its dimensions must be non-negative integers: (${rows}, ${cols})`,
      );
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new TypeError(
        `Cannot create a (${rows}, ${cols}) matrix from ${data.length} values: it needs ${
          rows * cols
        }`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /**
   * Builds a matrix from nested arrays, one inner array per row.
   *
   * @param rows the rows, all of the same length
   * @returns a new `(rows.length, rows[0].length)` matrix
   * @throws {TypeError} if the rows differ in length
   * @example
   * ```ts
   * import { Matrix } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * const m = Matrix.from([[1, 2], [3, 4], [5, 6]]);
   * assert.deepEqual(m.shape, [3, 2]);
   * ```
   */
  static from(rows: readonly (readonly number[])[]): Matrix {
    const cols = rows.length === 0 ? 0 : rows[0].length;
    const out = new Matrix(rows.length, cols);
    rows.forEach((row, i) => {
      if (row.length !== cols) {
        throw new TypeError(
          `Cannot build a matrix from rows of different lengths: row 0 has ${cols}, row ${i} has ${row.length}`,
        );
      }
      out.data.set(row, i * cols);
    });
    return out;
  }

  /** The shape `[rows, cols]`, as NumPy's `.shape`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /**
   * The entry at row `i`, column `j` (zero-based).
   *
   * @example
   * ```ts
   * import { Matrix } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * assert.equal(Matrix.from([[1, 2], [3, 4]]).get(0, 1), 2);
   * ```
   */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  /**
   * The matrix as nested arrays, one per row.
   *
   * @example
   * ```ts
   * import { Matrix } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * assert.deepEqual(Matrix.from([[1, 2]]).toArray(), [[1, 2]]);
   * ```
   */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) {
      out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    }
    return out;
  }

  /**
   * A short description with the shape, and the values of a small matrix.
   *
   * @example
   * ```ts
   * import { Matrix } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * assert.equal(Matrix.from([[1, 2]]).toString(), "Matrix (1, 2) [[1, 2]]");
   * ```
   */
  toString(): string {
    const head = `Matrix ${shapeOf(this)}`;
    if (this.rows * this.cols > 36) return head;
    return `${head} [${this.toArray().map((r) => `[${r.join(", ")}]`).join(", ")}]`;
  }
}

/**
 * The shape of a matrix written as the course writes it: `(rows, cols)`.
 *
 * @example
 * ```ts
 * import { Matrix, shapeOf } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.equal(shapeOf(new Matrix(20, 12288)), "(20, 12288)");
 * ```
 */
export function shapeOf(A: Matrix): string {
  return `(${A.rows}, ${A.cols})`;
}

/**
 * Matrix product `A @ B`, as NumPy's `np.dot(A, B)`.
 *
 * @param A shape (n, k)
 * @param B shape (k, m)
 * @returns `A @ B`, shape (n, m)
 * @throws {TypeError} if the inner dimensions differ
 * @example
 * ```ts
 * import { Matrix, matmul } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const C = matmul(Matrix.from([[1, 2], [3, 4]]), Matrix.from([[5], [6]]));
 * assert.deepEqual(C.toArray(), [[17], [39]]);
 * ```
 */
export function matmul(A: Matrix, B: Matrix): Matrix {
  if (A.cols !== B.rows) {
    throw new TypeError(`matmul: ${shapeOf(A)} @ ${shapeOf(B)}: inner dimensions differ`);
  }
  const C = new Matrix(A.rows, B.cols);
  currentBackend().matmul(A.data, B.data, C.data, A.rows, A.cols, B.cols);
  return C;
}

/**
 * Matrix product with the second factor transposed, `A @ Bᵀ`, computed without
 * building `Bᵀ`: entry `(i, j)` is the dot product of row `i` of `A` and row
 * `j` of `B`. Backpropagation uses it for `dW = dZ @ APrevᵀ`.
 *
 * @param A shape (n, k)
 * @param B shape (m, k)
 * @returns `A @ Bᵀ`, shape (n, m)
 * @throws {TypeError} if `A` and `B` differ in number of columns
 * @example
 * ```ts
 * import { Matrix, matmulTransB } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const C = matmulTransB(Matrix.from([[1, 2], [3, 4]]), Matrix.from([[5, 6]]));
 * assert.deepEqual(C.toArray(), [[17], [39]]);
 * ```
 */
export function matmulTransB(A: Matrix, B: Matrix): Matrix {
  if (A.cols !== B.cols) {
    throw new TypeError(`matmulTransB: ${shapeOf(A)} @ ${shapeOf(B)}ᵀ: inner dimensions differ`);
  }
  const C = new Matrix(A.rows, B.rows);
  currentBackend().matmulTransB(A.data, B.data, C.data, A.rows, A.cols, B.rows);
  return C;
}

/**
 * Matrix product with the first factor transposed, `Aᵀ @ B`, computed without
 * building `Aᵀ`. Backpropagation uses it for `dAPrev = Wᵀ @ dZ`.
 *
 * @param A shape (k, n)
 * @param B shape (k, m)
 * @returns `Aᵀ @ B`, shape (n, m)
 * @throws {TypeError} if `A` and `B` differ in number of rows
 * @example
 * ```ts
 * import { Matrix, matmulTransA } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const C = matmulTransA(Matrix.from([[1, 3], [2, 4]]), Matrix.from([[5], [6]]));
 * assert.deepEqual(C.toArray(), [[17], [39]]);
 * ```
 */
export function matmulTransA(A: Matrix, B: Matrix): Matrix {
  if (A.rows !== B.rows) {
    throw new TypeError(`matmulTransA: ${shapeOf(A)}ᵀ @ ${shapeOf(B)}: inner dimensions differ`);
  }
  const C = new Matrix(A.cols, B.cols);
  currentBackend().matmulTransA(A.data, B.data, C.data, A.cols, A.rows, B.cols);
  return C;
}

/**
 * Adds a column vector to every column of a matrix, as NumPy broadcasts
 * `Z = W @ A + b`.
 *
 * @param A shape (n, m)
 * @param b shape (n, 1)
 * @returns `A + b`, shape (n, m)
 * @throws {TypeError} if `b` is not a column of `A`'s height
 * @example
 * ```ts
 * import { addColumn, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const Z = addColumn(Matrix.from([[1, 2], [3, 4]]), Matrix.from([[10], [20]]));
 * assert.deepEqual(Z.toArray(), [[11, 12], [23, 24]]);
 * ```
 */
export function addColumn(A: Matrix, b: Matrix): Matrix {
  if (b.cols !== 1 || b.rows !== A.rows) {
    throw new TypeError(
      `addColumn: ${shapeOf(A)} + ${shapeOf(b)}: b must have shape (${A.rows}, 1)`,
    );
  }
  const C = new Matrix(A.rows, A.cols);
  const a = A.data, c = C.data, m = A.cols;
  for (let i = 0; i < A.rows; i++) {
    const bi = b.data[i];
    for (let j = i * m, end = j + m; j < end; j++) c[j] = a[j] + bi;
  }
  return C;
}

/**
 * Sums each row, as NumPy's `np.sum(A, axis=1, keepdims=True)`.
 *
 * @param A shape (n, m)
 * @returns the row sums, shape (n, 1)
 * @example
 * ```ts
 * import { Matrix, sumRows } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sumRows(Matrix.from([[1, 2], [3, 4]])).toArray(), [[3], [7]]);
 * ```
 */
export function sumRows(A: Matrix): Matrix {
  const out = new Matrix(A.rows, 1);
  const a = A.data, m = A.cols;
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    for (let j = i * m, end = j + m; j < end; j++) s += a[j];
    out.data[i] = s;
  }
  return out;
}

/**
 * Multiplies every entry by a number, `s * A`.
 *
 * @param A shape (n, m)
 * @param s the factor
 * @returns `s * A`, shape (n, m)
 * @example
 * ```ts
 * import { Matrix, scale } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(scale(Matrix.from([[1, 2]]), 3).toArray(), [[3, 6]]);
 * ```
 */
export function scale(A: Matrix, s: number): Matrix {
  const C = new Matrix(A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = s * A.data[i];
  return C;
}

/**
 * Multiplies every entry of `A` by a number where it is, `A = s * A`, as
 * NumPy's `A *= s`: the numbers of {@link scale}, without a new matrix. Worth it
 * for a large matrix nobody else holds, such as a product just made: in a web
 * page, a new matrix of 2 MB costs a millisecond or more (fresh memory each time).
 *
 * @param A shape (n, m), changed
 * @param s the factor
 * @returns `A`
 * @example
 * ```ts
 * import { Matrix, scaleInPlace } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const A = Matrix.from([[1, 2]]);
 * assert.equal(scaleInPlace(A, 3), A);
 * assert.deepEqual(A.toArray(), [[3, 6]]);
 * ```
 */
export function scaleInPlace(A: Matrix, s: number): Matrix {
  for (let i = 0; i < A.data.length; i++) A.data[i] = s * A.data[i];
  return A;
}

/**
 * Checks that the second operand of an element-wise operation has the shape of
 * the first, naming both shapes, as `name: (n, m) op (p, q)`, if not.
 */
function checkSameShape(name: string, op: string, A: Matrix, B: Matrix): void {
  if (B.rows !== A.rows || B.cols !== A.cols) {
    throw new TypeError(
      `${name}: ${shapeOf(A)} ${op} ${shapeOf(B)}: B must be a number or have shape ${shapeOf(A)}`,
    );
  }
}

/**
 * Element-wise sum `A + B`, as NumPy's `A + B`: `B` is a number, added to every
 * entry, or a matrix of `A`'s shape, added entry by entry. (NumPy's broadcast
 * of a column `b` to every column is {@link addColumn}.)
 *
 * @param A shape (n, m)
 * @param B a number, or shape (n, m)
 * @returns `A + B`, shape (n, m)
 * @throws {TypeError} if `B` is a matrix of another shape
 * @example
 * ```ts
 * import { add, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const A = Matrix.from([[1, 2], [3, 4]]);
 * assert.deepEqual(add(A, Matrix.from([[10, 20], [30, 40]])).toArray(), [[11, 22], [33, 44]]);
 * assert.deepEqual(add(A, 1).toArray(), [[2, 3], [4, 5]]);
 * assert.throws(() => add(A, new Matrix(2, 1)), TypeError);
 * ```
 */
export function add(A: Matrix, B: Matrix | number): Matrix {
  const C = new Matrix(A.rows, A.cols);
  const a = A.data, c = C.data;
  if (typeof B === "number") {
    for (let i = 0; i < c.length; i++) c[i] = a[i] + B;
  } else {
    checkSameShape("add", "+", A, B);
    const b = B.data;
    for (let i = 0; i < c.length; i++) c[i] = a[i] + b[i];
  }
  return C;
}

/**
 * Element-wise difference `A - B`, as NumPy's `A - B`: `B` is a number,
 * subtracted from every entry, or a matrix of `A`'s shape, subtracted entry by
 * entry.
 *
 * @param A shape (n, m)
 * @param B a number, or shape (n, m)
 * @returns `A - B`, shape (n, m)
 * @throws {TypeError} if `B` is a matrix of another shape
 * @example
 * ```ts
 * import { Matrix, subtract } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const A = Matrix.from([[1, 2], [3, 4]]);
 * assert.deepEqual(subtract(A, Matrix.from([[1, 1], [1, 1]])).toArray(), [[0, 1], [2, 3]]);
 * assert.deepEqual(subtract(A, 0.5).toArray(), [[0.5, 1.5], [2.5, 3.5]]);
 * ```
 */
export function subtract(A: Matrix, B: Matrix | number): Matrix {
  const C = new Matrix(A.rows, A.cols);
  const a = A.data, c = C.data;
  if (typeof B === "number") {
    for (let i = 0; i < c.length; i++) c[i] = a[i] - B;
  } else {
    checkSameShape("subtract", "-", A, B);
    const b = B.data;
    for (let i = 0; i < c.length; i++) c[i] = a[i] - b[i];
  }
  return C;
}

/**
 * Element-wise product `A * B`, as NumPy's `A * B` (not the matrix product,
 * {@link matmul}): `B` is a number, multiplying every entry as {@link scale}
 * does, or a matrix of `A`'s shape, multiplying entry by entry.
 *
 * @param A shape (n, m)
 * @param B a number, or shape (n, m)
 * @returns `A * B`, shape (n, m)
 * @throws {TypeError} if `B` is a matrix of another shape
 * @example
 * ```ts
 * import { Matrix, multiply } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const A = Matrix.from([[1, 2], [3, 4]]);
 * assert.deepEqual(multiply(A, Matrix.from([[2, 0], [1, -1]])).toArray(), [[2, 0], [3, -4]]);
 * assert.deepEqual(multiply(A, 10).toArray(), [[10, 20], [30, 40]]);
 * ```
 */
export function multiply(A: Matrix, B: Matrix | number): Matrix {
  const C = new Matrix(A.rows, A.cols);
  const a = A.data, c = C.data;
  if (typeof B === "number") {
    for (let i = 0; i < c.length; i++) c[i] = a[i] * B;
  } else {
    checkSameShape("multiply", "*", A, B);
    const b = B.data;
    for (let i = 0; i < c.length; i++) c[i] = a[i] * b[i];
  }
  return C;
}

/**
 * Element-wise quotient `A / B`, as NumPy's `A / B`: `B` is a number, dividing
 * every entry, or a matrix of `A`'s shape, dividing entry by entry. Division by
 * zero gives `±Infinity` or `NaN`, as in NumPy (which also warns).
 *
 * @param A shape (n, m)
 * @param B a number, or shape (n, m)
 * @returns `A / B`, shape (n, m)
 * @throws {TypeError} if `B` is a matrix of another shape
 * @example
 * ```ts
 * import { divide, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const A = Matrix.from([[1, 2], [3, 4]]);
 * assert.deepEqual(divide(A, Matrix.from([[2, 4], [1, 8]])).toArray(), [[0.5, 0.5], [3, 0.5]]);
 * assert.deepEqual(divide(A, 2).toArray(), [[0.5, 1], [1.5, 2]]);
 * ```
 */
export function divide(A: Matrix, B: Matrix | number): Matrix {
  const C = new Matrix(A.rows, A.cols);
  const a = A.data, c = C.data;
  if (typeof B === "number") {
    for (let i = 0; i < c.length; i++) c[i] = a[i] / B;
  } else {
    checkSameShape("divide", "/", A, B);
    const b = B.data;
    for (let i = 0; i < c.length; i++) c[i] = a[i] / b[i];
  }
  return C;
}

/**
 * The transpose `Aᵀ`, as NumPy's `A.T`, but a new matrix where NumPy gives a
 * view: entry `(j, i)` of the result is entry `(i, j)` of `A`. The products
 * {@link matmulTransA} and {@link matmulTransB} need no transposed copy.
 *
 * @param A shape (n, m)
 * @returns `Aᵀ`, shape (m, n)
 * @example
 * ```ts
 * import { Matrix, transpose } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const T = transpose(Matrix.from([[1, 2, 3], [4, 5, 6]]));
 * assert.deepEqual(T.toArray(), [[1, 4], [2, 5], [3, 6]]);
 * ```
 */
export function transpose(A: Matrix): Matrix {
  const n = A.rows, m = A.cols;
  const C = new Matrix(m, n);
  const a = A.data, c = C.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) c[j * n + i] = a[i * m + j];
  }
  return C;
}

/**
 * Applies a function to every entry, as NumPy applies `np.exp` or a lambda to
 * an array. `f` is called with the value alone (not its position), once per
 * entry, row by row.
 *
 * @param A shape (n, m)
 * @param f the function of one number
 * @returns the matrix of `f(A[i, j])`, shape (n, m)
 * @example
 * ```ts
 * import { map, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(map(Matrix.from([[0, 1], [2, 3]]), (v) => v * v).toArray(), [[0, 1], [4, 9]]);
 * assert.deepEqual(map(Matrix.from([[0]]), Math.exp).toArray(), [[1]]);
 * ```
 */
export function map(A: Matrix, f: (value: number) => number): Matrix {
  const C = new Matrix(A.rows, A.cols);
  const a = A.data, c = C.data;
  for (let i = 0; i < c.length; i++) c[i] = f(a[i]);
  return C;
}
