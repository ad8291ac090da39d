/**
 * The loops inside the matrix products `A @ B`, `A @ Bᵀ` and `Aᵀ @ B`.
 *
 * Each entry of a product is a sum of products, `c[i, j] = Σ_p a[i, p] b[p, j]`:
 * three nested loops compute it. Written plainly, the loops spend most of their
 * time loading numbers from memory, each used for a single multiplication. The
 * functions here compute the same sums but *block* the loops, so that each value
 * loaded is used several times while it is at hand:
 *
 * - {@link matmulKernel} (`A @ B`, the forward pass `W @ A`) takes four rows of
 *   `B` and two rows of the result at a time: the 2 x 4 entries of `A` that
 *   combine them are held in local variables (the processor's registers), and
 *   each value of `B` read is used for both rows of the result.
 * - {@link matmulTransBKernel} (`A @ Bᵀ`, the gradient `dW = dZ @ APrevᵀ`) sums
 *   four dot products at once, rows `i, i + 1` of `A` against rows `j, j + 1` of
 *   `B`: each value read is used twice.
 *
 * Blocking only changes which entries are worked on together: every entry is
 * still the ordinary float64 sum of its own `k` products, added one at a time
 * in the plain order `p = 0, 1, ..., k - 1` (`c = c + a[i, p] b[p, j]`), as the
 * textbook triple loop adds them. So the same inputs always give bit-identical
 * outputs, and the fast backend (`fast/backend.ts`), which blocks the loops
 * quite differently for WebAssembly SIMD and several threads, gives exactly
 * the same numbers. (NumPy's products, through BLAS, add in other orders: their
 * results can differ in the last bits, by at most about `k 2⁻⁵³` times the sum
 * of the products' sizes.)
 *
 * The rows are read through *views* (`subarray`, which shares the memory, copies
 * nothing): V8 compiles `row0[j], row1[j], ...` at one shared index `j` into
 * faster code than `x[offset0 + j], x[offset1 + j], ...` into one big array.
 *
 * These are internal: use `matmul`, `matmulTransB` and `matmulTransA` of
 * `matrix.ts`, which check the shapes. All arrays are row-major.
 *
 * @module
 */

/**
 * Views of the rows of a row-major `(rows, cols)` array: `views[i][j]` is
 * `x[i * cols + j]`, the same memory.
 */
function _rowViews(x: Float64Array, rows: number, cols: number): Float64Array[] {
  const views: Float64Array[] = [];
  for (let i = 0; i < rows; i++) views.push(x.subarray(i * cols, (i + 1) * cols));
  return views;
}

/**
 * `c (n, m) = a (n, k) @ b (k, m)`: `c[i, j] = Σ_p a[i, p] b[p, j]`.
 *
 * Works through `b` four rows at a time, adding each group's four products to
 * `c[i, j]` one after the other.
 *
 * @param a shape (n, k)
 * @param b shape (k, m)
 * @param c shape (n, m), overwritten with the product
 */
export function matmulKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  // c is small (20 x 209 in the course) and stays in the processor's cache, while
  // b, the large one, is read once, row after row.
  c.fill(0);
  const cRows = _rowViews(c, n, m);
  let p = 0;
  // Rows p..p+3 of b: row i of c gains a[i, p] * (row p of b) + ... + a[i, p+3] * (row p+3 of b).
  for (; p + 4 <= k; p += 4) {
    const b0 = b.subarray(p * m, (p + 1) * m), b1 = b.subarray((p + 1) * m, (p + 2) * m);
    const b2 = b.subarray((p + 2) * m, (p + 3) * m), b3 = b.subarray((p + 3) * m, (p + 4) * m);
    let i = 0;
    // Two rows of c at a time, with the 2 x 4 entries of a they need in local variables:
    // each value of b read serves both rows.
    for (; i + 2 <= n; i += 2) {
      const r = i * k + p, s = r + k; // where a[i, p] and a[i + 1, p] are
      const x0 = a[r], x1 = a[r + 1], x2 = a[r + 2], x3 = a[r + 3];
      const z0 = a[s], z1 = a[s + 1], z2 = a[s + 2], z3 = a[s + 3];
      const c0 = cRows[i], c1 = cRows[i + 1];
      for (let j = 0; j < m; j++) {
        const y0 = b0[j], y1 = b1[j], y2 = b2[j], y3 = b3[j];
        // Left to right, as JavaScript evaluates it: ((c + x0 y0) + x1 y1) + ...
        c0[j] = c0[j] + x0 * y0 + x1 * y1 + x2 * y2 + x3 * y3;
        c1[j] = c1[j] + z0 * y0 + z1 * y1 + z2 * y2 + z3 * y3;
      }
    }
    // The last row of c, when n is odd.
    if (i < n) {
      const r = i * k + p;
      const x0 = a[r], x1 = a[r + 1], x2 = a[r + 2], x3 = a[r + 3];
      const c0 = cRows[i];
      for (let j = 0; j < m; j++) c0[j] = c0[j] + x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
    }
  }
  // The last k % 4 rows of b, one at a time.
  for (; p < k; p++) {
    const b0 = b.subarray(p * m, (p + 1) * m);
    for (let i = 0; i < n; i++) {
      const x = a[i * k + p], c0 = cRows[i];
      for (let j = 0; j < m; j++) c0[j] += x * b0[j];
    }
  }
}

/**
 * `c (n, m) = a (n, k) @ b (m, k)ᵀ`: `c[i, j] = Σ_p a[i, p] b[j, p]`, the dot
 * product of row `i` of `a` and row `j` of `b`.
 *
 * Each dot product is summed in the plain order `p = 0, 1, ..., k - 1`.
 *
 * @param a shape (n, k)
 * @param b shape (m, k)
 * @param c shape (n, m), overwritten with the product
 */
export function matmulTransBKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  const aRows = _rowViews(a, n, k);
  let j = 0;
  // Two rows of b at a time, each read once from memory, then from cache for every row of a.
  for (; j + 2 <= m; j += 2) {
    const y0 = b.subarray(j * k, (j + 1) * k), y1 = b.subarray((j + 1) * k, (j + 2) * k);
    let i = 0;
    // Against two rows of a: four dot products summed together, each value read used twice.
    for (; i + 2 <= n; i += 2) {
      const x0 = aRows[i], x1 = aRows[i + 1];
      let c00 = 0, c01 = 0, c10 = 0, c11 = 0;
      let p = 0;
      // Two steps of p per pass (measured faster than one); the sums stay in order.
      for (; p + 2 <= k; p += 2) {
        let u0 = x0[p], u1 = x1[p], v0 = y0[p], v1 = y1[p];
        c00 += u0 * v0, c01 += u0 * v1, c10 += u1 * v0, c11 += u1 * v1;
        const q = p + 1;
        u0 = x0[q], u1 = x1[q], v0 = y0[q], v1 = y1[q];
        c00 += u0 * v0, c01 += u0 * v1, c10 += u1 * v0, c11 += u1 * v1;
      }
      // The last step, when k is odd.
      if (p < k) {
        const u0 = x0[p], u1 = x1[p], v0 = y0[p], v1 = y1[p];
        c00 += u0 * v0, c01 += u0 * v1, c10 += u1 * v0, c11 += u1 * v1;
      }
      const r = i * m + j;
      c[r] = c00, c[r + 1] = c01, c[r + m] = c10, c[r + m + 1] = c11;
    }
    // The last row of a, when n is odd.
    if (i < n) {
      const x0 = aRows[i];
      let c00 = 0, c01 = 0;
      for (let p = 0; p < k; p++) c00 += x0[p] * y0[p], c01 += x0[p] * y1[p];
      c[i * m + j] = c00, c[i * m + j + 1] = c01;
    }
  }
  // The last row of b, when m is odd.
  if (j < m) {
    const y0 = b.subarray(j * k, (j + 1) * k);
    for (let i = 0; i < n; i++) {
      const x0 = aRows[i];
      let s = 0;
      for (let p = 0; p < k; p++) s += x0[p] * y0[p];
      c[i * m + j] = s;
    }
  }
}

/**
 * `c (n, m) = a (k, n)ᵀ @ b (k, m)`: `c[i, j] = Σ_p a[p, i] b[p, j]`.
 *
 * Adds `a[p, i] * (row p of b)` to row `i` of `c` for `p = 0, 1, ..., k - 1`,
 * so each entry is summed in the plain order. Backpropagation uses it only on
 * the small layers (the input layer's `dA0` is never computed), so it is not
 * blocked.
 *
 * @param a shape (k, n)
 * @param b shape (k, m)
 * @param c shape (n, m), overwritten with the product
 */
export function matmulTransAKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  c.fill(0);
  const cRows = _rowViews(c, n, m);
  for (let p = 0; p < k; p++) {
    const y = b.subarray(p * m, (p + 1) * m);
    for (let i = 0; i < n; i++) {
      const x = a[p * n + i], c0 = cRows[i];
      for (let j = 0; j < m; j++) c0[j] += x * y[j];
    }
  }
}

import type { Matrix } from "./matrix.ts";

/**
 * A product on row-major arrays: `c (n, m)` gets the product of `a` and `b`,
 * whose shapes each product gives.
 */
export type ProductKernel = (
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
) => void;

/**
 * The three products, with the shapes of {@link matmulKernel},
 * {@link matmulTransBKernel} and {@link matmulTransAKernel}: the plain ones of
 * this file ({@link plainKernels}), or the fast backend's
 * (`lib/fast/backend.ts`). `matrix.ts` calls whichever is in use.
 */
export interface ProductKernels {
  /** `c (n, m) = a (n, k) @ b (k, m)` */
  matmul: ProductKernel;
  /** `c (n, m) = a (n, k) @ b (m, k)ᵀ` */
  matmulTransB: ProductKernel;
  /** `c (n, m) = a (k, n)ᵀ @ b (k, m)` */
  matmulTransA: ProductKernel;
  /**
   * Where a product without an `out` puts its result, if not in a new matrix:
   * the fast backend's training steps keep theirs in its shared memory. The
   * product overwrites every entry.
   */
  allocate?: (rows: number, cols: number) => Matrix;
}

/** The plain TypeScript kernels of this file, the reference for every other. */
export const plainKernels: ProductKernels = {
  matmul: matmulKernel,
  matmulTransB: matmulTransBKernel,
  matmulTransA: matmulTransAKernel,
};
