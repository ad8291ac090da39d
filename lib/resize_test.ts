import assert from "node:assert/strict";
import { join } from "node:path";
import { python } from "../tests/helpers.ts";
import { RandomState } from "./random.ts";
import { resizeImage } from "./resize.ts";

/** A smooth random image (so that resizing has something to average) with some noise. */
function picture(height: number, width: number, seed: number): Uint8Array {
  const rng = new RandomState(seed), pixels = new Uint8Array(height * width * 3);
  const phase = [0, 1, 2].map(() => 6 * rng.random());
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const v = 128 + 90 * Math.sin(x / 7 + phase[c]) * Math.cos(y / 11 - phase[c]) +
          30 * (rng.random() - 0.5);
        pixels[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return pixels;
}

// Pillow's Image.resize(..., BICUBIC) is what the NumPy course uses. Measured here: identical
// on every pixel (mean absolute error 0); the bound allows one unit for another Pillow version.
for (
  const [height, width, toH, toW] of [[300, 451, 64, 64], [427, 640, 64, 64], [30, 20, 64, 64], [
    64,
    200,
    64,
    64,
  ], [97, 97, 13, 31]]
) {
  Deno.test(`resizeImage() matches Pillow's bicubic resize, (${height}, ${width}) to (${toH}, ${toW})`, async () => {
    const dir = await Deno.makeTempDir();
    const pixels = picture(height, width, height + width);
    await Deno.writeFile(join(dir, "in.bin"), pixels);
    await python(
      `import sys, numpy as np
from PIL import Image
a = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(${height}, ${width}, 3)
np.asarray(Image.fromarray(a).resize((${toW}, ${toH}), Image.BICUBIC)).tofile(sys.argv[2])`,
      join(dir, "in.bin"),
      join(dir, "out.bin"),
    );
    const pillow = await Deno.readFile(join(dir, "out.bin"));
    const ours = resizeImage({ pixels, height, width }, toH, toW);
    assert.deepEqual([ours.height, ours.width], [toH, toW]);
    let total = 0, worst = 0;
    pillow.forEach((v, i) => {
      const d = Math.abs(v - ours.pixels[i]);
      total += d, worst = Math.max(worst, d);
    });
    assert.ok(
      worst <= 1 && total / pillow.length < 0.01,
      `max ${worst}, mean ${total / pillow.length}`,
    );
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("resizeImage() leaves an image of the right size as it is, and refuses bad sizes", () => {
  const image = { pixels: picture(5, 6, 1), height: 5, width: 6 };
  assert.deepEqual(resizeImage(image, 5, 6), image);
  assert.throws(
    () => resizeImage(image, 0, 64),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === "Cannot resize the image as the height must be a positive integer: height=0",
  );
  assert.throws(() => resizeImage(image, 64, 2.5), /width=2.5/);
});
