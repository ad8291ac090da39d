/**
 * Resizing an image as Pillow's `Image.resize(size, Image.BICUBIC)` does, which
 * is what the NumPy course uses for "your own image": a bicubic filter (a = -0.5)
 * widened by the shrink factor, so that every input pixel counts when a large
 * photo becomes 64x64 (no aliasing), applied across the rows, then down the
 * columns, with 8-bit rounding in between.
 *
 * Taught in `notebooks/06_your_own_image.ipynb`.
 *
 * @module
 */

/** An RGB image: pixels of shape (height, width, 3), row-major, values 0 to 255. */
export interface RgbImage {
  /** The pixels, (height, width, 3) row-major. */
  pixels: Uint8Array;
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
}

/** The bicubic kernel with a = -0.5: 1 at 0, 0 at every other integer, 0 beyond 2. */
function _bicubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Fixed-point precision of the weights, as Pillow's 8-bit resampling. */
const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;

/** For each output index: the first input index and the fixed-point weights of the inputs it reads. */
function _coefficients(inSize: number, outSize: number): { first: number; weights: number[] }[] {
  const scale = inSize / outSize, filterScale = Math.max(scale, 1), support = 2 * filterScale;
  return Array.from({ length: outSize }, (_, i) => {
    const center = (i + 0.5) * scale;
    const first = Math.max(0, Math.trunc(center - support + 0.5));
    const last = Math.min(inSize, Math.trunc(center + support + 0.5));
    const raw = [];
    for (let x = first; x < last; x++) raw.push(_bicubic((x - center + 0.5) / filterScale));
    const total = raw.reduce((s, w) => s + w, 0);
    const weights = raw.map((w) => {
      const k = total === 0 ? 0 : w / total;
      return k < 0 ? Math.trunc(-0.5 + k * ONE) : Math.trunc(0.5 + k * ONE);
    });
    return { first, weights };
  });
}

/** One pass: along rows (`horizontal`) or down columns, rounding to 8 bits. */
function _pass(image: RgbImage, size: number, horizontal: boolean): RgbImage {
  const height = horizontal ? image.height : size, width = horizontal ? size : image.width;
  const coefficients = _coefficients(horizontal ? image.width : image.height, size);
  const pixels = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const { first, weights } = coefficients[horizontal ? x : y];
      for (let c = 0; c < 3; c++) {
        let sum = ONE / 2; // rounds to nearest when shifted down
        for (let t = 0; t < weights.length; t++) {
          const at = horizontal
            ? (y * image.width + first + t) * 3 + c
            : ((first + t) * image.width + x) * 3 + c;
          sum += image.pixels[at] * weights[t];
        }
        pixels[(y * width + x) * 3 + c] = Math.min(255, Math.max(0, Math.floor(sum / ONE)));
      }
    }
  }
  return { pixels, height, width };
}

/**
 * Resizes an image as Pillow's bicubic `Image.resize` (antialiased when shrinking).
 *
 * @param image the image, (height, width, 3)
 * @param height the new height (64 for the model)
 * @param width the new width (64 for the model)
 * @returns the resized image
 * @throws {RangeError} if a size is not a positive integer
 * @example
 * ```ts
 * import { resizeImage } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * // a uniform image stays uniform
 * const grey = { pixels: new Uint8Array(10 * 10 * 3).fill(77), height: 10, width: 10 };
 * assert.ok(resizeImage(grey, 4, 4).pixels.every((v) => v === 77));
 * ```
 */
export function resizeImage(image: RgbImage, height = 64, width = 64): RgbImage {
  for (const [name, n] of [["height", height], ["width", width]] as const) {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(
        `Cannot resize the image as the ${name} must be a positive integer: ${name}=${n}`,
      );
    }
  }
  const across = width === image.width ? image : _pass(image, width, true);
  return height === image.height ? across : _pass(across, height, false);
}
