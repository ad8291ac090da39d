/**
 * The live site's speed against `deno task train`, on this machine:
 *
 *   deno task bench-site [--iterations 2500] [--rounds 3] [--plain]
 *
 * In interleaved rounds, times `train --iterations N` (a process, start to
 * exit: the data loaded, the model trained, its accuracies, its parameters
 * saved) and notebook 4's page in headless Chromium, from opening it to the end
 * of the cell that prints the accuracies (Run all pressed once the page is
 * open), cross-origin isolated as `deno task serve` serves it, and with
 * `--plain` as a plain static host does; prints the medians side by side with
 * their ratio, the whole Run all beside them (the page also plots, and trains
 * the two-layer model where notebook 3's page has not saved it), and whether
 * the page printed train's costs, every digit.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { fail, UsageError } from "../cli/errors.ts";
import { buildSites, cells, costLines, runAll, serve, train, withBrowser } from "./live_site.ts";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b), mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The processor's name, as Linux reports it. */
function processor(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    return info.match(/^model name\s*:\s*(.+)$/m)?.[1].trim() ?? "unknown processor";
  } catch {
    return "unknown processor";
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      iterations: { type: "string", default: "2500" },
      rounds: { type: "string", default: "3" },
      plain: { type: "boolean", default: false },
    },
  });
  const count = (name: "iterations" | "rounds") => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) {
      throw new UsageError(`--${name} must be a positive integer, not "${values[name]}"`);
    }
    return n;
  };
  const iterations = count("iterations"), rounds = count("rounds");
  const dir = await Deno.makeTempDir({ prefix: "dnn-bench-site-" });
  try {
    const { solution } = await buildSites(dir);
    const ways = [{ label: "page, cross-origin isolated", isolated: true }];
    if (values.plain) ways.push({ label: "page, plain static host", isolated: false });
    const trainSeconds: number[] = [], pageSeconds = ways.map((): number[] => []);
    const wholeSeconds = ways.map((): number[] => []);
    const differ = new Set<string>();
    const about: string[] = [];
    let browserVersion = "";
    for (let round = 0; round < rounds; round++) {
      const start = performance.now();
      const expected = costLines(await train(iterations, join(dir, "train-out")));
      trainSeconds.push((performance.now() - start) / 1000);
      for (const [w, { label, isolated }] of ways.entries()) {
        const server = serve(solution, isolated);
        try {
          await withBrowser(async (browser) => {
            browserVersion = browser.version();
            const page = await browser.newPage();
            const start = performance.now();
            await page.goto(`${server.url}/04_l_layer_model.html?DNN_NUM_ITERATIONS=${iterations}`);
            const opened = (performance.now() - start) / 1000;
            await runAll(page, 1_800_000);
            const ran = await cells(page);
            // To the end of the cell that prints the accuracies: what train does (the data
            // loaded, the model trained, its accuracies); after it, the page plots, and trains
            // the two-layer model that notebook 3 saves where its page has not run.
            const accuracies = [...ran.values()].find((c) => /^Test accuracy/m.test(c.text));
            if (accuracies?.endedAt === undefined) {
              throw new Error("no cell printed the accuracies");
            }
            const all = Math.max(...[...ran.values()].map((c) => c.endedAt ?? 0));
            pageSeconds[w].push(opened + accuracies.endedAt / 1000);
            wholeSeconds[w].push(opened + all / 1000);
            const printed = [...ran.values()].flatMap((c) => costLines(c.text));
            if (JSON.stringify(printed) !== JSON.stringify(expected)) differ.add(label);
            about[w] = await page.locator(".live-about").innerText();
          });
        } finally {
          await server.stop();
        }
      }
    }
    const trainMedian = median(trainSeconds);
    console.log(
      `${processor()}, ${navigator.hardwareConcurrency} cores; Deno ${Deno.version.deno}, ` +
        `Chromium ${browserVersion} (headless)\n` +
        `notebook 4's model, ${iterations} iterations, medians of ${rounds} interleaved rounds:\n`,
    );
    const rows = [["", "seconds", "x train", "Run all, s", "costs"]];
    rows.push([
      `deno task train (fast, ${navigator.hardwareConcurrency} threads, f64)`,
      trainMedian.toFixed(2),
      "1.00x",
      "",
      "",
    ]);
    for (const [w, { label }] of ways.entries()) {
      const seconds = median(pageSeconds[w]);
      rows.push([
        `${label} (${about[w].replace(/^matrix products: /, "").split(";")[0]})`,
        seconds.toFixed(2),
        `${(seconds / trainMedian).toFixed(2)}x`,
        median(wholeSeconds[w]).toFixed(2),
        differ.has(label) ? "DIFFER from train's" : "train's, every digit",
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join("  "));
    if (differ.size > 0) Deno.exitCode = 1;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    fail("bench-site", e);
  }
}
