/**
 * A random number generator that gives NumPy's legacy numbers:
 * `new RandomState(1).randn(3, 2)` equals `np.random.seed(1); np.random.randn(3, 2)`,
 * so our training runs can be checked against NumPy's cost for cost.
 *
 * It is the Mersenne Twister MT19937, seeded as NumPy's `RandomState.seed(int)`
 * seeds it, with NumPy's 53-bit doubles and its legacy polar Box-Muller
 * Gaussian, which makes two values at a time and keeps the second for the next
 * call. The integers and the uniform doubles are NumPy's bit for bit, and so
 * are the Gaussians of `tests/fixtures/numpy_random.json` (2,000 and more). A
 * Gaussian can still differ from NumPy's in its last bit, rarely: it takes a
 * logarithm, and NumPy calls the C library's `log()`, which is not correctly
 * rounded on about one argument in 3,000, where the library's `log` (see
 * `lib/math.ts`) nearly always is. Such a last bit changes no cost of a
 * training run beyond 1e-15 relative.
 *
 * Taught in `notebooks/02_building_blocks.ipynb`.
 *
 * @module
 */

import { log } from "./math.ts";
import { Matrix } from "./matrix.ts";

const _N = 624;
const _M = 397;

/** NumPy's legacy `np.random.RandomState`: MT19937 with its Gaussian. */
export class RandomState {
  #mt = new Uint32Array(_N);
  #index = _N;
  #hasGauss = false;
  #gauss = 0;

  /**
   * Creates a generator seeded with `seed`, as `np.random.RandomState(seed)`.
   *
   * @param seed an integer from 0 to 2³² - 1
   * @throws {RangeError} if the seed is not such an integer
   * @example
   * ```ts
   * import { RandomState } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * // np.random.seed(1); np.random.rand() == 0.417022004702574
   * assert.equal(new RandomState(1).random(), 0.417022004702574);
   * ```
   */
  constructor(seed: number) {
    this.seed(seed);
  }

  /**
   * Reseeds the generator, as `np.random.seed(seed)`, and forgets any kept Gaussian.
   *
   * @param seed an integer from 0 to 2³² - 1
   * @throws {RangeError} if the seed is not such an integer
   */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(
        `Cannot seed the generator as the seed must be an integer from 0 to 2^32 - 1: seed=${seed}`,
      );
    }
    const mt = this.#mt;
    mt[0] = seed;
    for (let i = 1; i < _N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to float64.
      mt[i] = Math.imul(1812433253, prev) + i;
    }
    this.#index = _N;
    this.#hasGauss = false;
    this.#gauss = 0;
  }

  /** The next 32-bit output of MT19937, as an unsigned integer. */
  nextUint32(): number {
    const mt = this.#mt;
    if (this.#index >= _N) {
      for (let i = 0; i < _N; i++) {
        const y = (mt[i] & 0x80000000) | (mt[(i + 1) % _N] & 0x7fffffff);
        mt[i] = mt[(i + _M) % _N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.#index = 0;
    }
    let y = mt[this.#index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits, as `np.random.rand()`.
   *
   * @example
   * ```ts
   * import { RandomState } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * const u = new RandomState(0).random();
   * assert.ok(u >= 0 && u < 1);
   * ```
   */
  random(): number {
    const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A standard normal value, as `np.random.randn()`: NumPy's legacy polar
   * Box-Muller method, which keeps its second value for the next call.
   *
   * @example
   * ```ts
   * import { RandomState } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * // np.random.seed(1); np.random.randn() == 1.6243453636632417
   * assert.equal(new RandomState(1).gauss(), 1.6243453636632417);
   * ```
   */
  gauss(): number {
    if (this.#hasGauss) {
      this.#hasGauss = false;
      return this.#gauss;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt(-2 * log(r2) / r2);
    this.#gauss = f * x1;
    this.#hasGauss = true;
    return f * x2;
  }

  /**
   * A `(rows, cols)` matrix of standard normal values filled row by row, as
   * `np.random.randn(rows, cols)`.
   *
   * @param rows number of rows
   * @param cols number of columns
   * @returns a new matrix, shape (rows, cols)
   * @example
   * ```ts
   * import { RandomState } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * const W = new RandomState(1).randn(2, 3);
   * assert.deepEqual(W.shape, [2, 3]);
   * assert.equal(W.get(0, 0), 1.6243453636632417);
   * ```
   */
  randn(rows: number, cols: number): Matrix {
    const out = new Matrix(rows, cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = this.gauss();
    return out;
  }
}
