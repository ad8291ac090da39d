import assert from "node:assert/strict";
import { decode } from "fast-png";
import { Buffer } from "node:buffer";
import { Displayable, jupyterDisplay, liveProgress, showSource } from "./display.ts";
import { encodePng, imageGrid, showImage } from "./images.ts";
import { barChart, plotCosts, plotFunctions } from "./plots.ts";

const png = (base64: string) => decode(Buffer.from(base64, "base64"));

/** Distinct colours among the pixels of a decoded PNG. */
function colours(image: ReturnType<typeof decode>): number {
  const seen = new Set<string>(), ch = image.channels;
  for (let i = 0; i < image.data.length; i += ch * 7) {
    seen.add(Array.from(image.data.subarray(i, i + ch)).join());
  }
  return seen.size;
}

Deno.test("Displayable shows its bundle through the kernel's display symbol", () => {
  const d = new Displayable({ "text/plain": "x", "text/html": "<b>x</b>" });
  assert.equal(jupyterDisplay, Symbol.for("Jupyter.display"));
  assert.deepEqual(d[jupyterDisplay](), {
    "text/plain": "x",
    "text/html": "<b>x</b>",
  });
  assert.equal(String(d), "x");
});

Deno.test("plotCosts() draws one labelled curve per run, as SVG with xmlns, HTML and PNG", async () => {
  const runs = [
    { label: "deep", costs: Array.from({ length: 2500 }, (_, i) => 0.7 * Math.exp(-i / 900)) },
    { label: "two", costs: Array.from({ length: 2500 }, (_, i) => 0.69 * Math.exp(-i / 400)) },
  ];
  const plot = await plotCosts(runs, { title: "Two runs" });
  const svg = plot.bundle["image/svg+xml"];
  assert.match(svg, /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const lines = svg.match(/<g[^>]*aria-label="line"[^>]*>(.*?)<\/g>/s)?.[1] ?? "";
  assert.equal(lines.match(/<path /g)?.length, 2, "one path per run");
  assert.match(svg, />deep<\/text>/);
  assert.match(svg, />two<\/text>/);
  // The title is inside the SVG, above the plot; no HTML, which an untrusted notebook would show
  // as bare text instead of falling back to the PNG.
  assert.match(svg, /^<svg[^>]*><rect[^>]*\/><text[^>]*>Two runs<\/text><svg y="26"/);
  assert.equal(plot.bundle["text/html"], undefined);
  assert.ok(svg.length < 100_000, `SVG of ${svg.length} characters`);
  const last = (r: number, scale: number) => (r * Math.exp(-2499 / scale)).toFixed(4);
  assert.equal(
    plot.bundle["text/plain"],
    `Two runs: deep ${last(0.7, 900)}, two ${last(0.69, 400)}`,
  );
  const image = png(plot.bundle["image/png"]);
  assert.deepEqual([image.width, image.height], [640, 346]); // the plot and the title's band
  assert.ok(colours(image) > 5, "the PNG is not blank");
});

Deno.test("plotCosts() writes the end labels of close curves apart, inside the picture", async () => {
  // Four curves that end within 0.01 of each other, as the learning rates of notebook 7.
  const runs = [0.0075, 0.005, 0.01, 0.02].map((rate, k) => ({
    label: `α = ${rate}, [12288, 20, 7, 5, 1]`,
    costs: Array.from({ length: 300 }, (_, i) => 0.7 * Math.exp(-i / (300 + 5 * k))),
  }));
  const svg = (await plotCosts(runs)).bundle["image/svg+xml"];
  const labels = [
    ...svg.matchAll(/<text[^>]*transform="translate\(([\d.]+),([\d.]+)\)"[^>]*>(α[^<]*)</g),
  ]
    .map(([, x, y, text]) => ({ x: Number(x), y: Number(y), text }));
  assert.equal(labels.length, 4);
  const ys = labels.map((l) => l.y).sort((a, b) => a - b);
  for (let i = 1; i < ys.length; i++) assert.ok(ys[i] - ys[i - 1] >= 12, `labels at ${ys}`);
  // 10-pixel DejaVu Sans averages under 6.5 pixels a character: every label ends inside.
  for (const { x, text } of labels) assert.ok(x + 6 + 6.5 * text.length <= 640, text);
});

Deno.test("plotCosts() takes a single array of costs", async () => {
  const plot = await plotCosts([0.7, 0.6, 0.5]);
  assert.match(plot.bundle["text/plain"], /cost 0\.5000/);
});

Deno.test("plotFunctions() and barChart() name every curve and bar", async () => {
  const f = await plotFunctions([{ label: "sigmoid", f: (x) => 1 / (1 + Math.exp(-x)) }, {
    label: "relu",
    f: (x) => Math.max(0, x),
  }]);
  assert.match(
    f.bundle["image/svg+xml"],
    />sigmoid<\/text>.*>relu<\/text>|>relu<\/text>.*>sigmoid<\/text>/s,
  );
  const b = await barChart([{ label: "train", value: 0.98, group: "deep" }, {
    label: "test",
    value: 0.8,
    group: "deep",
  }]);
  assert.match(b.bundle["image/svg+xml"], />0\.98<\/text>/);
  assert.match(b.bundle["image/svg+xml"], />0\.80<\/text>/);
  assert.equal(b.bundle["image/svg+xml"].match(/<rect /g)?.length, 2);
});

Deno.test("encodePng() enlarges each pixel into a scale x scale square", () => {
  const pixels = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]); // 2x2 RGB
  const image = decode(encodePng(pixels, 2, 2, 3, 3));
  assert.deepEqual([image.width, image.height], [6, 6]);
  const at = (y: number, x: number) =>
    Array.from(image.data.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3));
  for (const [y, x] of [[0, 0], [2, 2], [0, 2]]) assert.deepEqual(at(y, x), [255, 0, 0]);
  assert.deepEqual(at(0, 3), [0, 255, 0]);
  assert.deepEqual(at(3, 0), [0, 0, 255]);
  assert.deepEqual(at(5, 5), [9, 9, 9]);
});

Deno.test("showImage() and imageGrid() refuse pixels that do not make the shape", () => {
  assert.throws(
    () => showImage(new Uint8Array(10)),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "Cannot show the image as 10 values do not make 64x64x3 = 12288",
  );
  assert.throws(
    () => imageGrid([{ pixels: new Uint8Array(5), caption: "" }], { height: 2, width: 2 }),
    /5 values/,
  );
});

Deno.test("imageGrid() lays out captioned images, and a PNG of the grid", () => {
  const item = (v: number, caption: string) => ({
    pixels: new Uint8Array(4 * 4 * 3).fill(v),
    caption,
  });
  const grid = imageGrid([item(10, "a <cat>"), item(20, "b"), item(30, "c")], {
    columns: 2,
    height: 4,
    width: 4,
    scale: 1,
  });
  const html = grid.bundle["text/html"];
  // Not a table, whose striped and hover rows a front end would colour behind the pictures.
  assert.doesNotMatch(html, /<table|<tr/);
  assert.equal(html.match(/<figure /g)?.length, 3);
  assert.equal(html.match(/<img /g)?.length, 3);
  assert.match(html, /a &lt;cat&gt;/);
  const image = png(grid.bundle["image/png"]);
  assert.deepEqual([image.width, image.height], [12, 12]); // 2 x 4 + 4 gap, 2 x 4 + 4 gap
  assert.deepEqual(Array.from(image.data.subarray(0, 3)), [10, 10, 10]);
  assert.deepEqual(Array.from(image.data.subarray(8 * 3, 8 * 3 + 3)), [20, 20, 20]);
  assert.deepEqual(Array.from(image.data.subarray((8 * 12) * 3, (8 * 12) * 3 + 3)), [30, 30, 30]);
  assert.deepEqual(Array.from(image.data.subarray(5 * 3, 5 * 3 + 3)), [255, 255, 255]); // the gap
});

Deno.test("liveProgress() shows a display, then throttled updates of it, and the final state", async () => {
  const sent: { type: string; text: string; id: string }[] = [];
  let clock = 0;
  const progress = liveProgress(100, {
    label: "Run",
    now: () => clock,
    broadcast: (type, content) => {
      const c = content as { data: Record<string, string>; transient: { display_id: string } };
      sent.push({ type, text: c.data["text/plain"], id: c.transient.display_id });
      return Promise.resolve();
    },
  });
  for (let i = 0; i < 100; i++) {
    clock = i * 10; // 10 ms an iteration: at most one display every 200 ms
    await progress.update(i, 1 - i / 100);
  }
  await progress.done();
  assert.equal(sent[0].type, "display_data");
  assert.ok(sent.slice(1).every((s) => s.type === "update_display_data" && s.id === sent[0].id));
  assert.ok(sent.length >= 5 && sent.length <= 7, `${sent.length} messages`);
  assert.equal(sent.at(-1)!.text, "Run: iteration 100/100, cost 0.010000, 1.0 s");
});

Deno.test("liveProgress() sends nothing outside the kernel", async () => {
  const progress = liveProgress(3); // the kernel's broadcast, which is not there
  await progress.update(0, 1);
  await progress.done(); // nothing to assert but that it neither throws nor prints
});

Deno.test("showSource() shows an exported function with its JSDoc, and only it", () => {
  const text = showSource("backward.ts", "linearBackward").bundle["text/markdown"];
  assert.match(text, /^`lib\/backward.ts`\n\n````ts\n\/\*\*\n \* Backward step of the linear part/);
  assert.match(text, /export function linearBackward\(/);
  assert.match(text, /return \[dAPrev, dW, db\];\n}\n````$/);
  assert.doesNotMatch(text, /linearActivationBackward/);
  assert.throws(() => showSource("backward.ts", "nothing"), /lib\/backward.ts does not define it/);
  assert.throws(() => showSource("nope.ts", "x"), /lib\/nope.ts cannot be read/);
});

Deno.test("showSource() shows a kernel of the fast backend's AssemblyScript, with its JSDoc", () => {
  const text = showSource("fast/assembly/kernels.ts", "_panelBlock")
    .bundle["text/plain"] as string;
  const lines = text.split("\n");
  assert.equal(lines[0], "/**");
  assert.ok(lines.includes("// @ts-ignore: decorator"));
  assert.match(text, /@inline function _panelBlock<T>\(/);
  assert.equal(lines.at(-1), "}");
  assert.ok(!text.includes("function _storeRow"), "only that function");
});
