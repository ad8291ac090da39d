/**
 * Plots for the notebooks: cost curves, activation functions and accuracy bars,
 * drawn with Observable Plot into SVG (through linkedom, a DOM outside the
 * browser). Each plot is shown as SVG inline in HTML (which survives nbconvert's
 * HTML export), as `image/svg+xml`, and as a PNG rendered with resvg where the
 * DejaVu font is installed, so it shows wherever the notebook is opened.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { parseHTML } from "linkedom";
import { encodeBase64 } from "./images.ts";
import { Displayable } from "./display.ts";

/** The part of an SVG element these plots use. */
interface SvgElement {
  setAttribute(name: string, value: string): void;
  readonly outerHTML: string;
}

type PlotDocument = NonNullable<Parameters<typeof Plot.plot>[0]>["document"];
const document = (parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as {
  document: PlotDocument;
}).document;

const FONTS = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/TTF/DejaVuSans.ttf",
  "/Library/Fonts/Arial Unicode.ttf",
];

let _png: Promise<((svg: string) => Uint8Array) | undefined> | undefined;

/** The SVG-to-PNG renderer, or `undefined` if no font for its text is found. */
function _pngRenderer(): Promise<((svg: string) => Uint8Array) | undefined> {
  return _png ??= (async () => {
    const font = FONTS.map((f) => {
      try {
        return Deno.readFileSync(f);
      } catch {
        return undefined;
      }
    }).find((f) => f !== undefined);
    if (font === undefined) return undefined;
    await initWasm(Deno.readFile(new URL(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm"))));
    const options = {
      font: { fontBuffers: [font], defaultFontFamily: "DejaVu Sans", loadSystemFonts: false },
    };
    return (svg: string) => new Resvg(svg, { ...options, background: "white" }).render().asPng();
  })();
}

/** Turns a Plot SVG element into a displayable bundle: HTML, SVG, PNG and a description. */
async function _show(svg: SvgElement, title: string, description: string): Promise<Displayable> {
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const markup = svg.outerHTML;
  const heading = title
    ? `<div style="font: bold 14px sans-serif; margin: 4px 0">${title}</div>`
    : "";
  const bundle: Record<string, string> = {
    "text/html": `<div class="dnn-plot">${heading}${markup}</div>`,
    "image/svg+xml": markup,
    "text/plain": description,
  };
  const render = await _pngRenderer();
  if (render) bundle["image/png"] = encodeBase64(render(markup));
  return new Displayable(bundle);
}

/** A series of costs, one per iteration, with its name. */
export interface CostSeries {
  /** Shown at the end of the curve, e.g. `"[12288, 20, 7, 5, 1]"`. */
  label: string;
  /** `costs[i]` is the cost at iteration `i`. */
  costs: readonly number[];
}

/**
 * Cost curves: the cost against the iteration, one curve per run, each named
 * at its end.
 *
 * @param series one run's costs, or several runs to overlay
 * @param options `title` above the plot, `width` and `height` in pixels
 * @returns a displayable plot
 * @example
 * ```ts
 * import { plotCosts } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const plot = await plotCosts([0.69, 0.6, 0.5, 0.45]);
 * assert.match(plot.bundle["image/svg+xml"], /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * ```
 */
export function plotCosts(
  series: readonly number[] | readonly CostSeries[],
  { title = "Cost against iteration", width = 640, height = 320 } = {},
): Promise<Displayable> {
  const runs: readonly CostSeries[] = typeof series[0] === "number" || series.length === 0
    ? [{ label: "", costs: series as readonly number[] }]
    : series as readonly CostSeries[];
  const points = runs.flatMap(({ label, costs }) => {
    const step = Math.max(1, Math.floor(costs.length / 500)); // at most ~500 points a curve
    return costs.flatMap((cost, i) =>
      i % step === 0 || i === costs.length - 1 ? [{ iteration: i, cost, run: label }] : []
    );
  });
  const ends = runs.filter((r) => r.label && r.costs.length).map((r) => ({
    iteration: r.costs.length - 1,
    cost: r.costs[r.costs.length - 1],
    run: r.label,
  }));
  const svg = Plot.plot({
    document,
    width,
    height,
    marginRight: ends.length ? 150 : 20,
    grid: true,
    x: { label: "iteration" },
    y: { label: "cost", domain: [0, Math.max(...points.map((p) => p.cost))] },
    color: { type: "categorical" },
    marks: [
      Plot.lineY(points, { x: "iteration", y: "cost", stroke: "run" }),
      Plot.text(ends, {
        x: "iteration",
        y: "cost",
        text: "run",
        fill: "run",
        textAnchor: "start",
        dx: 6,
      }),
    ],
  }) as unknown as SvgElement;
  return _show(
    svg,
    title,
    `${title}: ${runs.map((r) => `${r.label || "cost"} ${r.costs.at(-1)?.toFixed(4)}`).join(", ")}`,
  );
}

/**
 * Curves of functions of one variable, e.g. the activations and their derivatives.
 *
 * @param fns the functions, each with a label shown at its end
 * @param options `from` and `to`: the range of x; `title`
 * @returns a displayable plot
 * @example
 * ```ts
 * import { plotFunctions } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const plot = await plotFunctions([{ label: "x²", f: (x) => x * x }], { from: -1, to: 1 });
 * assert.match(plot.bundle["text/html"], /x²/);
 * ```
 */
export function plotFunctions(
  fns: readonly { label: string; f: (x: number) => number }[],
  { from = -5, to = 5, title = "", width = 640, height = 320 } = {},
): Promise<Displayable> {
  const xs = Array.from({ length: 201 }, (_, i) => from + (to - from) * i / 200);
  const points = fns.flatMap(({ label, f }) => xs.map((x) => ({ x, y: f(x), fn: label })));
  const ends = fns.map(({ label, f }) => ({ x: to, y: f(to), fn: label }));
  const svg = Plot.plot({
    document,
    width,
    height,
    marginRight: 120,
    grid: true,
    color: { type: "categorical" },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([0]),
      Plot.line(points, { x: "x", y: "y", stroke: "fn" }),
      Plot.text(ends, { x: "x", y: "y", text: "fn", fill: "fn", textAnchor: "start", dx: 6 }),
    ],
  }) as unknown as SvgElement;
  return _show(svg, title, `${title || "Functions"}: ${fns.map((f) => f.label).join(", ")}`);
}

/**
 * A bar chart, e.g. train and test accuracy of several models, bars of one group side by side.
 *
 * @param bars each bar's label, value and (optional) group
 * @param options `title`, `yLabel`, `width`, `height`
 * @returns a displayable plot
 * @example
 * ```ts
 * import { barChart } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const plot = await barChart([{ label: "train", value: 0.98 }, { label: "test", value: 0.8 }]);
 * assert.match(plot.bundle["text/plain"], /train 0.98, test 0.8/);
 * ```
 */
export function barChart(
  bars: readonly { label: string; value: number; group?: string }[],
  { title = "", yLabel = "", width = 640, height = 320 } = {},
): Promise<Displayable> {
  const data = bars.map((b) => ({ ...b, group: b.group ?? "" }));
  const grouped = data.some((b) => b.group !== "");
  const svg = Plot.plot({
    document,
    width,
    height,
    y: { grid: true, label: yLabel },
    fx: grouped ? { label: null, domain: [...new Set(data.map((b) => b.group))] } : undefined,
    x: { label: null, domain: [...new Set(data.map((b) => b.label))] },
    color: { type: "categorical" },
    marks: [
      Plot.barY(data, { fx: grouped ? "group" : undefined, x: "label", y: "value", fill: "label" }),
      Plot.text(data, {
        fx: grouped ? "group" : undefined,
        x: "label",
        y: "value",
        text: (d: { value: number }) => d.value.toFixed(2),
        dy: -6,
      }),
      Plot.ruleY([0]),
    ],
  }) as unknown as SvgElement;
  const text = data.map((b) => `${b.group ? `${b.group} ` : ""}${b.label} ${b.value}`).join(", ");
  return _show(svg, title, `${title || "Bars"}: ${text}`);
}
