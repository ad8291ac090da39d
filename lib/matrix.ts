/**
 * A small row-major matrix of float64 values, and the operations a neural
 * network needs: products (including the `A·Bᵀ` and `Aᵀ·B` forms that
 * backpropagation uses, without building a transposed copy), a column
 * broadcast, element-wise operations and row sums.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

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

function _checkOut(name: string, out: Matrix | undefined, rows: number, cols: number): Matrix {
  if (out === undefined) return new Matrix(rows, cols);
  if (out.rows !== rows || out.cols !== cols) {
    throw new TypeError(`${name}: output ${shapeOf(out)} must be (${rows}, ${cols})`);
  }
  return out;
}

function _checkSameShape(name: string, A: Matrix, B: Matrix): void {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new TypeError(`${name}: ${shapeOf(A)} and ${shapeOf(B)}: shapes differ`);
  }
}

/**
 * Matrix product `A @ B`, as NumPy's `np.dot(A, B)`.
 *
 * @param A shape (n, k)
 * @param B shape (k, m)
 * @param out optional (n, m) matrix to write into, instead of a new one
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
export function matmul(A: Matrix, B: Matrix, out?: Matrix): Matrix {
  if (A.cols !== B.rows) {
    throw new TypeError(`matmul: ${shapeOf(A)} @ ${shapeOf(B)}: inner dimensions differ`);
  }
  const C = _checkOut("matmul", out, A.rows, B.cols);
  _matmulKernel(A.data, B.data, C.data, A.rows, A.cols, B.cols);
  return C;
}

/**
 * Matrix product with the second factor transposed, `A @ Bᵀ`, computed without
 * building `Bᵀ`: entry `(i, j)` is the dot product of row `i` of `A` and row
 * `j` of `B`. Backpropagation uses it for `dW = dZ @ APrevᵀ`.
 *
 * @param A shape (n, k)
 * @param B shape (m, k)
 * @param out optional (n, m) matrix to write into, instead of a new one
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
export function matmulTransB(A: Matrix, B: Matrix, out?: Matrix): Matrix {
  if (A.cols !== B.cols) {
    throw new TypeError(`matmulTransB: ${shapeOf(A)} @ ${shapeOf(B)}ᵀ: inner dimensions differ`);
  }
  const C = _checkOut("matmulTransB", out, A.rows, B.rows);
  _matmulTransBKernel(A.data, B.data, C.data, A.rows, A.cols, B.rows);
  return C;
}

/**
 * Matrix product with the first factor transposed, `Aᵀ @ B`, computed without
 * building `Aᵀ`. Backpropagation uses it for `dAPrev = Wᵀ @ dZ`.
 *
 * @param A shape (k, n)
 * @param B shape (k, m)
 * @param out optional (n, m) matrix to write into, instead of a new one
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
export function matmulTransA(A: Matrix, B: Matrix, out?: Matrix): Matrix {
  if (A.rows !== B.rows) {
    throw new TypeError(`matmulTransA: ${shapeOf(A)}ᵀ @ ${shapeOf(B)}: inner dimensions differ`);
  }
  const C = _checkOut("matmulTransA", out, A.cols, B.cols);
  _matmulTransAKernel(A.data, B.data, C.data, A.cols, A.rows, B.cols);
  return C;
}

/**
 * Adds a column vector to every column of a matrix, as NumPy broadcasts
 * `Z = W @ A + b`.
 *
 * @param A shape (n, m)
 * @param b shape (n, 1)
 * @param out optional (n, m) matrix to write into (may be `A` itself)
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
export function addColumn(A: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (b.cols !== 1 || b.rows !== A.rows) {
    throw new TypeError(
      `addColumn: ${shapeOf(A)} + ${shapeOf(b)}: b must have shape (${A.rows}, 1)`,
    );
  }
  const C = _checkOut("addColumn", out, A.rows, A.cols);
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
 * The transpose `Aᵀ`, as NumPy's `A.T` (but a copy, not a view).
 *
 * @param A shape (n, m)
 * @returns `Aᵀ`, shape (m, n)
 * @example
 * ```ts
 * import { Matrix, transpose } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(transpose(Matrix.from([[1, 2, 3]])).toArray(), [[1], [2], [3]]);
 * ```
 */
export function transpose(A: Matrix): Matrix {
  const out = new Matrix(A.cols, A.rows);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) out.data[j * A.rows + i] = A.data[i * A.cols + j];
  }
  return out;
}

/**
 * Element-wise sum `A + B`.
 *
 * @param A shape (n, m)
 * @param B shape (n, m)
 * @param out optional (n, m) matrix to write into (may be `A` or `B`)
 * @returns `A + B`, shape (n, m)
 * @throws {TypeError} if the shapes differ
 * @example
 * ```ts
 * import { add, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(add(Matrix.from([[1, 2]]), Matrix.from([[3, 4]])).toArray(), [[4, 6]]);
 * ```
 */
export function add(A: Matrix, B: Matrix, out?: Matrix): Matrix {
  _checkSameShape("add", A, B);
  const C = _checkOut("add", out, A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = A.data[i] + B.data[i];
  return C;
}

/**
 * Element-wise difference `A - B`.
 *
 * @param A shape (n, m)
 * @param B shape (n, m)
 * @param out optional (n, m) matrix to write into (may be `A` or `B`)
 * @returns `A - B`, shape (n, m)
 * @throws {TypeError} if the shapes differ
 * @example
 * ```ts
 * import { Matrix, subtract } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(subtract(Matrix.from([[1, 2]]), Matrix.from([[3, 5]])).toArray(), [[-2, -3]]);
 * ```
 */
export function subtract(A: Matrix, B: Matrix, out?: Matrix): Matrix {
  _checkSameShape("subtract", A, B);
  const C = _checkOut("subtract", out, A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = A.data[i] - B.data[i];
  return C;
}

/**
 * Element-wise (Hadamard) product `A * B`, as NumPy's `A * B`.
 *
 * @param A shape (n, m)
 * @param B shape (n, m)
 * @param out optional (n, m) matrix to write into (may be `A` or `B`)
 * @returns `A * B`, shape (n, m)
 * @throws {TypeError} if the shapes differ
 * @example
 * ```ts
 * import { Matrix, multiply } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(multiply(Matrix.from([[1, 2]]), Matrix.from([[3, 4]])).toArray(), [[3, 8]]);
 * ```
 */
export function multiply(A: Matrix, B: Matrix, out?: Matrix): Matrix {
  _checkSameShape("multiply", A, B);
  const C = _checkOut("multiply", out, A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = A.data[i] * B.data[i];
  return C;
}

/**
 * Multiplies every entry by a number, `s * A`.
 *
 * @param A shape (n, m)
 * @param s the factor
 * @param out optional (n, m) matrix to write into (may be `A`)
 * @returns `s * A`, shape (n, m)
 * @example
 * ```ts
 * import { Matrix, scale } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(scale(Matrix.from([[1, 2]]), 3).toArray(), [[3, 6]]);
 * ```
 */
export function scale(A: Matrix, s: number, out?: Matrix): Matrix {
  const C = _checkOut("scale", out, A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = s * A.data[i];
  return C;
}

/**
 * Applies a function to every entry.
 *
 * @param A shape (n, m)
 * @param f the function, given each value
 * @returns `f` applied to each entry, shape (n, m)
 * @example
 * ```ts
 * import { map, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(map(Matrix.from([[1, 4]]), Math.sqrt).toArray(), [[1, 2]]);
 * ```
 */
export function map(A: Matrix, f: (value: number) => number): Matrix {
  const C = new Matrix(A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = f(A.data[i]);
  return C;
}

// ---------------------------------------------------------------------------
// The kernels. Each computes exactly the sum written in its comment; the
// blocking only changes the order in which independent entries are computed
// and keeps the operands in cache and in registers.

/** Rows of the shared dimension processed per pass, so that a pass of B stays in cache. */
const _K_BLOCK = 256;

/** c (n, m) = a (n, k) @ b (k, m): c[i, j] = Σ_p a[i, p] b[p, j]. */
function _matmulKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  c.fill(0);
  for (let p0 = 0; p0 < k; p0 += _K_BLOCK) {
    const p1 = Math.min(p0 + _K_BLOCK, k);
    let i = 0;
    // 2 rows x 4 columns of c held in registers while p runs over the block.
    for (; i + 2 <= n; i += 2) {
      const a0 = i * k, a1 = a0 + k;
      let j = 0;
      for (; j + 4 <= m; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        for (let p = p0, bp = p0 * m + j; p < p1; p++, bp += m) {
          const x0 = a[a0 + p], x1 = a[a1 + p];
          const b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
          c00 += x0 * b0;
          c01 += x0 * b1;
          c02 += x0 * b2;
          c03 += x0 * b3;
          c10 += x1 * b0;
          c11 += x1 * b1;
          c12 += x1 * b2;
          c13 += x1 * b3;
        }
        const r0 = i * m + j, r1 = r0 + m;
        c[r0] += c00;
        c[r0 + 1] += c01;
        c[r0 + 2] += c02;
        c[r0 + 3] += c03;
        c[r1] += c10;
        c[r1 + 1] += c11;
        c[r1 + 2] += c12;
        c[r1 + 3] += c13;
      }
      for (; j < m; j++) {
        let c0 = 0, c1 = 0;
        for (let p = p0, bp = p0 * m + j; p < p1; p++, bp += m) {
          c0 += a[a0 + p] * b[bp];
          c1 += a[a1 + p] * b[bp];
        }
        c[i * m + j] += c0;
        c[(i + 1) * m + j] += c1;
      }
    }
    for (; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let p = p0; p < p1; p++) s += a[i * k + p] * b[p * m + j];
        c[i * m + j] += s;
      }
    }
  }
}

/** c (n, m) = a (n, k) @ b (m, k)ᵀ: c[i, j] = Σ_p a[i, p] b[j, p]. */
function _matmulTransBKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  let j = 0;
  // 4 rows of b (read once from memory), against 2 rows of a at a time.
  for (; j + 4 <= m; j += 4) {
    const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const a0 = i * k, a1 = a0 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p];
        const y0 = b[b0 + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
      }
      const r0 = i * m + j, r1 = r0 + m;
      c[r0] = c00;
      c[r0 + 1] = c01;
      c[r0 + 2] = c02;
      c[r0 + 3] = c03;
      c[r1] = c10;
      c[r1 + 1] = c11;
      c[r1 + 2] = c12;
      c[r1 + 3] = c13;
    }
    for (; i < n; i++) {
      const a0 = i * k;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[a0 + p];
        c0 += x * b[b0 + p];
        c1 += x * b[b1 + p];
        c2 += x * b[b2 + p];
        c3 += x * b[b3 + p];
      }
      const r = i * m + j;
      c[r] = c0;
      c[r + 1] = c1;
      c[r + 2] = c2;
      c[r + 3] = c3;
    }
  }
  for (; j < m; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * m + j] = s;
    }
  }
}

/** c (n, m) = a (k, n)ᵀ @ b (k, m): c[i, j] = Σ_p a[p, i] b[p, j]. */
function _matmulTransAKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  c.fill(0);
  for (let p = 0; p < k; p++) {
    const bp = p * m;
    for (let i = 0; i < n; i++) {
      const x = a[p * n + i];
      const ci = i * m;
      for (let j = 0; j < m; j++) c[ci + j] += x * b[bp + j];
    }
  }
}
