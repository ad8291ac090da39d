/**
 * `deno task predict` as a user runs it: a model saved as HDF5, images in PNG and
 * JPEG, the same answers as the library, and one clear line for each bad input.
 */

import assert from "node:assert/strict";
import jpeg from "jpeg-js";
import { join } from "node:path";
import { encodePng } from "../lib/images.ts";
import {
  imageToColumn,
  initializeParametersDeep,
  lModelForward,
  loadImage,
  resizeImage,
  saveParameters,
} from "../lib/mod.ts";
import { executeNotebook, imagesDir, runTask } from "./helpers.ts";

const dir = await Deno.makeTempDir({ prefix: "dnn-predict-" });
const params = join(dir, "params.h5");
// Larger weights than the initialiser's, so that the probabilities differ from image to image.
const parameters = initializeParametersDeep([12288, 5, 1], { seed: 3 });
for (const P of Object.values(parameters)) for (let i = 0; i < P.data.length; i++) P.data[i] *= 20;
await saveParameters(params, parameters, [12288, 5, 1]);

function gradient(height: number, width: number, shift: number): Uint8Array {
  const pixels = new Uint8Array(height * width * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + shift * 31) % 256;
  return pixels;
}
const png = join(dir, "a.png"), jpg = join(dir, "b.jpg");
await Deno.writeFile(png, encodePng(gradient(120, 90, 1), 120, 90));
const rgba = new Uint8Array(80 * 100 * 4);
gradient(80, 100, 2).forEach((v, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)] = v);
await Deno.writeFile(jpg, jpeg.encode({ data: rgba, width: 100, height: 80 }, 90).data);

/** The library's own answer, step by step. */
async function expected(file: string): Promise<number> {
  const x = imageToColumn(resizeImage(await loadImage(file), 64, 64));
  return lModelForward(x, parameters)[0].get(0, 0);
}

Deno.test("predict prints each image's label and probability, as the library computes them", async () => {
  const run = await runTask("predict", ["--params", params, png, jpg]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split("\n");
  assert.equal(lines.length, 2);
  for (const [k, file] of [png, jpg].entries()) {
    const p = await expected(file);
    assert.equal(
      lines[k],
      `${file}: ${p > 0.5 ? "cat" : "non-cat"} (probability of cat ${p.toFixed(4)})`,
    );
  }
});

Deno.test("predict --json prints one object per image with the full probability", async () => {
  const run = await runTask("predict", ["--json", "--params", params, jpg, png]);
  assert.equal(run.code, 0, run.stderr);
  const objects = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(objects.map((o) => o.file), [jpg, png]);
  for (const o of objects) {
    assert.deepEqual(Object.keys(o), ["file", "probability", "label"]);
    assert.equal(o.probability, await expected(o.file));
    assert.equal(o.label, o.probability > 0.5 ? "cat" : "non-cat");
  }
});

Deno.test("predict answers each bad input with one line and a non-zero exit", async () => {
  const text = join(dir, "notes.txt"), empty = join(dir, "empty.png"), cut = join(dir, "cut.png");
  const small = join(dir, "small.h5");
  await Deno.writeTextFile(text, "not an image");
  await Deno.writeFile(empty, new Uint8Array());
  await Deno.writeFile(cut, (await Deno.readFile(png)).slice(0, 200));
  await saveParameters(small, initializeParametersDeep([10, 1]), [10, 1]);
  const cases: [string[], number, RegExp][] = [
    [[png], 2, /^predict: --params FILE is required/],
    [["--params", params], 2, /^predict: name at least one image/],
    [["--bogus", "--params", params, png], 2, /^predict: Unknown option '--bogus'/],
    [["--params", join(dir, "none.h5"), png], 1, /^predict: .*none\.h5: file not found$/],
    [
      ["--params", text, png],
      1,
      /^predict: .*notes\.txt: not a readable HDF5 file \(file signature not found\)$/,
    ],
    [
      ["--params", small, png],
      1,
      /^predict: .*small\.h5: the model takes 10 inputs, not 64x64x3 = 12288 pixel values$/,
    ],
    [["--params", params, join(dir, "none.png")], 1, /^predict: .*none\.png: file not found$/],
    [["--params", params, text], 1, /^predict: .*notes\.txt: not a PNG or JPEG image$/],
    [["--params", params, empty], 1, /^predict: .*empty\.png: the file is empty$/],
    [["--params", params, cut], 1, /^predict: .*cut\.png: cannot decode the image \(.+\)$/],
  ];
  for (const [args, code, message] of cases) {
    const run = await runTask("predict", args);
    assert.equal(run.code, code, `${args.join(" ")}: ${run.stderr}`);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `${args.join(" ")}: one line, no stack trace:\n${run.stderr}`);
    assert.match(lines[0], message);
  }
});

Deno.test({
  name: "predict and notebook 6 give the same answer for each of the photos in data/images",
  async fn() {
    const images = imagesDir();
    const files = [...Deno.readDirSync(images)].filter((e) => /\.(jpe?g|png)$/i.test(e.name)).map((
      e,
    ) => join(images, e.name)).sort();
    assert.ok(files.length > 0, `no JPEG or PNG in ${images}`);
    // The notebook loads its model from $DNN_OUT_DIR/params_deep.h5. Weights three times the
    // initial ones give probabilities between 0.25 and 0.5 on these photos: far from 0 and 1,
    // so that 4 decimals tell a different preprocessing apart.
    const out = await Deno.makeTempDir({ prefix: "dnn-nb6-" });
    const model = join(out, "params_deep.h5");
    const mild = initializeParametersDeep([12288, 5, 1], { seed: 3 });
    for (const P of Object.values(mild)) for (let i = 0; i < P.data.length; i++) P.data[i] *= 3;
    await saveParameters(model, mild, [12288, 5, 1]);
    const run = await runTask("predict", ["--json", "--params", model, ...files]);
    assert.equal(run.code, 0, run.stderr);
    const command = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    for (const [k, file] of files.entries()) {
      const executed = join(out, "06.ipynb");
      const nb = await executeNotebook("06_your_own_image.ipynb", executed, {
        DNN_IMAGE: file,
        DNN_OUT_DIR: out,
        DNN_LAYERS_DIMS: "12288,5,1",
      });
      assert.ok(nb.success, nb.stderr);
      const text = JSON.parse(await Deno.readTextFile(executed)).cells
        .flatMap((c: { outputs?: { text?: string[] }[] }) => c.outputs ?? [])
        .map((o: { text?: string[] }) => (o.text ?? []).join("")).join("");
      const said = text.match(/Prediction: (cat|non-cat) \(probability of cat ([\d.]+)\)/);
      assert.ok(said, `${file}: the notebook printed no prediction`);
      assert.equal(said[1], command[k].label, file);
      assert.equal(said[2], command[k].probability.toFixed(4), file);
    }
    await Deno.remove(out, { recursive: true });
  },
});
