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

/**
 * `k` rounded up to an even number: the rows of `a` and `b` as packed for
 * {@link matmul}, which pads an odd `k` with a row of zeros in both. The step
 * it adds to each sum adds `0 * 0 = +0`, which changes no sum: a sum that
 * starts at `+0` is never `-0`, and `s + 0` is `s` for every other `s`,
 * infinities and NaN included; fused, `s + 0 * 0` is `s` as well.
 */
// @ts-ignore: decorator
@inline function evenRows(k: i32): i32 {
  return (k + 1) & ~1;
}

/**
 * The shape of the block of `c` that {@link matmul} keeps in registers: 5 rows
 * of `a` and `c` by 2 vectors across a panel of `b`, for `A @ B` (in the
 * course `W1 @ X`) and `A @ Bᵀ` (`dZ1 @ Xᵀ`) alike. Ten sums, the panel's two
 * vectors and one of `a`: 13 of the 16 vector registers of x86-64, of which V8
 * keeps one for itself. Blocks of twelve sums (4 by 3, 6 by 2, 3 by 4) ran
 * slower in V8 on AMD Zen 4 (about 14.4 GFLOP/s on one thread, operands in the
 * cache, against 19.6), as if their loop no longer fitted the registers.
 */
const ROWS = 5, VECTORS = 2;

/**
 * Columns `j0..j1` of `c (n, m) = a (n, k) @ b (k, m)`, from `ap`, `a` packed
 * in blocks of rows (`packRows` in `backend.ts`), and `bp`, `b` packed in
 * panels (`pack` in `backend.ts`).
 *
 * `a`'s rows are cut into blocks of `R` (the last of `n % R`), each stored
 * column after column: entry `(i, p)` of a block of `rows` rows at `p * rows +
 * i`, so that one step of the loop reads its `R` entries side by side. `b`'s
 * columns are cut into panels of 2 vectors, each stored as one `(k, 2 * lanes)`
 * block, row after row, the last padded with zeros; `j0` is a multiple of the
 * panel's width. Both have `evenRows(k)` rows, see {@link evenRows}. Each
 * panel is read in one straight sweep, instead of a jump of a whole row of `b`
 * between reads (the training set `X` never changes, so the backend packs it
 * once, and packs `Xᵀ` once for `A @ Xᵀ`, which this loop computes as
 * `A @ (Xᵀ)`).
 *
 * Each entry is summed in the plain order `p = 0, 1, ..., k - 1`, as in
 * `matmulKernel` of `lib/kernels.ts`: a piece of `c`, `R` rows by one panel,
 * stays in registers while `p` runs (vectors run along the rows of the panel
 * and of `c`).
 */
// @ts-ignore: decorator
@inline function matmul<T>(ap: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32, R: i32, fused: bool): void {
  const w = VECTORS * lanes<T>(), kp = evenRows(k);
  for (let j = j0; j < j1; j += w) {
    const panel = at<T>(bp, (j / w) * kp * w), width = min(w, m - j);
    let i = 0;
    for (; i + R <= n; i += R) _panelBlock<T>(at<T>(ap, i * kp), panel, c, k, m, i, j, width, R, fused);
    // fewer than R rows left, packed as a block of their own
    const left = n - i, block = at<T>(ap, i * kp);
    if (R > 4 && left == 4) _panelBlock<T>(block, panel, c, k, m, i, j, width, 4, fused);
    else if (left == 3) _panelBlock<T>(block, panel, c, k, m, i, j, width, 3, fused);
    else if (left == 2) _panelBlock<T>(block, panel, c, k, m, i, j, width, 2, fused);
    else if (left == 1) _panelBlock<T>(block, panel, c, k, m, i, j, width, 1, fused);
  }
}

/**
 * Entries `c[i..i+R, j..j+width]` of {@link matmul}, kept in registers while
 * `p` runs: `s<row><vector>`, `R` rows (1 to 5) of 2 vectors, from
 * `block`, the `R` rows of `a` packed side by side.
 *
 * The loop takes two steps a turn, over the packed operands' even number of
 * rows (see {@link evenRows}): so written, V8 compiles it into a loop faster
 * than a loop of one step, for the same instructions of each step (on AMD Zen
 * 4, 19.6 GFLOP/s on one thread, operands in the cache, against 17.9).
 */
// @ts-ignore: decorator
@inline function _panelBlock<T>(block: usize, panel: usize, c: usize, k: i32, m: i32, i: i32, j: i32, width: i32, R: i32, fused: bool): void {
  const zero = v128.splat<T>(0), S = <usize>sizeof<T>();
  let s00 = zero, s01 = zero, s10 = zero, s11 = zero, s20 = zero, s21 = zero;
  let s30 = zero, s31 = zero, s40 = zero, s41 = zero;
  const stepA = <usize>R * S, stepB = <usize>(16 * VECTORS);
  const end = panel + <usize>evenRows(k) * stepB;
  let ap = block, bp = panel;
  while (bp < end) {
    for (let t = 0; t < 2; t++) {
      const y0 = v128.load(bp), y1 = v128.load(bp, 16);
      const x0 = _loadSplat<T>(ap);
      s00 = madd<T>(x0, y0, s00, fused), s01 = madd<T>(x0, y1, s01, fused);
      if (R >= 2) {
        const x1 = _loadSplat<T>(ap + S);
        s10 = madd<T>(x1, y0, s10, fused), s11 = madd<T>(x1, y1, s11, fused);
      }
      if (R >= 3) {
        const x2 = _loadSplat<T>(ap + 2 * S);
        s20 = madd<T>(x2, y0, s20, fused), s21 = madd<T>(x2, y1, s21, fused);
      }
      if (R >= 4) {
        const x3 = _loadSplat<T>(ap + 3 * S);
        s30 = madd<T>(x3, y0, s30, fused), s31 = madd<T>(x3, y1, s31, fused);
      }
      if (R >= 5) {
        const x4 = _loadSplat<T>(ap + 4 * S);
        s40 = madd<T>(x4, y0, s40, fused), s41 = madd<T>(x4, y1, s41, fused);
      }
      ap += stepA;
      bp += stepB;
    }
  }
  const rowC = <usize>m << alignof<T>(), c0 = at<T>(c, i * m + j);
  _storeRow<T>(c0, s00, s01, width);
  if (R >= 2) _storeRow<T>(c0 + rowC, s10, s11, width);
  if (R >= 3) _storeRow<T>(c0 + 2 * rowC, s20, s21, width);
  if (R >= 4) _storeRow<T>(c0 + 3 * rowC, s30, s31, width);
  if (R >= 5) _storeRow<T>(c0 + 4 * rowC, s40, s41, width);
}

/**
 * Copies `a (n, k)` from `src`, row by row, to `dst` packed as {@link matmul}
 * reads it: blocks of {@link ROWS} rows (the last of `n % 5`), each column
 * after column, padded with a column of zeros when `k` is odd (`packRows` in `backend.ts`
 * does the same in TypeScript, for the large operands it keeps).
 */
// @ts-ignore: decorator
@inline function packRows<T>(src: usize, dst: usize, n: i32, k: i32): void {
  const R = ROWS;
  const S = <usize>sizeof<T>(), row = <usize>k * S;
  let o = dst, i = 0;
  // Blocks of 5 rows (R is 5), their entries read and written without a loop over the rows.
  for (; i + R <= n; i += R) {
    const end = at<T>(src, i * k + k);
    for (let from = at<T>(src, i * k); from < end; from += S, o += 5 * S) {
      store<T>(o, load<T>(from));
      store<T>(o + S, load<T>(from + row));
      store<T>(o + 2 * S, load<T>(from + 2 * row));
      store<T>(o + 3 * S, load<T>(from + 3 * row));
      store<T>(o + 4 * S, load<T>(from + 4 * row));
    }
    if (k & 1) {
      memory.fill(o, 0, 5 * S);
      o += 5 * S;
    }
  }
  const rows = n - i;
  if (rows == 0) return;
  for (let p = 0; p < k; p++) {
    let from = at<T>(src, i * k + p);
    for (let r = 0; r < rows; r++, o += S, from += row) store<T>(o, load<T>(from));
  }
  if (k & 1) memory.fill(o, 0, <usize>rows * S);
}

/**
 * Stores the first `width` entries of a row of {@link _panelBlock}'s block,
 * its vectors `s0, s1` (`s1` only if `width` reaches it).
 */
// @ts-ignore: decorator
@inline function _storeRow<T>(ptr: usize, s0: v128, s1: v128, width: i32): void {
  _storeLanes<T>(ptr, s0, width);
  _storeLanes<T>(ptr + 16, s1, width - lanes<T>());
}

/** Stores the first `count` lanes of `s` (none if `count <= 0`, all if `count >= lanes`). */
// @ts-ignore: decorator
@inline function _storeLanes<T>(ptr: usize, s: v128, count: i32): void {
  if (count >= lanes<T>()) {
    v128.store(ptr, s);
    return;
  }
  if (count > 0) store<T>(ptr, v128.extract_lane<T>(s, 0));
  if (count > 1) store<T>(ptr + sizeof<T>(), v128.extract_lane<T>(s, 1));
  if (sizeof<T>() == 4 && count > 2) store<T>(ptr + 8, v128.extract_lane<T>(s, 2));
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

/** Steps of {@link peak} in one unit of work. */
const PEAK_STEPS = 1 << 16;

/**
 * Not a product: the ceiling `deno task bench` measures. Twelve independent
 * chains `s = s * y + x` on vectors, rounded as {@link madd} rounds them in the
 * products (a multiply, then an add, or one fused instruction), `y` and `x`
 * read once from `buf` before the loop: the most multiply-adds a second these
 * instructions can do on one thread, with none of a product's other work (its
 * loads, its addresses, its stores). Each multiply takes the last step's sum,
 * so that no two are the same and none can be moved out of the loop (the
 * compiler had merged twelve equal products `x * y` into one, leaving a loop of
 * adds). Units `j0..j1`, {@link PEAK_STEPS} steps each; the sum goes to entry
 * `j0` of `c`, so that no step can be left out.
 */
// @ts-ignore: decorator
@inline function peak<T>(buf: usize, c: usize, j0: i32, j1: i32, fused: bool): void {
  const y = v128.load(buf), x = v128.load(buf, 16);
  let s0 = x, s1 = x, s2 = x, s3 = x, s4 = x, s5 = x;
  let s6 = x, s7 = x, s8 = x, s9 = x, s10 = x, s11 = x;
  for (let unit = j0; unit < j1; unit++) {
    for (let step = 0; step < PEAK_STEPS; step++) {
      s0 = madd<T>(s0, y, x, fused), s1 = madd<T>(s1, y, x, fused), s2 = madd<T>(s2, y, x, fused);
      s3 = madd<T>(s3, y, x, fused), s4 = madd<T>(s4, y, x, fused), s5 = madd<T>(s5, y, x, fused);
      s6 = madd<T>(s6, y, x, fused), s7 = madd<T>(s7, y, x, fused), s8 = madd<T>(s8, y, x, fused);
      s9 = madd<T>(s9, y, x, fused), s10 = madd<T>(s10, y, x, fused), s11 = madd<T>(s11, y, x, fused);
    }
  }
  const sum = v128.add<T>(
    v128.add<T>(v128.add<T>(v128.add<T>(s0, s1), v128.add<T>(s2, s3)), v128.add<T>(v128.add<T>(s4, s5), v128.add<T>(s6, s7))),
    v128.add<T>(v128.add<T>(s8, s9), v128.add<T>(s10, s11)),
  );
  v128.store(c + (<usize>j0 << 4), sum);
}

// The exported kernels: one per product, element type and rounding.

export function matmulF64(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f64>(a, b, c, n, k, m, j0, j1, ROWS, false);
}
export function matmulF64Fused(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f64>(a, b, c, n, k, m, j0, j1, ROWS, true);
}
export function matmulF32(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f32>(a, b, c, n, k, m, j0, j1, ROWS, false);
}
export function matmulF32Fused(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f32>(a, b, c, n, k, m, j0, j1, ROWS, true);
}

export function matmulTransBF64(a: usize, bT: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f64>(a, bT, c, n, k, m, j0, j1, ROWS, false);
}
export function matmulTransBF64Fused(a: usize, bT: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f64>(a, bT, c, n, k, m, j0, j1, ROWS, true);
}
export function matmulTransBF32(a: usize, bT: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f32>(a, bT, c, n, k, m, j0, j1, ROWS, false);
}
export function matmulTransBF32Fused(a: usize, bT: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32): void {
  matmul<f32>(a, bT, c, n, k, m, j0, j1, ROWS, true);
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

export function packRowsF64(src: usize, dst: usize, n: i32, k: i32): void {
  packRows<f64>(src, dst, n, k);
}
export function packRowsF32(src: usize, dst: usize, n: i32, k: i32): void {
  packRows<f32>(src, dst, n, k);
}

export function peakF64(buf: usize, c: usize, j0: i32, j1: i32): void {
  peak<f64>(buf, c, j0, j1, false);
}
export function peakF64Fused(buf: usize, c: usize, j0: i32, j1: i32): void {
  peak<f64>(buf, c, j0, j1, true);
}
export function peakF32(buf: usize, c: usize, j0: i32, j1: i32): void {
  peak<f32>(buf, c, j0, j1, false);
}
export function peakF32Fused(buf: usize, c: usize, j0: i32, j1: i32): void {
  peak<f32>(buf, c, j0, j1, true);
}
