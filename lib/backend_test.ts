import assert from "node:assert/strict";
import { currentBackend, useBackend } from "./backend.ts";
import { OptionError } from "./errors.ts";
import { matmul, Matrix } from "./matrix.ts";

Deno.test("the default backend is the fast one on every core (at most 8), chosen at first use", () => {
  const cores = Math.min(8, navigator.hardwareConcurrency);
  assert.equal(
    currentBackend().description,
    `fast, ${cores} thread${cores > 1 ? "s" : ""}, f64`,
  );
});

Deno.test("useBackend() sets the backend of every product from then on, and says which", () => {
  const A = Matrix.from([[1, 2], [3, 4]]), B = Matrix.from([[5], [6]]);
  try {
    const modes: [Parameters<typeof useBackend>[0], string][] = [
      [{ backend: "plain" }, "plain TypeScript"],
      [{ threads: 1 }, "fast, 1 thread, f64"],
      [{ threads: 2, fma: true }, "fast, 2 threads, f64, fused multiply-add"],
      [{ threads: 2, precision: "f32" }, "fast, 2 threads, f32, fused multiply-add"],
      [{ threads: 2, precision: "f32", fma: false }, "fast, 2 threads, f32"],
    ];
    for (const [options, description] of modes) {
      assert.equal(useBackend(options).description, description);
      assert.equal(currentBackend().description, description, "now in use");
      // Small integers: every mode computes these products exactly.
      assert.deepEqual(matmul(A, B).toArray(), [[17], [39]], description);
    }
  } finally {
    useBackend();
  }
  assert.match(currentBackend().description, /^fast, \d+ threads?, f64$/, "back to the default");
});

Deno.test("useBackend() names the option and the rule of a value it refuses, and keeps the backend", () => {
  const before = currentBackend();
  const refused: [Parameters<typeof useBackend>[0], string, string][] = [
    [{ backend: "gpu" as "fast" }, "backend", 'backend must be "fast" or "plain", not "gpu"'],
    [{ precision: "f16" as "f32" }, "precision", 'precision must be "f64" or "f32", not "f16"'],
    [{ threads: 0 }, "threads", "threads must be an integer from 1 to 64, not 0"],
    [{ threads: 2.5 }, "threads", "threads must be an integer from 1 to 64, not 2.5"],
    [
      { backend: "plain", fma: true },
      "backend",
      'backend must be "fast" for threads, precision "f32" or fma, not "plain"',
    ],
  ];
  for (const [options, option, message] of refused) {
    assert.throws(
      () => useBackend(options),
      (e: Error) => e instanceof OptionError && e.option === option && e.message === message,
    );
  }
  assert.equal(currentBackend(), before);
});
