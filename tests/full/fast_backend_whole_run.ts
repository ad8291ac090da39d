/**
 * Slow checks, run by `deno task test-full` (CI runs it after `deno task test`):
 * over the course's whole run, the fast backend's costs equal the plain loops'
 * (the default test run compares the first 100 iterations).
 */

import { assertFastEqualsPlain } from "../fast_vs_plain.ts";

Deno.test("over a whole run, the fast float64 costs equal the plain TypeScript ones", async () => {
  // The course's run of the deep model; the two-layer model shorter (the same products, fewer rows).
  await assertFastEqualsPlain({ deep: 2500, two: 500 });
});
