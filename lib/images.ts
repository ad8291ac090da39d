/**
 * Images for the notebooks: the course's 64x64 RGB pixels encoded as PNG (with
 * fast-png), shown one at a time or as a grid with a caption under each.
 *
 * A grid is shown as an HTML table of PNG images with text captions (crisp,
 * selectable text in JupyterLab, VS Code and exported HTML), with one PNG of the
 * whole grid beside it for front ends that show no HTML.
 *
 * @module
 */

import { encode } from "fast-png";
import { Buffer } from "node:buffer";
import { Displayable } from "./display.ts";

/**
 * Base64 of some bytes, as MIME bundles carry images.
 *
 * @example
 * ```ts
 * import { encodeBase64 } from "./images.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodeBase64(new Uint8Array([104, 105])), "aGk=");
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function _checkPixels(pixels: Uint8Array, height: number, width: number, channels: number): void {
  if (pixels.length !== height * width * channels) {
    throw new TypeError(
      `Cannot show the image as ${pixels.length} values do not make ${height}x${width}x${channels} = ${
        height * width * channels
      }`,
    );
  }
}

/** Enlarges an image by repeating each pixel `scale` x `scale` times (for display only). */
function _upscale(
  pixels: Uint8Array,
  height: number,
  width: number,
  channels: number,
  scale: number,
) {
  const out = new Uint8Array(pixels.length * scale * scale);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const from = ((Math.floor(y / scale) * width) + Math.floor(x / scale)) * channels;
      out.set(pixels.subarray(from, from + channels), (y * width * scale + x) * channels);
    }
  }
  return out;
}

/**
 * Encodes pixels as a PNG file, enlarged `scale` times.
 *
 * @param pixels shape (height, width, channels) row-major, values 0 to 255
 * @param height image height
 * @param width image width
 * @param channels 3 (RGB) or 1 (grey)
 * @param scale how many screen pixels per image pixel, each way
 * @returns the PNG file's bytes
 * @throws {TypeError} if the number of values does not match the shape
 * @example
 * ```ts
 * import { encodePng } from "./images.ts";
 * import assert from "node:assert/strict";
 *
 * const png = encodePng(new Uint8Array(2 * 2 * 3), 2, 2);
 * assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71]); // "PNG"
 * ```
 */
export function encodePng(
  pixels: Uint8Array,
  height: number,
  width: number,
  channels = 3,
  scale = 1,
): Uint8Array {
  _checkPixels(pixels, height, width, channels);
  const data = scale === 1 ? pixels : _upscale(pixels, height, width, channels, scale);
  return encode({ width: width * scale, height: height * scale, data, channels, depth: 8 });
}

/**
 * Shows one image, enlarged so that a 64x64 image is easy to see.
 *
 * @param pixels shape (height, width, channels) row-major, e.g. one image of the dataset
 * @param options `height`, `width`, `channels` (default 64, 64, 3), `scale` (default 3), `caption`
 * @returns a displayable PNG
 * @throws {TypeError} if the number of values does not match the shape
 * @example
 * ```ts
 * import { showImage, syntheticDataset } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const { train } = syntheticDataset();
 * const shown = showImage(train.images.subarray(0, 64 * 64 * 3), { caption: "y = 0" });
 * assert.ok(shown.bundle["image/png"].length > 100);
 * ```
 */
export function showImage(
  pixels: Uint8Array,
  { height = 64, width = 64, channels = 3, scale = 3, caption = "" } = {},
): Displayable {
  const png = encodeBase64(encodePng(pixels, height, width, channels, scale));
  const img = `<img src="data:image/png;base64,${png}" width="${width * scale}" alt="${
    _escape(caption)
  }">`;
  return new Displayable({
    "text/html": caption
      ? `<figure style="margin:0">${img}<figcaption>${_escape(caption)}</figcaption></figure>`
      : img,
    "image/png": png,
    "text/plain": caption || `Image ${height}x${width}`,
  });
}

/**
 * Shows images in a grid with a caption under each, e.g. the mislabelled test images.
 *
 * @param items each image's pixels, (height, width, channels) row-major, and its caption
 * @param options `columns` (default 5), `height`, `width`, `channels` (default 64, 64, 3), `scale` (default 2)
 * @returns a displayable grid
 * @throws {TypeError} if an image's number of values does not match the shape
 * @example
 * ```ts
 * import { imageGrid } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const black = new Uint8Array(64 * 64 * 3);
 * const grid = imageGrid([{ pixels: black, caption: "a" }, { pixels: black, caption: "b" }]);
 * assert.equal(grid.bundle["text/html"].match(/<img /g)?.length, 2);
 * ```
 */
export function imageGrid(
  items: readonly { pixels: Uint8Array; caption: string }[],
  { columns = 5, height = 64, width = 64, channels = 3, scale = 2 } = {},
): Displayable {
  items.forEach(({ pixels }) => _checkPixels(pixels, height, width, channels));
  // A grid of figures rather than a table: front ends colour a table's rows (striped, and on hover)
  // behind the pictures.
  const cells = items.map(({ pixels, caption }) => {
    const png = encodeBase64(encodePng(pixels, height, width, channels, scale));
    return `<figure style="margin:0;text-align:center"><img src="data:image/png;base64,${png}" ` +
      `width="${width * scale}" alt="${_escape(caption)}"><figcaption style="font-size:12px">${
        _escape(caption)
      }</figcaption></figure>`;
  });
  // The same grid as one PNG, 4 pixels of white between images.
  const cols = Math.min(columns, items.length), lines = Math.ceil(items.length / columns), gap = 4;
  const H = lines * (height + gap) - gap, W = cols * (width + gap) - gap;
  const sheet = new Uint8Array(Math.max(H, 0) * Math.max(W, 0) * channels).fill(255);
  items.forEach(({ pixels }, n) => {
    const top = Math.floor(n / columns) * (height + gap), left = (n % columns) * (width + gap);
    for (let y = 0; y < height; y++) {
      sheet.set(
        pixels.subarray(y * width * channels, (y + 1) * width * channels),
        ((top + y) * W + left) * channels,
      );
    }
  });
  const bundle: Record<string, string> = {
    "text/html": `<div style="display:grid;grid-template-columns:repeat(${columns}, max-content);` +
      `gap:8px;background:transparent">${cells.join("")}</div>`,
    "text/plain": items.map((item) => item.caption).join("\n"),
  };
  if (items.length) bundle["image/png"] = encodeBase64(encodePng(sheet, H, W, channels, scale));
  return new Displayable(bundle);
}

function _escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}
