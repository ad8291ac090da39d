/**
 * The matrix products of `lib/kernels.ts`, in AssemblyScript compiled to
 * WebAssembly with 128-bit SIMD: each instruction works on a vector of two
 * float64 (`f64x2`) or four float32 (`f32x4`) numbers at once.
 *
 * Compiled by `deno task build-wasm` into `lib/fast/kernels.wasm`; called from
 * `lib/fast/backend.ts`, which splits each product between threads. Every
 * kernel computes the columns `j0 <= j < j1` of its result, so that threads can
 * share one product without ever writing the same entry.
 *
 * Every kernel is generic in `T`, the element type (`f64` or `f32`), and in
 * `fused`, a constant: `false` multiplies then adds, rounding twice, exactly as
 * the TypeScript kernels; `true` uses fused multiply-add (relaxed SIMD), which
 * rounds once, but gives other last bits. With `fused` false and `T` f64 the
 * results are bit for bit those of `lib/kernels.ts`: each entry is summed in
 * the same plain order `p = 0, 1, ..., k - 1`, and a SIMD lane rounds exactly
 * as a scalar does.
 *
 * The source is AssemblyScript, a subset of TypeScript: `usize` is a byte
 * address, `v128` a 128-bit vector, `load<T>(ptr)` / `store<T>(ptr, x)` read and
 * write memory, and `@inline` functions are pasted into their callers, where
 * their constant arguments (`fused`, block sizes) fold away.
 *
 * Pointers are byte offsets into the one shared memory; arrays are row-major.
 */

/** How many `T`s one 128-bit vector holds: 2 for f64, 4 for f32. */
// @ts-ignore: decorator
@inline function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** A vector whose every lane is the `T` at `ptr`, loaded in one instruction. */
// @ts-ignore: decorator
@inline function _loadSplat<T>(ptr: usize): v128 {
  return sizeof<T>() == 8 ? v128.load64_splat(ptr) : v128.load32_splat(ptr);
}

/** `c + a * b` on vectors: rounded twice, or once when `fused`. */
// @ts-ignore: decorator
@inline function madd<T>(a: v128, b: v128, c: v128, fused: bool): v128 {
  return fused ? v128.relaxed_madd<T>(a, b, c) : v128.add<T>(c, v128.mul<T>(a, b));
}

/** `c + a * b` on numbers, rounded as {@link madd}. */
// @ts-ignore: decorator
@inline function maddScalar<T>(a: T, b: T, c: T, fused: bool): T {
  if (fused) return v128.extract_lane<T>(madd<T>(v128.splat<T>(a), v128.splat<T>(b), v128.splat<T>(c), true), 0);
  return c + a * b;
}

/** The address of entry `index` of an array of `T` starting at `base`. */
// @ts-ignore: decorator
@inline function at<T>(base: usize, index: i32): usize {
  return base + (<usize>index << alignof<T>());
}

/** Rows of `b` taken at a time by {@link matmul}: a block of rows of `b` stays in the cache. */
const KC = 256;
/** Vectors of `c` along a row kept in registers by {@link _matmulBlock}: 2 or 4. */
const WMAX = 4;

/**
 * Columns `j0..j1` of `c (n, m) = a (n, k) @ b (k, m)`.
 *
 * Each entry is summed in the plain order `p = 0, 1, ..., k - 1`, as in
 * `matmulKernel` of `lib/kernels.ts`. The work goes in blocks of {@link KC}
 * rows of `b`, which stay in the cache while every row of `c` uses them; within
 * a block, a piece of `c` of 2 rows and {@link WMAX} vectors stays in registers
 * (vectors run along the rows of `b` and `c`).
 */
// @ts-ignore: decorator
@inline function matmul<T>(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32, fused: bool): void {
  for (let i = 0; i < n; i++) memory.fill(at<T>(c, i * m + j0), 0, <usize>(j1 - j0) << alignof<T>());
  for (let pb = 0; pb < k; pb += KC) {
    const pe = min(pb + KC, k);
    let i = 0;
    for (; i + 2 <= n; i += 2) _matmulRows<T>(a, b, c, k, m, i, j0, j1, pb, pe, 2, fused);
    if (i < n) _matmulRows<T>(a, b, c, k, m, i, j0, j1, pb, pe, 1, fused);
  }
}

/** Rows `i..i+R` of {@link matmul}'s `c`, columns `j0..j1`, gain rows `pb..pe` of `b`. */
// @ts-ignore: decorator
@inline function _matmulRows<T>(a: usize, b: usize, c: usize, k: i32, m: i32, i: i32, j0: i32, j1: i32, pb: i32, pe: i32, R: i32, fused: bool): void {
  const L = lanes<T>();
  let j = j0;
  for (; j + WMAX * L <= j1; j += WMAX * L) _matmulBlock<T>(a, b, c, k, m, i, j, pb, pe, R, WMAX, fused);
  if (WMAX == 4 && j + 2 * L <= j1) _matmulBlock<T>(a, b, c, k, m, i, j, pb, pe, R, 2, fused), j += 2 * L;
  if (j + L <= j1) _matmulBlock<T>(a, b, c, k, m, i, j, pb, pe, R, 1, fused), j += L;
  for (; j < j1; j++) _matmulBlock<T>(a, b, c, k, m, i, j, pb, pe, R, 0, fused);
}

/**
 * Entries `c[i..i+R, j..]` of {@link matmul} gain rows `pb..pe` of `b`, kept in
 * registers meanwhile. `R` is 2 or 1 rows; `W` is 4, 2 or 1 vectors, or 0 (a
 * single column, in lane 0).
 */
// @ts-ignore: decorator
@inline function _matmulBlock<T>(a: usize, b: usize, c: usize, k: i32, m: i32, i: i32, j: i32, pb: i32, pe: i32, R: i32, W: i32, fused: bool): void {
  const zero = v128.splat<T>(0);
  const rowC = <usize>m << alignof<T>(), rowA = <usize>k << alignof<T>();
  const c0 = at<T>(c, i * m + j), c1 = c0 + rowC;
  // The block of c: s<row><vector>.
  let s00 = W == 0 ? _loadSplat<T>(c0) : v128.load(c0);
  let s01 = W >= 2 ? v128.load(c0, 16) : zero, s02 = W == 4 ? v128.load(c0, 32) : zero, s03 = W == 4 ? v128.load(c0, 48) : zero;
  let s10 = R == 1 ? zero : W == 0 ? _loadSplat<T>(c1) : v128.load(c1);
  let s11 = R == 2 && W >= 2 ? v128.load(c1, 16) : zero;
  let s12 = R == 2 && W == 4 ? v128.load(c1, 32) : zero, s13 = R == 2 && W == 4 ? v128.load(c1, 48) : zero;
  let ap = at<T>(a, i * k + pb), bp = at<T>(b, pb * m + j);
  for (let p = pb; p < pe; p++) {
    const y0 = W == 0 ? _loadSplat<T>(bp) : v128.load(bp), y1 = W >= 2 ? v128.load(bp, 16) : zero;
    const y2 = W == 4 ? v128.load(bp, 32) : zero, y3 = W == 4 ? v128.load(bp, 48) : zero;
    const x = _loadSplat<T>(ap);
    s00 = madd<T>(x, y0, s00, fused);
    if (W >= 2) s01 = madd<T>(x, y1, s01, fused);
    if (W == 4) s02 = madd<T>(x, y2, s02, fused), s03 = madd<T>(x, y3, s03, fused);
    if (R == 2) {
      const z = _loadSplat<T>(ap + rowA);
      s10 = madd<T>(z, y0, s10, fused);
      if (W >= 2) s11 = madd<T>(z, y1, s11, fused);
      if (W == 4) s12 = madd<T>(z, y2, s12, fused), s13 = madd<T>(z, y3, s13, fused);
    }
    ap += sizeof<T>();
    bp += rowC;
  }
  _storeC<T>(c0, s00, s01, s02, s03, W);
  if (R == 2) _storeC<T>(c1, s10, s11, s12, s13, W);
}

/** Stores a block row of `c`: `W` vectors, or (`W == 0`) lane 0 alone. */
// @ts-ignore: decorator
@inline function _storeC<T>(ptr: usize, s0: v128, s1: v128, s2: v128, s3: v128, W: i32): void {
  if (W == 0) {
    store<T>(ptr, v128.extract_lane<T>(s0, 0));
    return;
  }
  v128.store(ptr, s0);
  if (W >= 2) v128.store(ptr, s1, 16);
  if (W == 4) v128.store(ptr, s2, 32), v128.store(ptr, s3, 48);
}

/**
 * `aT (k, nPad)`: `a (n, k)` transposed, its rows padded with zeros to `nPad`,
 * a multiple of two vectors. {@link matmulTransB} reads it; it is small (the
 * gradient `dZ`), so the copy costs little.
 */
// @ts-ignore: decorator
@inline function transposePad<T>(a: usize, aT: usize, n: i32, k: i32, nPad: i32): void {
  for (let p = 0; p < k; p++) {
    const row = at<T>(aT, p * nPad);
    for (let i = 0; i < n; i++) store<T>(at<T>(row, i), load<T>(at<T>(a, i * k + p)));
    for (let i = n; i < nPad; i++) store<T>(at<T>(row, i), <T>0);
  }
}

/**
 * Columns `j0..j1` of `c (n, m) = a (n, k) @ b (m, k)ᵀ`, from `aT`, made by
 * {@link transposePad}.
 *
 * Entry `c[i, j]` is the dot product of row `i` of `a` and row `j` of `b`,
 * summed in the plain order `p = 0, 1, ..., k - 1` as in `lib/kernels.ts`.
 * Vectors run down a column of `c` (rows `i..i+2L` at a time), against four
 * rows `j..j+3` of `b`, each value of `b` broadcast to a whole vector.
 */
// @ts-ignore: decorator
@inline function matmulTransB<T>(aT: usize, b: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32, fused: bool): void {
  const L = lanes<T>();
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    const y0 = at<T>(b, j * k), y1 = at<T>(b, (j + 1) * k), y2 = at<T>(b, (j + 2) * k), y3 = at<T>(b, (j + 3) * k);
    for (let i = 0; i < nPad; i += 2 * L) {
      let s00 = v128.splat<T>(0), s01 = s00, s02 = s00, s03 = s00;
      let s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (let p = 0; p < k; p++) {
        const u = at<T>(aT, p * nPad + i), o = <usize>p << alignof<T>();
        const u0 = v128.load(u), u1 = v128.load(u, 16);
        const v0 = _loadSplat<T>(y0 + o), v1 = _loadSplat<T>(y1 + o);
        const v2 = _loadSplat<T>(y2 + o), v3 = _loadSplat<T>(y3 + o);
        s00 = madd<T>(u0, v0, s00, fused), s01 = madd<T>(u0, v1, s01, fused);
        s02 = madd<T>(u0, v2, s02, fused), s03 = madd<T>(u0, v3, s03, fused);
        s10 = madd<T>(u1, v0, s10, fused), s11 = madd<T>(u1, v1, s11, fused);
        s12 = madd<T>(u1, v2, s12, fused), s13 = madd<T>(u1, v3, s13, fused);
      }
      _storeColumn<T>(c, s00, i, j, n, m), _storeColumn<T>(c, s01, i, j + 1, n, m);
      _storeColumn<T>(c, s02, i, j + 2, n, m), _storeColumn<T>(c, s03, i, j + 3, n, m);
      _storeColumn<T>(c, s10, i + L, j, n, m), _storeColumn<T>(c, s11, i + L, j + 1, n, m);
      _storeColumn<T>(c, s12, i + L, j + 2, n, m), _storeColumn<T>(c, s13, i + L, j + 3, n, m);
    }
  }
  // The last rows of b, one at a time.
  for (; j < j1; j++) {
    const y0 = at<T>(b, j * k);
    for (let i = 0; i < nPad; i += L) {
      let s = v128.splat<T>(0);
      for (let p = 0; p < k; p++) {
        s = madd<T>(v128.load(at<T>(aT, p * nPad + i)), _loadSplat<T>(at<T>(y0, p)), s, fused);
      }
      _storeColumn<T>(c, s, i, j, n, m);
    }
  }
}

/** Stores the vector `s` as entries `c[i.., j]` of a column, leaving out rows `>= n` (padding). */
// @ts-ignore: decorator
@inline function _storeColumn<T>(c: usize, s: v128, i: i32, j: i32, n: i32, m: i32): void {
  if (i < n) store<T>(at<T>(c, i * m + j), v128.extract_lane<T>(s, 0));
  if (i + 1 < n) store<T>(at<T>(c, (i + 1) * m + j), v128.extract_lane<T>(s, 1));
  if (sizeof<T>() == 4) {
    if (i + 2 < n) store<T>(at<T>(c, (i + 2) * m + j), v128.extract_lane<T>(s, 2));
    if (i + 3 < n) store<T>(at<T>(c, (i + 3) * m + j), v128.extract_lane<T>(s, 3));
  }
}

/**
 * Columns `j0..j1` of `c (n, m) = a (k, n)ᵀ @ b (k, m)`: row `i` of `c` gains
 * `a[p, i] * (row p of b)` for `p = 0, 1, ..., k - 1`, as in `lib/kernels.ts`.
 */
// @ts-ignore: decorator
@inline function matmulTransA<T>(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32, fused: bool): void {
  const L = lanes<T>();
  for (let i = 0; i < n; i++) memory.fill(at<T>(c, i * m + j0), 0, <usize>(j1 - j0) << alignof<T>());
  for (let p = 0; p < k; p++) {
    const y = at<T>(b, p * m);
    for (let i = 0; i < n; i++) {
      const x = load<T>(at<T>(a, p * n + i)), xv = v128.splat<T>(x), c0 = at<T>(c, i * m);
      let j = j0;
      for (; j + L <= j1; j += L) {
        const o = <usize>j << alignof<T>();
        v128.store(c0 + o, madd<T>(xv, v128.load(y + o), v128.load(c0 + o), fused));
      }
      for (; j < j1; j++) store<T>(at<T>(c0, j), maddScalar<T>(x, load<T>(at<T>(y, j)), load<T>(at<T>(c0, j)), fused));
    }
  }
}

// The exported kernels: one per product, element type and rounding.

export function matmulF64(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f64>(a, b, c, n, k, m, j0, j1, false);
}
export function matmulF64Fused(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f64>(a, b, c, n, k, m, j0, j1, true);
}
export function matmulF32(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f32>(a, b, c, n, k, m, j0, j1, false);
}
export function matmulF32Fused(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f32>(a, b, c, n, k, m, j0, j1, true);
}

export function transposePadF64(a: usize, aT: usize, n: i32, k: i32, nPad: i32): void {
  transposePad<f64>(a, aT, n, k, nPad);
}
export function transposePadF32(a: usize, aT: usize, n: i32, k: i32, nPad: i32): void {
  transposePad<f32>(a, aT, n, k, nPad);
}

export function matmulTransBF64(aT: usize, b: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f64>(aT, b, c, n, k, m, nPad, j0, j1, false);
}
export function matmulTransBF64Fused(aT: usize, b: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f64>(aT, b, c, n, k, m, nPad, j0, j1, true);
}
export function matmulTransBF32(aT: usize, b: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f32>(aT, b, c, n, k, m, nPad, j0, j1, false);
}
export function matmulTransBF32Fused(aT: usize, b: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f32>(aT, b, c, n, k, m, nPad, j0, j1, true);
}

export function matmulTransAF64(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmulTransA<f64>(a, b, c, n, k, m, j0, j1, false);
}
export function matmulTransAF64Fused(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmulTransA<f64>(a, b, c, n, k, m, j0, j1, true);
}
export function matmulTransAF32(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmulTransA<f32>(a, b, c, n, k, m, j0, j1, false);
}
export function matmulTransAF32Fused(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmulTransA<f32>(a, b, c, n, k, m, j0, j1, true);
}
