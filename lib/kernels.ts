/**
 * The loops inside the matrix products `A @ B`, `A @ Bᵀ` and `Aᵀ @ B`, written
 * as a textbook writes them: each entry of a product is a sum of products,
 * `c[i, j] = Σ_p a[i, p] b[p, j]`, added one at a time in the order
 * `p = 0, 1, ..., k - 1`.
 *
 * These are the reference. The fast backend (`fast/`) computes the same sums
 * in the same order, with WebAssembly SIMD on several threads, so in float64
 * it gives exactly these numbers, bit for bit. (NumPy's products, through BLAS,
 * add in other orders: their results can differ in the last bits, by at most
 * about `k 2⁻⁵³` times the sum of the products' sizes.)
 *
 * All arrays are row-major: entry `(i, j)` of an `(n, m)` matrix is at
 * `i * m + j`, and row `i` is the view `x.subarray(i * m, (i + 1) * m)`, which
 * shares the array's memory (V8 runs `row[j]` faster than `x[i * m + j]`). These take arrays; `matmul`, `matmulTransB` and `matmulTransA`
 * of `matrix.ts` take matrices, check their shapes, and call the backend in use
 * (`backend.ts`): these loops, or the fast ones.
 *
 * @module
 */

/**
 * A product's loops on row-major arrays: `c (n, m)` gets the product of `a`
 * and `b`, summed over the inner size `k`. Every backend has one for each product.
 */
export type ProductKernel = (
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
) => void;

/** The three products, as a backend runs them. */
export interface ProductKernels {
  /** `c (n, m) = a (n, k) @ b (k, m)`, as {@link matmulKernel} */
  readonly matmul: ProductKernel;
  /** `c (n, m) = a (n, k) @ b (m, k)ᵀ`, as {@link matmulTransBKernel} */
  readonly matmulTransB: ProductKernel;
  /** `c (n, m) = a (k, n)ᵀ @ b (k, m)`, as {@link matmulTransAKernel} */
  readonly matmulTransA: ProductKernel;
}

/**
 * `c (n, m) = a (n, k) @ b (k, m)`: `c[i, j] = Σ_p a[i, p] b[p, j]`.
 *
 * The loop over `p` comes first: for each `p` in turn, every row `i` of `c`
 * gains `a[i, p]` times row `p` of `b`. So each entry still adds its products
 * in the order `p = 0, 1, ..., k - 1`, while `b`, the large factor in the
 * course (`X`, 12288 x 209), is read once, row by row as it lies in memory,
 * and `c`, small, stays in the processor's cache.
 *
 * @param a shape (n, k)
 * @param b shape (k, m)
 * @param c shape (n, m), overwritten with the product
 * @example
 * ```ts
 * import { matmulKernel } from "./kernels.ts";
 * import assert from "node:assert/strict";
 *
 * const c = new Float64Array(2);
 * matmulKernel(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6]), c, 2, 2, 1);
 * assert.deepEqual(c, new Float64Array([17, 39])); // [[1, 2], [3, 4]] @ [[5], [6]]
 * ```
 */
export function matmulKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  c.fill(0);
  const cRows = rowsOf(c, n, m);
  for (let p = 0; p < k; p++) {
    const bRow = b.subarray(p * m, (p + 1) * m);
    for (let i = 0; i < n; i++) {
      const aip = a[i * k + p], cRow = cRows[i];
      for (let j = 0; j < m; j++) cRow[j] += aip * bRow[j];
    }
  }
}

/**
 * `c (n, m) = a (n, k) @ b (m, k)ᵀ`: `c[i, j] = Σ_p a[i, p] b[j, p]`, the dot
 * product of row `i` of `a` and row `j` of `b`.
 *
 * The loop over `j` comes first: each row of `b`, the large factor in the
 * course (`X`, 12288 x 209, in `dW1 = dZ1 @ Xᵀ`), is read from memory once and
 * used for every row of `a` while it is in the processor's cache.
 *
 * @param a shape (n, k)
 * @param b shape (m, k)
 * @param c shape (n, m), overwritten with the product
 * @example
 * ```ts
 * import { matmulTransBKernel } from "./kernels.ts";
 * import assert from "node:assert/strict";
 *
 * const c = new Float64Array(2);
 * matmulTransBKernel(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6]), c, 2, 2, 1);
 * assert.deepEqual(c, new Float64Array([17, 39])); // [[1, 2], [3, 4]] @ [[5, 6]]ᵀ
 * ```
 */
export function matmulTransBKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[j * k + p];
      c[i * m + j] = sum;
    }
  }
}

/**
 * `c (n, m) = a (k, n)ᵀ @ b (k, m)`: `c[i, j] = Σ_p a[p, i] b[p, j]`.
 *
 * As in {@link matmulKernel}, for each `p` in turn, every row `i` of `c` gains
 * `a[p, i]` times row `p` of `b`.
 *
 * @param a shape (k, n)
 * @param b shape (k, m)
 * @param c shape (n, m), overwritten with the product
 * @example
 * ```ts
 * import { matmulTransAKernel } from "./kernels.ts";
 * import assert from "node:assert/strict";
 *
 * const c = new Float64Array(2);
 * matmulTransAKernel(new Float64Array([1, 3, 2, 4]), new Float64Array([5, 6]), c, 2, 2, 1);
 * assert.deepEqual(c, new Float64Array([17, 39])); // [[1, 3], [2, 4]]ᵀ @ [[5], [6]]
 * ```
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
  const cRows = rowsOf(c, n, m);
  for (let p = 0; p < k; p++) {
    const bRow = b.subarray(p * m, (p + 1) * m);
    for (let i = 0; i < n; i++) {
      const api = a[p * n + i], cRow = cRows[i];
      for (let j = 0; j < m; j++) cRow[j] += api * bRow[j];
    }
  }
}

/** The `n` rows of a row-major `(n, m)` array, as views of it. */
function rowsOf(x: Float64Array, n: number, m: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => x.subarray(i * m, (i + 1) * m));
}
