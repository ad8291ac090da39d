/**
 * Plots for the notebooks: cost curves, activation functions and accuracy bars,
 * drawn with Observable Plot into SVG (through linkedom, a DOM outside the
 * browser), the title inside the SVG. Each plot is sent as `image/svg+xml` and
 * as a PNG rendered with resvg where the DejaVu font is installed, and not as
 * HTML: a front end that does not trust the notebook (Jupyter's classic
 * Notebook, JupyterLab) then shows the PNG, where it would show sanitised HTML
 * as bare text; a trusting one, VS Code, GitHub and the course site show the SVG.
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
  getAttribute(name: string): string | null;
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

/** Height in pixels of the band above a plot that holds its title. */
const TITLE_BAND = 26;

/**
 * Turns a Plot SVG element into a displayable bundle: SVG (with the title above
 * the plot, inside the SVG), PNG and a description.
 */
async function _show(svg: SvgElement, title: string, description: string): Promise<Displayable> {
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  let markup = svg.outerHTML;
  if (title) {
    const width = Number(svg.getAttribute("width")), height = Number(svg.getAttribute("height"));
    svg.setAttribute("y", String(TITLE_BAND));
    markup = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" ` +
      `height="${height + TITLE_BAND}" viewBox="0 0 ${width} ${height + TITLE_BAND}">` +
      `<rect width="100%" height="100%" fill="white"/>` +
      `<text x="0" y="17" font-family="DejaVu Sans, sans-serif" font-size="14" ` +
      `font-weight="bold" fill="currentColor">${_escapeXml(title)}</text>${svg.outerHTML}</svg>`;
  }
  const bundle: Record<string, string> = {
    "image/svg+xml": markup,
    "text/plain": description,
  };
  const render = await _pngRenderer();
  if (render) bundle["image/png"] = encodeBase64(render(markup));
  return new Displayable(bundle);
}

function _escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Where to write labels at the right end of curves so that none overlaps
 * another: each label's `y`, in data units, at least `gap` apart, as close as
 * they can be to the curves' ends.
 */
function _spread(ys: readonly number[], gap: number): number[] {
  const order = ys.map((_, i) => i).sort((a, b) => ys[b] - ys[a]);
  const out = [...ys];
  for (let n = 1; n < order.length; n++) {
    const above = out[order[n - 1]], i = order[n];
    if (above - out[i] < gap) out[i] = above - gap;
  }
  return out;
}

/**
 * The name of each curve at its end, in its colour: `ends` are the curves' last
 * points (by `iteration`), `labelY` where each label goes (from {@link _spread}),
 * `series` the field that names the curve.
 */
function _endLabels<T extends { iteration: number }>(
  ends: readonly T[],
  labelY: readonly number[],
  series: keyof T & string,
) {
  return Plot.text(ends.map((e, i) => ({ ...e, labelY: labelY[i] })), {
    x: "iteration",
    y: "labelY",
    text: series,
    fill: series,
    textAnchor: "start",
    dx: 6,
    clip: false,
  });
}

/** Pixels an end label takes: about 7 a character at 10 pixels, and the gap to the curve. */
const labelWidth = (labels: readonly string[]) =>
  Math.max(0, ...labels.map((l) => 7 * l.length)) + 16;

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
  const top = Math.max(...points.map((p) => p.cost));
  const ends = runs.filter((r) => r.label && r.costs.length).map((r) => ({
    iteration: r.costs.length - 1,
    cost: r.costs[r.costs.length - 1],
    run: r.label,
  }));
  // Labels 14 pixels apart at least: the plot's frame is about height - 50 pixels tall.
  const labelY = _spread(ends.map((e) => e.cost), (14 * top) / (height - 50));
  const svg = Plot.plot({
    document,
    width,
    height,
    marginRight: ends.length ? labelWidth(ends.map((e) => e.run)) : 20,
    grid: true,
    x: { label: "iteration", labelAnchor: "center", labelArrow: "none" },
    y: { label: "cost", domain: [0, top], labelArrow: "none" },
    color: { type: "categorical" },
    marks: [
      Plot.lineY(points, { x: "iteration", y: "cost", stroke: "run" }),
      _endLabels(ends, labelY, "run"),
    ],
  }) as unknown as SvgElement;
  return _show(
    svg,
    title,
    `${title}: ${runs.map((r) => `${r.label || "cost"} ${r.costs.at(-1)?.toFixed(4)}`).join(", ")}`,
  );
}

/**
 * Train and test accuracy against the iteration: where the two curves part, the
 * model is learning its training pictures rather than cats (overfitting).
 *
 * @param points the accuracies after so many iterations, as `train` measures them
 * @param options `title` above the plot, `width` and `height` in pixels
 * @returns a displayable plot
 * @example
 * ```ts
 * import { plotAccuracy } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const plot = await plotAccuracy([
 *   { iteration: 100, train: 0.7, test: 0.6 },
 *   { iteration: 200, train: 0.9, test: 0.7 },
 * ]);
 * assert.match(plot.bundle["text/plain"], /train 0\.900, test 0\.700 after 200 iterations/);
 * ```
 */
export function plotAccuracy(
  points: readonly { iteration: number; train: number; test?: number }[],
  { title = "Accuracy against iteration", width = 640, height = 320 } = {},
): Promise<Displayable> {
  const rows = points.flatMap(({ iteration, train, test }) => [
    { iteration, accuracy: train, set: "train" },
    ...(test === undefined ? [] : [{ iteration, accuracy: test, set: "test" }]),
  ]);
  const last = points.at(-1);
  const ends = last ? rows.filter((r) => r.iteration === last.iteration) : [];
  const labelY = _spread(ends.map((e) => e.accuracy), 14 / (height - 50));
  const svg = Plot.plot({
    document,
    width,
    height,
    marginRight: labelWidth(["train", "test"]),
    grid: true,
    x: { label: "iteration", labelAnchor: "center", labelArrow: "none" },
    y: { label: "fraction right", domain: [0, 1], labelArrow: "none" },
    color: { type: "categorical" },
    marks: [
      Plot.lineY(rows, { x: "iteration", y: "accuracy", stroke: "set", marker: "dot" }),
      _endLabels(ends, labelY, "set"),
    ],
  }) as unknown as SvgElement;
  const final = last
    ? `train ${last.train.toFixed(3)}${
      last.test === undefined ? "" : `, test ${last.test.toFixed(3)}`
    } after ${last.iteration} iterations`
    : "no points";
  return _show(svg, title, `${title}: ${final}`);
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
 * assert.match(plot.bundle["image/svg+xml"], />x²<\/text>/);
 * ```
 */
export function plotFunctions(
  fns: readonly { label: string; f: (x: number) => number }[],
  { from = -5, to = 5, title = "", width = 640, height = 320 } = {},
): Promise<Displayable> {
  const xs = Array.from({ length: 201 }, (_, i) => from + (to - from) * i / 200);
  const points = fns.flatMap(({ label, f }) => xs.map((x) => ({ x, y: f(x), fn: label })));
  const ys = points.map((p) => p.y);
  const span = Math.max(...ys) - Math.min(...ys);
  const labelY = _spread(fns.map(({ f }) => f(to)), (14 * span) / (height - 50));
  const ends = fns.map(({ label }, i) => ({ x: to, y: labelY[i], fn: label }));
  const svg = Plot.plot({
    document,
    width,
    height,
    marginRight: labelWidth(fns.map((f) => f.label)),
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
        text: (d: { value: number }) =>
          Number.isInteger(d.value) ? String(d.value) : d.value.toFixed(2),
        dy: -6,
      }),
      Plot.ruleY([0]),
    ],
  }) as unknown as SvgElement;
  const text = data.map((b) => `${b.group ? `${b.group} ` : ""}${b.label} ${b.value}`).join(", ");
  return _show(svg, title, `${title || "Bars"}: ${text}`);
}
