/**
 * Draws `docs/cost_curve.png`, the README's picture: the cost of the course's
 * L-layer model over its 2500 iterations on the course's data, as `deno task
 * train` trains it (the same costs, bit for bit).
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-env docs/cost_curve.ts
 * ```
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { flatten, labelsRow, lLayerModel, loadDataset, plotCosts } from "../lib/mod.ts";

const data = await loadDataset();
const X = flatten(data.train), Y = labelsRow(data.train);
const layersDims = [12288, 20, 7, 5, 1];
const { costs } = await lLayerModel(X, Y, layersDims, { numIterations: 2500 });
const plot = await plotCosts([{ label: `[${layersDims.join(", ")}]`, costs }], {
  title: "The cost of the L-layer model, 2500 iterations on the course's cats",
});
const png = plot.bundle["image/png"];
if (!png) throw new Error("no PNG renderer: the plot has no image/png");
await Deno.writeFile(new URL("cost_curve.png", import.meta.url), Buffer.from(png, "base64"));
console.log(`docs/cost_curve.png: last cost ${costs.at(-1)}`);
