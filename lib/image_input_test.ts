import assert from "node:assert/strict";
import { encode } from "fast-png";
import { join } from "node:path";
import { python } from "../tests/helpers.ts";
import { DataError } from "./errors.ts";
import { encodePng } from "./images.ts";
import { imageToColumn, loadImage } from "./image_input.ts";

const dir = await Deno.makeTempDir({ prefix: "dnn-images-" });

// Pillow writes each kind of file, and its own decoding (made RGB, transparency composited on
// white, turned upright by the EXIF orientation) is the reference, saved as raw RGB bytes.
const made = JSON.parse(
  await python(
    `import json, sys, os, numpy as np
from PIL import Image, ImageOps
d = sys.argv[1]
y, x = np.mgrid[0:48, 0:80]
rgb = np.stack([(x * 3) % 256, (y * 5) % 256, ((x + y) * 2) % 256], axis=-1).astype(np.uint8)
base = Image.fromarray(rgb)
alpha = Image.fromarray(((x * 4) % 256).astype(np.uint8))
white = lambda im: Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im.convert("RGBA")).convert("RGB")
files = {}
def save(name, im, ref, **kw):
    im.save(os.path.join(d, name), **kw)
    np.asarray(ref, dtype=np.uint8).tofile(os.path.join(d, name + ".rgb"))
    files[name] = list(np.asarray(ref).shape[:2])
save("rgb.png", base, base)
save("grey.png", base.convert("L"), base.convert("L").convert("RGB"))
rgba = base.copy(); rgba.putalpha(alpha)
save("rgba.png", rgba, white(rgba))
la = base.convert("L"); la.putalpha(alpha); la = la.convert("LA")
save("grey-alpha.png", la, white(la))
pal = base.quantize(64)
save("palette.png", pal, pal.convert("RGB"))
palt = base.quantize(64); palt.info["transparency"] = 0
save("palette-transparent.png", palt, white(palt.convert("RGBA")), transparency=0)
save("baseline.jpg", base, Image.open(os.path.join(d, "rgb.png")).convert("RGB"), quality=95)
save("progressive.jpg", base, base, quality=95, progressive=True)
save("grey.jpg", base.convert("L"), base.convert("L").convert("RGB"), quality=95)
save("cmyk.jpg", base.convert("CMYK"), base, quality=95)
for o in range(1, 9):
    exif = Image.Exif(); exif[0x0112] = o
    name = f"orientation-{o}.jpg"
    base.save(os.path.join(d, name), quality=95, exif=exif.tobytes())
    ref = ImageOps.exif_transpose(Image.open(os.path.join(d, name))).convert("RGB")
    np.asarray(ref, dtype=np.uint8).tofile(os.path.join(d, name + ".rgb"))
    files[name] = [ref.size[1], ref.size[0]]
# what Pillow decodes of our JPEGs, to separate decoding differences from the rest
for name in list(files):
    if name.endswith(".jpg") and not name.startswith("orientation"):
        np.asarray(Image.open(os.path.join(d, name)).convert("RGB")).tofile(os.path.join(d, name + ".rgb"))
print(json.dumps(files))`,
    dir,
  ),
);

/** Mean and largest absolute difference between our pixels and Pillow's. */
async function compare(name: string): Promise<{ mean: number; max: number; shape: number[] }> {
  const image = await loadImage(join(dir, name));
  const reference = await Deno.readFile(join(dir, `${name}.rgb`));
  assert.deepEqual([image.height, image.width], made[name], `${name}: shape`);
  let total = 0, max = 0;
  reference.forEach((v, i) => {
    const d = Math.abs(v - image.pixels[i]);
    total += d, max = Math.max(max, d);
  });
  return { mean: total / reference.length, max, shape: [image.height, image.width] };
}

// PNG decoding is exact; compositing on white may round the other way: at most 1 unit.
for (
  const name of [
    "rgb.png",
    "grey.png",
    "rgba.png",
    "grey-alpha.png",
    "palette.png",
    "palette-transparent.png",
  ]
) {
  Deno.test(`loadImage() decodes a ${name.replace(".png", "")} PNG as Pillow does`, async () => {
    const { max } = await compare(name);
    assert.ok(max <= 1, `${name}: largest difference ${max}`);
  });
}

// JPEG decoders differ in their inverse DCT and upsampling: Pillow (libjpeg) and jpeg-js
// agree within a few units. Measured here: mean below 0.6, largest 3 (CMYK: see below).
for (const name of ["baseline.jpg", "progressive.jpg", "grey.jpg", "cmyk.jpg"]) {
  Deno.test(`loadImage() decodes a ${name.replace(".jpg", "")} JPEG as Pillow does, within a few units`, async () => {
    const { mean, max } = await compare(name);
    assert.ok(mean < 1.5 && max <= 12, `${name}: mean ${mean}, largest ${max}`);
  });
}

for (let o = 1; o <= 8; o++) {
  Deno.test(`loadImage() turns a JPEG with EXIF orientation ${o} upright, as Pillow's exif_transpose`, async () => {
    const { mean, max, shape } = await compare(`orientation-${o}.jpg`);
    assert.deepEqual(shape, o >= 5 ? [80, 48] : [48, 80]);
    assert.ok(mean < 1.5 && max <= 12, `orientation ${o}: mean ${mean}, largest ${max}`);
  });
}

Deno.test("loadImage() reads a 16-bit PNG, scaled to 8 bits", async () => {
  const file = join(dir, "deep.png");
  const data = new Uint16Array([0, 65535, 257 * 100, 12345, 40000, 65535]);
  await Deno.writeFile(file, encode({ width: 2, height: 1, data, channels: 3, depth: 16 }));
  const image = await loadImage(file);
  assert.deepEqual(
    Array.from(image.pixels),
    Array.from(data, (v) => Math.round((255 * v) / 65535)),
  );
});

Deno.test("imageToColumn() orders values as flatten() does, divided by 255", () => {
  const x = imageToColumn({
    pixels: new Uint8Array([255, 0, 51, 102, 204, 0]),
    height: 1,
    width: 2,
  });
  assert.deepEqual(x.shape, [6, 1]);
  assert.deepEqual(Array.from(x.data), [1, 0, 0.2, 0.4, 0.8, 0]);
});

Deno.test("loadImage() names the file and the problem for each bad input", async () => {
  const png = await Deno.readFile(join(dir, "rgb.png")),
    jpg = await Deno.readFile(join(dir, "baseline.jpg"));
  const files: [string, Uint8Array | string, RegExp][] = [
    ["empty.png", new Uint8Array(), /: the file is empty$/],
    ["text.png", "hello", /: not a PNG or JPEG image$/],
    ["cut.png", png.slice(0, 100), /: cannot decode the image \(.+\)$/],
    ["cut.jpg", jpg.slice(0, 300), /: cannot decode the image \(.+\)$/],
  ];
  for (const [name, content, problem] of files) {
    const file = join(dir, name);
    if (typeof content === "string") await Deno.writeTextFile(file, content);
    else await Deno.writeFile(file, content);
    await assert.rejects(loadImage(file), (e: Error) => {
      assert.ok(e instanceof DataError, `${name}: ${e.name}: ${e.message}`);
      assert.equal(e.file, file);
      assert.match(e.message, problem);
      return true;
    });
  }
  await assert.rejects(loadImage(join(dir, "none.png")), /none\.png: file not found$/);
});

Deno.test("loadImage() refuses an image too large to decode before decoding it", async () => {
  // A valid PNG header claiming 100000 x 100000 pixels (10 billion), with almost no data.
  const file = join(dir, "huge.png");
  const header = encodePng(new Uint8Array(3), 1, 1);
  const view = new DataView(header.buffer);
  view.setUint32(16, 100000), view.setUint32(20, 100000); // IHDR width and height
  await Deno.writeFile(file, header);
  await assert.rejects(
    loadImage(file),
    (e: Error) =>
      e instanceof DataError &&
      /huge\.png: cannot decode the image \(100000x100000 pixels is too large: the limit is 50 million\)$/
        .test(e.message),
  );
  // A JPEG that claims 60000 x 60000 pixels: jpeg-js checks the size before allocating.
  const jpg = await Deno.readFile(join(dir, "baseline.jpg"));
  const sof = jpg.findIndex((b, i) => b === 0xff && jpg[i + 1] === 0xc0);
  const bigJpg = jpg.slice();
  new DataView(bigJpg.buffer).setUint16(sof + 5, 60000);
  new DataView(bigJpg.buffer).setUint16(sof + 7, 60000);
  await Deno.writeFile(join(dir, "huge.jpg"), bigJpg);
  await assert.rejects(
    loadImage(join(dir, "huge.jpg")),
    (e: Error) => e instanceof DataError && /huge\.jpg: cannot decode/.test(e.message),
  );
});
