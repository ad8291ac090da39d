/**
 * `exp` and `log` that give the same numbers on every JavaScript engine.
 *
 * `Math.exp` and `Math.log` are not the same everywhere: the language leaves
 * their last bit to the engine. On 100,000 arguments from -15 to 15, Chromium's
 * (which are the C library's) and Deno 2.9's differ in the last bit on 57
 * (`exp`) and 37 (`log`). A sigmoid or a cost that differs in its last bit
 * makes two training runs drift apart after a few hundred iterations, and the
 * course promises the same costs in Deno and in a browser. So the library
 * computes the two itself, with nothing but `+`, `-`, `*`, `/` and exact
 * scalings by powers of 2, which IEEE 754 defines to the bit: the same
 * arguments give the same results on any engine.
 *
 * Both use Tang's method: the argument is reduced to a small one by a table
 * built when the module loads (`2^(j/64)` for `exp`, `log(1 + j/128)` for
 * `log`, each held as a sum of two doubles), and a short polynomial does the
 * rest, with the rounding errors of the big terms kept (Knuth's two-sum and
 * Dekker's two-product). They give the correctly rounded result nearly always
 * (measured: all but 10 of 300,000 arguments for `exp`, all for `log`), and are
 * within one unit in the last place always: `lib/math_test.ts` checks them
 * against Python's `decimal` at 60 digits.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`, beside the sigmoid.
 *
 * @module
 */

// ---------------------------------------------------------------- exact steps

/** Dekker's split: hi + lo = a, each with at most 26 significant bits. */
function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}

/** The rounding error of `a * b`: a * b = fl(a * b) + twoProductError(a, b, fl(a * b)), exactly. */
function twoProductError(a: number, b: number, p: number): number {
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** The rounding error of `a + b`: a + b = fl(a + b) + twoSumError(a, b, fl(a + b)), exactly. */
function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** A number held as hi + lo, with |lo| at most half a unit in hi's last place. */
type Double2 = [hi: number, lo: number];

function normalize(hi: number, lo: number): Double2 {
  const s = hi + lo;
  return [s, lo - (s - hi)];
}

function mul2([ah, al]: Double2, [bh, bl]: Double2): Double2 {
  const p = ah * bh;
  return normalize(p, twoProductError(ah, bh, p) + (ah * bl + al * bh));
}

function add2([ah, al]: Double2, [bh, bl]: Double2): Double2 {
  const s = ah + bh;
  return normalize(s, twoSumError(ah, bh, s) + al + bl);
}

/** (ah + al) / b, for a double b. */
function div2([ah, al]: Double2, b: number): Double2 {
  const q = ah / b;
  const p = q * b;
  return normalize(q, ((ah - p) - twoProductError(q, b, p) + al) / b);
}

const _bits = new DataView(new ArrayBuffer(8));

/** 2^k, exactly, for an integer k from -1022 to 1023. */
function pow2(k: number): number {
  _bits.setUint32(0, (k + 1023) << 20);
  _bits.setUint32(4, 0);
  return _bits.getFloat64(0);
}

// ------------------------------------------------------------------- constants

/** ln 2 = LN2_HI + LN2_LO + LN2_LO2 to about 150 bits; LN2_HI has 32 significant bits. */
const LN2_HI = 0.6931471806019545;
const LN2_LO = -4.2009150726810846e-11;
const LN2_LO2 = -1.3124698417785255e-27;
const LN2: Double2 = normalize(LN2_HI, LN2_LO);

/** exp's table: 2^(j/64) for j = 0 .. 63, each hi + lo, built by a Taylor series in hi + lo. */
const EXP_TABLE: Double2[] = (() => {
  const x = div2(LN2, 64); // ln 2 / 64, |x| < 0.011
  let term: Double2 = [1, 0], sum: Double2 = [1, 0];
  for (let n = 1; n <= 14; n++) { // the 15th term is below 1e-38
    term = div2(mul2(term, x), n);
    sum = add2(sum, term);
  }
  const table: Double2[] = [[1, 0]];
  for (let j = 1; j < 64; j++) table.push(mul2(table[j - 1], sum));
  return table;
})();

/** log's table: log(1 + j/128) for j = -38 .. 53, at index j + 38, each hi + lo. */
const LOG_TABLE: Double2[] = (() => {
  const table: Double2[] = [];
  for (let j = -38; j <= 53; j++) {
    // log(c) = 2 atanh(f) = 2 (f + f³/3 + f⁵/5 + ...), f = (c - 1) / (c + 1), |f| < 0.18
    const f = div2([j, 0], 256 + j); // (c - 1) / (c + 1) with c = 1 + j/128, both exact
    const f2 = mul2(f, f);
    let power = f, sum = f;
    for (let k = 1; k <= 24; k++) { // f^49 / 49 is below 1e-38
      power = mul2(power, f2);
      sum = add2(sum, div2(power, 2 * k + 1));
    }
    table.push([2 * sum[0], 2 * sum[1]]);
  }
  return table;
})();

// ------------------------------------------------------------------------- exp

/**
 * e^x, the same on every engine, correctly rounded nearly always and within
 * one unit in the last place.
 *
 * @param x any number
 * @returns e^x: `Infinity` above 709.78, 0 below -745.14, `NaN` for `NaN`
 * @example
 * ```ts
 * import { exp } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exp(0), 1);
 * assert.equal(exp(1), 2.718281828459045); // Math.E
 * assert.equal(exp(-Infinity), 0);
 * ```
 */
export function exp(x: number): number {
  if (!(x > -746 && x < 710)) return x !== x ? NaN : x > 0 ? Infinity : 0;
  // x = (64 m + j) ln2/64 + r with |r| <= ln2/128: e^x = 2^m 2^(j/64) e^r.
  const k = Math.round(x * 92.33248261689366); // 64 / ln 2 // |k| < 2^17
  const j = k & 63, m = (k - j) / 64;
  // r = x - k ln2/64 as R + rl: k LN2_HI/64 is exact (32 + 17 bits), and so is x minus it.
  const rh = x - k * (LN2_HI / 64), t = k * (LN2_LO / 64);
  const R = rh - t;
  const rl = twoSumError(rh, -t, R) - twoProductError(k, LN2_LO / 64, t) - k * (LN2_LO2 / 64);
  // e^r - 1 = R + q, |R| < 0.0055: R^7/7! is below 2^-66 of the result.
  const q = rl + R * R * (1 / 2 + R * (1 / 6 + R * (1 / 24 + R * (1 / 120 + R * (1 / 720)))));
  // 2^(j/64) e^r = T (1 + R + q), with the big product and sum kept exact.
  const [Th, Tl] = EXP_TABLE[j];
  const p = Th * R;
  const s = Th + p;
  const y = s + (twoSumError(Th, p, s) + twoProductError(Th, R, p) + Tl + Tl * R + Th * q);
  if (m > 1023) return y * pow2(1023) * pow2(m - 1023);
  if (m < -1021) return y * pow2(m + 1000) * pow2(-1000);
  return y * pow2(m);
}

// ------------------------------------------------------------------------- log

/**
 * The natural logarithm of x, the same on every engine, correctly rounded
 * nearly always and within one unit in the last place.
 *
 * @param x any number
 * @returns ln x: `-Infinity` for 0, `NaN` below 0 or for `NaN`
 * @example
 * ```ts
 * import { log } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.equal(log(1), 0);
 * assert.equal(log(2), 0.6931471805599453); // Math.LN2
 * assert.equal(log(0), -Infinity);
 * ```
 */
export function log(x: number): number {
  if (!(x > 0 && x < Infinity)) return x === 0 ? -Infinity : x === Infinity ? Infinity : NaN;
  // x = 2^e c (1 + u) with c = 1 + j/128 near x's mantissa: log x = e ln2 + log c + log(1 + u).
  let e = 0;
  if (x < 2 ** -1022) {
    x *= 2 ** 54;
    e = -54;
  }
  _bits.setFloat64(0, x);
  const high = _bits.getUint32(0);
  e += (high >>> 20) - 1023;
  _bits.setUint32(0, (high & 0xfffff) | (1023 << 20));
  let mantissa = _bits.getFloat64(0); // in [1, 2)
  if (mantissa > 1.4142135623730951) { // √2
    mantissa /= 2;
    e += 1;
  } // now in [0.7071, 1.4143)
  const j = Math.round((mantissa - 1) * 128), c = 1 + j / 128;
  const t = mantissa - c; // exact, |t| <= 1/256
  // u = t / c as uh + ul
  const uh = t / c, p = uh * c;
  const ul = ((t - p) - twoProductError(uh, c, p)) / c;
  // log(1 + u) = uh - uh²/2 + uh³/3 - ... + ul (1 - uh); |uh| < 0.0056, uh^10/10 is below 2^-68 of it.
  const sq = uh * uh, sqError = twoProductError(uh, uh, sq);
  const tail = sq * uh *
    (1 / 3 + uh * (-1 / 4 + uh * (1 / 5 + uh * (-1 / 6 + uh * (1 / 7 + uh * (-1 / 8 + uh / 9))))));
  // Sum the big terms exactly, from the largest: e ln2, log c, uh, -uh²/2.
  const [Ch, Cl] = LOG_TABLE[j + 38];
  const a = e * LN2_HI; // exact: 11 + 32 bits
  const s1 = a + Ch, e1 = twoSumError(a, Ch, s1);
  const s2 = s1 + uh, e2 = twoSumError(s1, uh, s2);
  const s3 = s2 - sq / 2, e3 = twoSumError(s2, -sq / 2, s3);
  return s3 +
    (e1 + e2 + e3 + (e * LN2_LO + e * LN2_LO2) + Cl + ul * (1 - uh) - sqError / 2 + tail);
}
