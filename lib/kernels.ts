/**
 * The loops inside the matrix products. Each function computes exactly the sum
 * written above it; what makes them long is *blocking*, which changes only the
 * order in which independent entries are computed:
 *
 * - **Register blocking**: 3 rows x 4 columns of the result are summed at once in
 *   12 local variables, so each value loaded from memory is used 3 or 4 times
 *   instead of once. This is most of the speed.
 * - **Cache blocking** (for `A @ B`): the shared dimension is cut into blocks of
 *   256, so the part of `B` being read stays in the processor's cache.
 *
 * Each entry is still an ordinary float64 sum of its products, computed the same
 * way on every run; only the order of the additions differs from a plain loop,
 * which changes the last bits, as NumPy's BLAS does too.
 *
 * These are internal: use `matmul`, `matmulTransB` and `matmulTransA` of `matrix.ts`.
 *
 * @module
 */

/** Length of the blocks of the shared dimension in {@link matmulKernel}. */
const K_BLOCK = 256;

/**
 * `c (n, m) = a (n, k) @ b (k, m)`: `c[i, j] = Σ_p a[i, p] b[p, j]`, all row-major.
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
  const m4 = m - (m % 4);
  for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
    const p1 = Math.min(p0 + K_BLOCK, k);
    for (let j = 0; j < m4; j += 4) {
      let i = 0;
      for (; i + 3 <= n; i += 3) {
        const a0 = i * k, a1 = a0 + k, a2 = a1 + k;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        for (let p = p0, q = p0 * m + j; p < p1; p++, q += m) {
          const y0 = b[q], y1 = b[q + 1], y2 = b[q + 2], y3 = b[q + 3];
          let x = a[a0 + p];
          c00 += x * y0, c01 += x * y1, c02 += x * y2, c03 += x * y3;
          x = a[a1 + p];
          c10 += x * y0, c11 += x * y1, c12 += x * y2, c13 += x * y3;
          x = a[a2 + p];
          c20 += x * y0, c21 += x * y1, c22 += x * y2, c23 += x * y3;
        }
        let r = i * m + j;
        c[r] += c00, c[r + 1] += c01, c[r + 2] += c02, c[r + 3] += c03;
        r += m;
        c[r] += c10, c[r + 1] += c11, c[r + 2] += c12, c[r + 3] += c13;
        r += m;
        c[r] += c20, c[r + 1] += c21, c[r + 2] += c22, c[r + 3] += c23;
      }
      // The last two rows together, or the last one alone.
      if (i + 2 <= n) {
        const a0 = i * k, a1 = a0 + k;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        for (let p = p0, q = p0 * m + j; p < p1; p++, q += m) {
          const y0 = b[q], y1 = b[q + 1], y2 = b[q + 2], y3 = b[q + 3];
          let x = a[a0 + p];
          c00 += x * y0, c01 += x * y1, c02 += x * y2, c03 += x * y3;
          x = a[a1 + p];
          c10 += x * y0, c11 += x * y1, c12 += x * y2, c13 += x * y3;
        }
        let r = i * m + j;
        c[r] += c00, c[r + 1] += c01, c[r + 2] += c02, c[r + 3] += c03;
        r += m;
        c[r] += c10, c[r + 1] += c11, c[r + 2] += c12, c[r + 3] += c13;
      } else if (i < n) {
        const a0 = i * k;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let p = p0, q = p0 * m + j; p < p1; p++, q += m) {
          const x = a[a0 + p];
          c0 += x * b[q], c1 += x * b[q + 1], c2 += x * b[q + 2], c3 += x * b[q + 3];
        }
        const r = i * m + j;
        c[r] += c0, c[r + 1] += c1, c[r + 2] += c2, c[r + 3] += c3;
      }
    }
    // The last one to three columns: for each row of b, one value per column,
    // added into every row of the result.
    for (let p = p0; p < p1; p++) {
      for (let j = m4; j < m; j++) {
        const y = b[p * m + j];
        for (let i = 0; i < n; i++) c[i * m + j] += a[i * k + p] * y;
      }
    }
  }
}

/**
 * `c (n, m) = a (n, k) @ b (m, k)ᵀ`: `c[i, j] = Σ_p a[i, p] b[j, p]`, a dot
 * product of two rows, both read in order.
 */
export function matmulTransBKernel(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  const m4 = m - (m % 4);
  // Four rows of b at a time: read from memory once, then from cache for every row of a.
  for (let j = 0; j < m4; j += 4) {
    const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
    let i = 0;
    for (; i + 3 <= n; i += 3) {
      const a0 = i * k, a1 = a0 + k, a2 = a1 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      for (let p = 0; p < k; p++) {
        const y0 = b[b0 + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
        let x = a[a0 + p];
        c00 += x * y0, c01 += x * y1, c02 += x * y2, c03 += x * y3;
        x = a[a1 + p];
        c10 += x * y0, c11 += x * y1, c12 += x * y2, c13 += x * y3;
        x = a[a2 + p];
        c20 += x * y0, c21 += x * y1, c22 += x * y2, c23 += x * y3;
      }
      let r = i * m + j;
      c[r] = c00, c[r + 1] = c01, c[r + 2] = c02, c[r + 3] = c03;
      r += m;
      c[r] = c10, c[r + 1] = c11, c[r + 2] = c12, c[r + 3] = c13;
      r += m;
      c[r] = c20, c[r + 1] = c21, c[r + 2] = c22, c[r + 3] = c23;
    }
    // The last two rows together, or the last one alone.
    if (i + 2 <= n) {
      const a0 = i * k, a1 = a0 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = 0; p < k; p++) {
        const y0 = b[b0 + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
        let x = a[a0 + p];
        c00 += x * y0, c01 += x * y1, c02 += x * y2, c03 += x * y3;
        x = a[a1 + p];
        c10 += x * y0, c11 += x * y1, c12 += x * y2, c13 += x * y3;
      }
      let r = i * m + j;
      c[r] = c00, c[r + 1] = c01, c[r + 2] = c02, c[r + 3] = c03;
      r += m;
      c[r] = c10, c[r + 1] = c11, c[r + 2] = c12, c[r + 3] = c13;
    } else if (i < n) {
      const a0 = i * k;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[a0 + p];
        c0 += x * b[b0 + p], c1 += x * b[b1 + p], c2 += x * b[b2 + p], c3 += x * b[b3 + p];
      }
      const r = i * m + j;
      c[r] = c0, c[r + 1] = c1, c[r + 2] = c2, c[r + 3] = c3;
    }
  }
  for (let j = m4; j < m; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0, a0 = i * k, b0 = j * k; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[i * m + j] = s;
    }
  }
}

/**
 * `c (n, m) = a (k, n)ᵀ @ b (k, m)`: `c[i, j] = Σ_p a[p, i] b[p, j]`, summed as
 * k updates of whole rows of c. Backpropagation uses it only on the small
 * layers (the input layer's `dA0` is never computed), so it stays simple.
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
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < n; i++) {
      const x = a[p * n + i];
      for (let j = 0, r = i * m, q = p * m; j < m; j++) c[r + j] += x * b[q + j];
    }
  }
}
