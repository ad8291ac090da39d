/**
 * A learner's own photo as the model's input: decode a PNG (with fast-png) or a
 * JPEG (with jpeg-js, turned upright as its EXIF orientation says), make it RGB
 * (alpha composited on white), shrink it to
 * 64x64 (see `resize.ts`), and scale it to one column of 12288 values in [0, 1], in the
 * order `flatten` uses for the dataset.
 *
 * Taught in `notebooks/06_your_own_image.ipynb`.
 *
 * @module
 */

import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from "fast-png";
import jpeg from "jpeg-js";
import { DataError } from "./errors.ts";
import { lModelForward } from "./forward.ts";
import type { Parameters } from "./initialization.ts";
import { Matrix } from "./matrix.ts";
import { resizeImage, type RgbImage } from "./resize.ts";

/** Images whose decoded pixels would need more than this are refused before decoding. */
const MAX_PIXELS = 50_000_000;

function _checkSize(width: number, height: number): void {
  if (width * height > MAX_PIXELS) {
    throw new Error(
      `${width}x${height} pixels is too large: the limit is ${MAX_PIXELS / 1e6} million`,
    );
  }
}

/**
 * Reads a PNG or JPEG file as RGB pixels.
 *
 * @param path the image file
 * @returns its pixels, (height, width, 3)
 * @throws {DataError} naming the file: not found, empty, neither PNG nor JPEG, too large, or undecodable
 * @example
 * ```ts
 * import { loadImage } from "@dnn/lib";
 * import { encodePng } from "./images.ts";
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
    throw DataError.unreadable(path, e);
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
  // The header's size, checked before decoding allocates for it.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24) _checkSize(view.getUint32(16), view.getUint32(20));
  const png = decodePng(bytes);
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
  return _orient({ pixels, height, width }, _exifOrientation(bytes));
}

/**
 * The EXIF orientation of a JPEG (1 to 8; 1 if absent): how a camera says the
 * stored pixels must be turned to be seen upright.
 */
function _exifOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff;) {
    const marker = bytes[at + 1], length = view.getUint16(at + 2);
    if (marker === 0xda) break; // start of the image data: no EXIF before it
    const exif = at + 4;
    if (marker === 0xe1 && view.getUint32(exif) === 0x45786966 && length >= 16) { // "Exif"
      const tiff = exif + 6, little = view.getUint16(tiff) === 0x4949; // "II"
      const u16 = (i: number) => view.getUint16(i, little),
        u32 = (i: number) => view.getUint32(i, little);
      const ifd = tiff + u32(tiff + 4);
      for (let e = 0, n = u16(ifd); e < n && ifd + 2 + 12 * (e + 1) <= bytes.length; e++) {
        const entry = ifd + 2 + 12 * e;
        if (u16(entry) === 0x0112) {
          const o = u16(entry + 8);
          return o >= 1 && o <= 8 ? o : 1;
        }
      }
      return 1;
    }
    at += 2 + length;
  }
  return 1;
}

/** Turns pixels stored with EXIF orientation `o` upright. */
function _orient(image: RgbImage, o: number): RgbImage {
  if (o === 1) return image;
  const { height: H, width: W } = image, swap = o >= 5;
  const height = swap ? W : H, width = swap ? H : W;
  // For each orientation, where output pixel (y, x) comes from in the stored image.
  const source: Record<number, (y: number, x: number) => [number, number]> = {
    2: (y, x) => [y, W - 1 - x],
    3: (y, x) => [H - 1 - y, W - 1 - x],
    4: (y, x) => [H - 1 - y, x],
    5: (y, x) => [x, y],
    6: (y, x) => [H - 1 - x, y],
    7: (y, x) => [H - 1 - x, W - 1 - y],
    8: (y, x) => [x, W - 1 - y],
  };
  const pixels = new Uint8Array(image.pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sy, sx] = source[o](y, x), from = (sy * W + sx) * 3;
      pixels.set(image.pixels.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { pixels, height, width };
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

/** What the model says of one image. */
export interface ImagePrediction {
  /** The probability of "cat" the model gives. */
  probability: number;
  /** `"cat"` if the probability is above 0.5, else `"non-cat"`. */
  label: "cat" | "non-cat";
}

/**
 * Predicts "cat" or "non-cat" for an image file: decode, resize to the model's
 * 64x64, scale to [0, 1], forward through the network.
 *
 * @param path a PNG or JPEG file
 * @param parameters a trained network taking 64x64x3 = 12288 inputs
 * @returns the probability of "cat" and the label
 * @throws {DataError} naming the file if it cannot be read as an image
 * @throws {TypeError} if the network does not take 12288 inputs
 * @example
 * ```ts
 * import { initializeParametersDeep, predictImage } from "@dnn/lib";
 * import { encodePng } from "./images.ts";
 * import assert from "node:assert/strict";
 *
 * const file = await Deno.makeTempFile({ suffix: ".png" });
 * await Deno.writeFile(file, encodePng(new Uint8Array(100 * 80 * 3).fill(200), 100, 80));
 * const { probability, label } = await predictImage(file, initializeParametersDeep([12288, 3, 1]));
 * assert.ok(probability > 0 && probability < 1);
 * assert.equal(label, probability > 0.5 ? "cat" : "non-cat");
 * ```
 */
export async function predictImage(path: string, parameters: Parameters): Promise<ImagePrediction> {
  const inputs = parameters.W1?.cols;
  if (inputs !== 64 * 64 * 3) {
    throw new TypeError(
      `Cannot predict as the model takes ${inputs} inputs, not 64x64x3 = 12288 pixel values`,
    );
  }
  const x = imageToColumn(resizeImage(await loadImage(path), 64, 64));
  const probability = lModelForward(x, parameters)[0].get(0, 0);
  return { probability, label: probability > 0.5 ? "cat" : "non-cat" };
}
