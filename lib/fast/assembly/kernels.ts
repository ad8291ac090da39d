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

/** Vectors across a panel of `b` (see {@link matmul}), kept in registers by {@link _panelBlock}. */
const W = 2;
/** Rows of `a` and `c` that {@link _panelBlock} takes at a time. */
const ROWS = 5;

/** Columns of `b` in one panel: {@link W} vectors of `T`. */
// @ts-ignore: decorator
@inline function panelWidth<T>(): i32 {
  return W * lanes<T>();
}

/**
 * Columns `j0..j1` of `c (n, m) = a (n, k) @ b (k, m)`, from `bp`: `b` packed
 * in panels (`pack` in `backend.ts`), its columns cut into panels of
 * {@link panelWidth}, each stored as one `(k, panelWidth)` block, row after
 * row, the last padded with zeros; `j0` is a multiple of {@link panelWidth}.
 * Each panel is read in one straight sweep, instead of a jump of a whole row
 * of `b` between reads (the training set `X` never changes, so the backend
 * packs it once).
 *
 * Each entry is summed in the plain order `p = 0, 1, ..., k - 1`, as in
 * `matmulKernel` of `lib/kernels.ts`: a piece of `c`, {@link ROWS} rows by one
 * panel, stays in registers while `p` runs (vectors run along the rows of the
 * panel and of `c`).
 */
// @ts-ignore: decorator
@inline function matmul<T>(a: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, j0: i32, j1: i32, fused: bool): void {
  const w = panelWidth<T>();
  for (let j = j0; j < j1; j += w) {
    const panel = at<T>(bp, (j / w) * k * w), width = min(w, m - j);
    let i = 0;
    for (; i + ROWS <= n; i += ROWS) _panelBlock<T>(a, panel, c, k, m, i, j, width, ROWS, fused);
    const left = n - i;
    if (left == 4) _panelBlock<T>(a, panel, c, k, m, i, j, width, 4, fused);
    else if (left == 3) _panelBlock<T>(a, panel, c, k, m, i, j, width, 3, fused);
    else if (left == 2) _panelBlock<T>(a, panel, c, k, m, i, j, width, 2, fused);
    else if (left == 1) _panelBlock<T>(a, panel, c, k, m, i, j, width, 1, fused);
  }
}

/**
 * Entries `c[i..i+R, j..j+width]` of {@link matmul}, kept in registers while
 * `p` runs: `s<row><vector>`, `R` rows (1 to {@link ROWS}) of {@link W}
 * vectors.
 */
// @ts-ignore: decorator
@inline function _panelBlock<T>(a: usize, panel: usize, c: usize, k: i32, m: i32, i: i32, j: i32, width: i32, R: i32, fused: bool): void {
  const rowA = <usize>k << alignof<T>(), zero = v128.splat<T>(0);
  let s00 = zero, s01 = zero, s10 = zero, s11 = zero, s20 = zero, s21 = zero;
  let s30 = zero, s31 = zero, s40 = zero, s41 = zero;
  let ap = at<T>(a, i * k), bp = panel;
  for (let p = 0; p < k; p++) {
    const y0 = v128.load(bp), y1 = v128.load(bp, 16);
    const x0 = _loadSplat<T>(ap);
    s00 = madd<T>(x0, y0, s00, fused), s01 = madd<T>(x0, y1, s01, fused);
    if (R >= 2) {
      const x1 = _loadSplat<T>(ap + rowA);
      s10 = madd<T>(x1, y0, s10, fused), s11 = madd<T>(x1, y1, s11, fused);
    }
    if (R >= 3) {
      const x2 = _loadSplat<T>(ap + 2 * rowA);
      s20 = madd<T>(x2, y0, s20, fused), s21 = madd<T>(x2, y1, s21, fused);
    }
    if (R >= 4) {
      const x3 = _loadSplat<T>(ap + 3 * rowA);
      s30 = madd<T>(x3, y0, s30, fused), s31 = madd<T>(x3, y1, s31, fused);
    }
    if (R >= 5) {
      const x4 = _loadSplat<T>(ap + 4 * rowA);
      s40 = madd<T>(x4, y0, s40, fused), s41 = madd<T>(x4, y1, s41, fused);
    }
    ap += sizeof<T>();
    bp += 16 * W;
  }
  const rowC = <usize>m << alignof<T>(), c0 = at<T>(c, i * m + j);
  _storeRow<T>(c0, s00, s01, width);
  if (R >= 2) _storeRow<T>(c0 + rowC, s10, s11, width);
  if (R >= 3) _storeRow<T>(c0 + 2 * rowC, s20, s21, width);
  if (R >= 4) _storeRow<T>(c0 + 3 * rowC, s30, s31, width);
  if (R >= 5) _storeRow<T>(c0 + 4 * rowC, s40, s41, width);
}

/** Stores the first `width` entries of a row of {@link _panelBlock}'s block, its vectors `s0, s1`. */
// @ts-ignore: decorator
@inline function _storeRow<T>(ptr: usize, s0: v128, s1: v128, width: i32): void {
  const L = lanes<T>();
  if (width == W * L) {
    v128.store(ptr, s0), v128.store(ptr, s1, 16);
    return;
  }
  _storeLanes<T>(ptr, s0, width);
  _storeLanes<T>(ptr + 16, s1, width - L);
}

/** Stores the first `count` lanes of `s` (none if `count <= 0`, all if `count >= lanes`). */
// @ts-ignore: decorator
@inline function _storeLanes<T>(ptr: usize, s: v128, count: i32): void {
  if (count > 0) store<T>(ptr, v128.extract_lane<T>(s, 0));
  if (count > 1) store<T>(ptr + sizeof<T>(), v128.extract_lane<T>(s, 1));
  if (sizeof<T>() == 4) {
    if (count > 2) store<T>(ptr + 8, v128.extract_lane<T>(s, 2));
    if (count > 3) store<T>(ptr + 12, v128.extract_lane<T>(s, 3));
  }
}

/**
 * `aT (k, nPad)`: `a (n, k)` transposed, its rows padded with zeros to `nPad`,
 * a multiple of one vector. {@link matmulTransB} reads it; it is small (the
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

/** Rows of `b` (columns of `c`) that {@link _transBBlock} takes at a time. */
const B_ROWS = 5;

/**
 * Columns `j0..j1` of `c (n, m) = a (n, k) @ b (m, k)ᵀ`, from `aT`, made by
 * {@link transposePad}, and `bp`, `b` packed in panels as for {@link matmul}
 * (panels of {@link panelWidth} of its columns, each an `(m, panelWidth)`
 * block).
 *
 * Entry `c[i, j]` is the dot product of row `i` of `a` and row `j` of `b`,
 * summed in the plain order `p = 0, 1, ..., k - 1` as in `lib/kernels.ts`.
 * Vectors run down a column of `c` (rows `i..i+2L` at a time), against
 * {@link B_ROWS} rows `j..` of `b`, each value of `b` broadcast to a whole
 * vector; in a panel, those rows of `b` lie side by side.
 */
// @ts-ignore: decorator
@inline function matmulTransB<T>(aT: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32, fused: bool): void {
  let j = j0;
  for (; j + B_ROWS <= j1; j += B_ROWS) _transBColumns<T>(aT, bp, c, n, k, m, nPad, j, B_ROWS, fused);
  const left = j1 - j;
  if (left == 4) _transBColumns<T>(aT, bp, c, n, k, m, nPad, j, 4, fused);
  else if (left == 3) _transBColumns<T>(aT, bp, c, n, k, m, nPad, j, 3, fused);
  else if (left == 2) _transBColumns<T>(aT, bp, c, n, k, m, nPad, j, 2, fused);
  else if (left == 1) _transBColumns<T>(aT, bp, c, n, k, m, nPad, j, 1, fused);
}

/** Columns `j..j+J` of {@link matmulTransB}'s `c`, all its rows: two vectors of rows at a time, then one. */
// @ts-ignore: decorator
@inline function _transBColumns<T>(aT: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j: i32, J: i32, fused: bool): void {
  const L = lanes<T>();
  let i = 0;
  for (; i + 2 * L <= nPad; i += 2 * L) _transBBlock<T>(aT, bp, c, n, k, m, nPad, i, j, J, 2, fused);
  if (i < nPad) _transBBlock<T>(aT, bp, c, n, k, m, nPad, i, j, J, 1, fused);
}

/**
 * Entries `c[i..i+V*L, j..j+J]` of {@link matmulTransB}, kept in registers
 * while `p` runs: `s<vector><column>`, `V` (1 or 2) vectors down each of `J`
 * (1 to {@link B_ROWS}) columns.
 */
// @ts-ignore: decorator
@inline function _transBBlock<T>(aT: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, i: i32, j: i32, J: i32, V: i32, fused: bool): void {
  const L = lanes<T>(), w = panelWidth<T>(), zero = v128.splat<T>(0);
  const rowAT = <usize>nPad << alignof<T>(), rowB = <usize>w << alignof<T>();
  let s00 = zero, s01 = zero, s02 = zero, s03 = zero, s04 = zero;
  let s10 = zero, s11 = zero, s12 = zero, s13 = zero, s14 = zero;
  // y: entry p of row j of b, in panel p / w; t: p's place in its panel.
  let u = at<T>(aT, i), y = at<T>(bp, j * w), t = 0;
  const nextPanel = (<usize>(m - 1) * w) << alignof<T>();
  for (let p = 0; p < k; p++) {
    {
      const u0 = v128.load(u), u1 = V == 2 ? v128.load(u, 16) : zero;
      const v0 = _loadSplat<T>(y);
      s00 = madd<T>(u0, v0, s00, fused);
      if (V == 2) s10 = madd<T>(u1, v0, s10, fused);
      if (J >= 2) {
        const v1 = _loadSplat<T>(y + rowB);
        s01 = madd<T>(u0, v1, s01, fused);
        if (V == 2) s11 = madd<T>(u1, v1, s11, fused);
      }
      if (J >= 3) {
        const v2 = _loadSplat<T>(y + 2 * rowB);
        s02 = madd<T>(u0, v2, s02, fused);
        if (V == 2) s12 = madd<T>(u1, v2, s12, fused);
      }
      if (J >= 4) {
        const v3 = _loadSplat<T>(y + 3 * rowB);
        s03 = madd<T>(u0, v3, s03, fused);
        if (V == 2) s13 = madd<T>(u1, v3, s13, fused);
      }
      if (J >= 5) {
        const v4 = _loadSplat<T>(y + 4 * rowB);
        s04 = madd<T>(u0, v4, s04, fused);
        if (V == 2) s14 = madd<T>(u1, v4, s14, fused);
      }
      u += rowAT;
      y += sizeof<T>();
      if (++t == w) t = 0, y += nextPanel;
    }
  }
  _storeColumn<T>(c, s00, i, j, n, m);
  if (J >= 2) _storeColumn<T>(c, s01, i, j + 1, n, m);
  if (J >= 3) _storeColumn<T>(c, s02, i, j + 2, n, m);
  if (J >= 4) _storeColumn<T>(c, s03, i, j + 3, n, m);
  if (J >= 5) _storeColumn<T>(c, s04, i, j + 4, n, m);
  if (V == 2) {
    _storeColumn<T>(c, s10, i + L, j, n, m);
    if (J >= 2) _storeColumn<T>(c, s11, i + L, j + 1, n, m);
    if (J >= 3) _storeColumn<T>(c, s12, i + L, j + 2, n, m);
    if (J >= 4) _storeColumn<T>(c, s13, i + L, j + 3, n, m);
    if (J >= 5) _storeColumn<T>(c, s14, i + L, j + 4, n, m);
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

export function matmulTransBF64(aT: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f64>(aT, bp, c, n, k, m, nPad, j0, j1, false);
}
export function matmulTransBF64Fused(aT: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f64>(aT, bp, c, n, k, m, nPad, j0, j1, true);
}
export function matmulTransBF32(aT: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f32>(aT, bp, c, n, k, m, nPad, j0, j1, false);
}
export function matmulTransBF32Fused(aT: usize, bp: usize, c: usize, n: i32, k: i32, m: i32, nPad: i32, j0: i32, j1: i32): void {
  matmulTransB<f32>(aT, bp, c, n, k, m, nPad, j0, j1, true);
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
