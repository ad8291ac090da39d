/// <reference lib="dom" />
/**
 * What the live-site tests and the site's benchmark share: the two live sites
 * built from the notebooks as committed, a site served on localhost with or
 * without cross-origin isolation, Run all pressed as a learner presses it, and
 * what a page shows.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { siteHandler } from "../cli/serve.ts";
import { buildSite, readCourse } from "../cli/site.ts";
import { writeStudentEdition } from "../cli/student.ts";
import { launchChromium } from "./jupyter_page.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** A site served on localhost, with or without the cross-origin isolation headers. */
export function serve(dir: string, isolated: boolean): { url: string; stop(): Promise<void> } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    siteHandler(dir, isolated),
  );
  return { url: `http://127.0.0.1:${server.addr.port}`, stop: () => server.shutdown() };
}

/** What went wrong on a page: console errors, uncaught errors, requests that failed. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  return problems;
}

/** Presses Run all, as a learner does, and waits until every cell has run. */
export async function runAll(page: Page, timeout = 180_000): Promise<void> {
  // When each cell ends, in milliseconds from the press (for the site's benchmark).
  await page.evaluate(() => {
    const start = performance.now(), endedAt: Record<string, number> = {};
    Object.assign(globalThis, { endedAt });
    new MutationObserver(() => {
      for (const c of document.querySelectorAll(".cell.code[data-cell]")) {
        const n = c.getAttribute("data-cell")!, state = c.getAttribute("data-state") ?? "";
        if (!(n in endedAt) && ["done", "error"].includes(state)) {
          endedAt[n] = performance.now() - start;
        }
      }
    }).observe(document.body, { subtree: true, attributeFilter: ["data-state"] });
  });
  await page.click("button.run-all");
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll(".cell.code[data-cell]")].every((c) =>
        ["done", "error"].includes(c.getAttribute("data-state") ?? "")
      ),
    null,
    { timeout, polling: 100 },
  );
}

/** A code cell of a page, as it shows: its state, its outputs' text, when it ended (ms after Run all). */
export type ShownCell = { state: string; text: string; endedAt?: number };

/** Each cell's state and text, by its place in the notebook. */
export async function cells(page: Page): Promise<Map<number, ShownCell>> {
  const found = await page.$$eval(".cell.code[data-cell]", (all) =>
    all.map((c) => {
      const n = c.getAttribute("data-cell")!;
      const ended = (globalThis as { endedAt?: Record<string, number> }).endedAt?.[n];
      return [
        Number(n),
        c.getAttribute("data-state") ?? "",
        (c.querySelector(".outputs") as HTMLElement).innerText,
        ended,
      ] as const;
    }));
  return new Map(found.map(([n, state, text, endedAt]) => [n, { state, text, endedAt }]));
}

/** The lines `Cost after iteration i: c` of a text. */
export const costLines = (text: string): string[] =>
  text.split("\n").filter((l) => l.startsWith("Cost after"));

/** Runs `test` in a new headless Chromium, closed after. */
export async function withBrowser(test: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await launchChromium();
  try {
    await test(browser);
  } finally {
    await browser.close();
  }
}

/** The solution site and the student site, both live, built in `dir`. */
export async function buildSites(dir: string): Promise<{ solution: string; student: string }> {
  const course = readCourse();
  const solution = join(dir, "course"), student = join(dir, "student");
  await buildSite(course, join(ROOT, "notebooks"), solution, { live: true });
  const sources = course.notebooks.map((n) => join(ROOT, "notebooks", n.file));
  await writeStudentEdition(sources, join(dir, "student-notebooks"));
  await buildSite(course, join(dir, "student-notebooks"), student, { live: true });
  return { solution, student };
}

/** What `deno task train --iterations n` prints, its files written under `outDir`. */
export async function train(iterations: number, outDir: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "cli/train.ts"), "--iterations", String(iterations)],
    env: { DNN_OUT_DIR: outDir },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

/**
 * Opens notebook 4's page for `iterations` and presses Run all; returns what
 * every cell printed, in order, once all have run.
 */
export async function trainInPage(
  page: Page,
  url: string,
  iterations: number,
  timeout?: number,
): Promise<Map<number, ShownCell>> {
  await page.goto(`${url}/04_l_layer_model.html?DNN_NUM_ITERATIONS=${iterations}`);
  await runAll(page, timeout);
  return await cells(page);
}
