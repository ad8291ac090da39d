/**
 * A learner's own photo as the model's input: decode a PNG (with fast-png) or a
 * JPEG (with jpeg-js), make it RGB (alpha composited on white), shrink it to
 * 64x64 by averaging the pixels each output pixel covers (so a large photo is
 * not aliased), and scale it to one column of 12288 values in [0, 1], in the
 * order `flatten` uses for the dataset.
 *
 * Taught in `notebooks/06_your_own_image.ipynb`.
 *
 * @module
 */

import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from "fast-png";
import jpeg from "jpeg-js";
import { DataError } from "./errors.ts";
import { Matrix } from "./matrix.ts";

/** An RGB image: pixels of shape (height, width, 3), row-major, values 0 to 255. */
export interface RgbImage {
  /** The pixels, (height, width, 3) row-major. */
  pixels: Uint8Array;
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
}

/** Images whose decoded pixels would need more than this are refused before decoding. */
const MAX_PIXELS = 50_000_000;

/**
 * Reads a PNG or JPEG file as RGB pixels.
 *
 * @param path the image file
 * @returns its pixels, (height, width, 3)
 * @throws {DataError} naming the file: not found, empty, neither PNG nor JPEG, too large, or undecodable
 * @example
 * ```ts
 * import { encodePng, loadImage } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const file = await Deno.makeTempFile({ suffix: ".png" });
 * await Deno.writeFile(file, encodePng(new Uint8Array([255, 0, 0]), 1, 1));
 * assert.deepEqual(await loadImage(file), { pixels: new Uint8Array([255, 0, 0]), height: 1, width: 1 });
 * ```
 */
export async function loadImage(path: string): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new DataError(
      path,
      e instanceof Deno.errors.NotFound ? "file not found" : `cannot read: ${(e as Error).message}`,
    );
  }
  if (bytes.length === 0) throw new DataError(path, "the file is empty");
  try {
    if (hasPngSignature(bytes)) return _fromPng(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return _fromJpeg(bytes);
  } catch (e) {
    throw new DataError(path, `cannot decode the image (${(e as Error).message})`);
  }
  throw new DataError(path, "not a PNG or JPEG image");
}

function _fromPng(bytes: Uint8Array): RgbImage {
  const png = decodePng(bytes);
  if (png.width * png.height > MAX_PIXELS) {
    throw new Error(`${png.width}x${png.height} is too large`);
  }
  let data: ArrayLike<number> = png.data, channels = png.channels, max = 2 ** png.depth - 1;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0].length;
    max = 255;
  }
  const { width, height } = png;
  const pixels = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const colour = channels < 3 ? 1 : 3; // grey, or red-green-blue
    const alpha = channels === 2 || channels === 4 ? data[p * channels + colour] / max : 1;
    for (let c = 0; c < 3; c++) {
      const v = data[p * channels + (colour === 1 ? 0 : c)] / max;
      pixels[p * 3 + c] = Math.round(255 * (v * alpha + (1 - alpha))); // on white
    }
  }
  return { pixels, height, width };
}

function _fromJpeg(bytes: Uint8Array): RgbImage {
  const image = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: MAX_PIXELS / 1e6,
  });
  const { width, height, data } = image;
  const pixels = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) pixels.set(data.subarray(p * 4, p * 4 + 3), p * 3);
  return { pixels, height, width };
}

/**
 * Resizes an image by averaging, for each output pixel, the input pixels its
 * area covers (with fractional weights at the edges).
 *
 * @param image the image, (height, width, 3)
 * @param height the new height (64 for the model)
 * @param width the new width (64 for the model)
 * @returns the resized image
 * @example
 * ```ts
 * import { resizeImage } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * // a 1x2 image, black and white, shrinks to one grey pixel
 * const small = resizeImage({ pixels: new Uint8Array([0, 0, 0, 255, 255, 255]), height: 1, width: 2 }, 1, 1);
 * assert.deepEqual(Array.from(small.pixels), [128, 128, 128]);
 * ```
 */
export function resizeImage(image: RgbImage, height = 64, width = 64): RgbImage {
  const rows = _weights(image.height, height), cols = _weights(image.width, width);
  const pixels = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sum = [0, 0, 0];
      for (const [sy, wy] of rows[y]) {
        for (const [sx, wx] of cols[x]) {
          const at = (sy * image.width + sx) * 3, w = wy * wx;
          sum[0] += w * image.pixels[at],
            sum[1] += w * image.pixels[at + 1],
            sum[2] += w * image.pixels[at + 2];
        }
      }
      for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = Math.round(sum[c]);
    }
  }
  return { pixels, height, width };
}

/** For each output index, the input indices it covers and their weights (summing to 1). */
function _weights(from: number, to: number): [number, number][][] {
  const scale = from / to;
  return Array.from({ length: to }, (_, i) => {
    const start = i * scale, end = Math.max((i + 1) * scale, start + 1e-9);
    const out: [number, number][] = [];
    for (let s = Math.floor(start); s < Math.min(Math.ceil(end), from); s++) {
      out.push([s, (Math.min(end, s + 1) - Math.max(start, s)) / (end - start)]);
    }
    return out;
  });
}

/**
 * The model's input for one image: its pixels in (height, width, channel) order
 * divided by 255, as one column, like a column of `flatten`.
 *
 * @param image the image, already resized to the model's size
 * @returns `x`, shape (height * width * 3, 1)
 * @example
 * ```ts
 * import { imageToColumn } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const x = imageToColumn({ pixels: new Uint8Array([255, 0, 51]), height: 1, width: 1 });
 * assert.deepEqual(x.toArray(), [[1], [0], [0.2]]);
 * ```
 */
export function imageToColumn(image: RgbImage): Matrix {
  return new Matrix(image.pixels.length, 1, Float64Array.from(image.pixels, (v) => v / 255));
}
