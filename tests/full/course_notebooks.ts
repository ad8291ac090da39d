/**
 * Slow checks, run by `deno task test-full` (CI runs it after `deno task test`):
 * the two model notebooks at their full 2500 iterations on the course's data
 * print the costs and accuracies their markdown states, which are the NumPy
 * reference's (`tests/fixtures/numpy_course.json`).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { executeNotebook, ROOT } from "../helpers.ts";
import { readFixture } from "../numpy_fixtures.ts";

interface Cell {
  cell_type: string;
  source: string[];
  outputs?: { output_type: string; text?: string | string[] }[];
}

const LINE = /^(Cost after iteration \d+|Train accuracy|Test accuracy): ([\d.e-]+)$/gm;

/** The `name: value` lines of a text, by name. */
function values(text: string): Map<string, number> {
  return new Map([...text.matchAll(LINE)].map((m) => [m[1], Number(m[2])]));
}

Deno.test("at full iterations on the course's data, notebooks 3 and 4 print the numbers their markdown states: NumPy's", async () => {
  const runs = readFixture("numpy_course.json").runs as {
    model: string;
    costs: [number, number][];
    trainAccuracy: number;
    testAccuracy: number;
  }[];
  const dir = await Deno.makeTempDir({ prefix: "full-notebooks-" });
  try {
    // Notebook 3 first: notebook 4 reads its results from the same folder.
    for (
      const [name, model] of [
        ["03_two_layer_model.ipynb", "two"],
        ["04_l_layer_model.ipynb", "deep"],
      ]
    ) {
      const target = join(dir, name);
      // Every knob as its cell says; the data from data/, as in a fresh clone.
      const run = await executeNotebook(name, target, {
        DNN_OUT_DIR: dir,
        DNN_DATA_DIR: "",
        DNN_NUM_ITERATIONS: "",
        DNN_LAYERS_DIMS: "",
        DNN_LEARNING_RATE: "",
        DNN_HIDDEN_UNITS: "",
      });
      assert.ok(run.success, run.stderr);
      const source: Cell[] = JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", name))).cells;
      const stated = values(
        source.filter((c) => c.cell_type === "markdown").map((c) => c.source.join("")).join("\n"),
      );
      const executed: Cell[] = JSON.parse(Deno.readTextFileSync(target)).cells;
      const printed = values(
        executed.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "stream")
          .map((o) => [o.text ?? ""].flat().join("")).join(""),
      );
      const numpy = runs.find((r) => r.model === model)!;
      const reference = new Map<string, number>([
        ...numpy.costs.map(([i, c]) => [`Cost after iteration ${i}`, c] as [string, number]),
        ["Train accuracy", numpy.trainAccuracy],
        ["Test accuracy", numpy.testAccuracy],
      ]);
      assert.ok(stated.size >= 5, `${name} states the numbers to expect: ${[...stated.keys()]}`);
      assert.ok(stated.has("Cost after iteration 2499") && stated.has("Test accuracy"), name);
      for (const [key, value] of stated) {
        assert.equal(value, reference.get(key), `${name}: the markdown quotes NumPy's ${key}`);
      }
      // Every cost NumPy printed (every 100 iterations and the last), and the accuracies.
      for (const [key, expected] of reference) {
        const got = printed.get(key);
        assert.ok(got !== undefined, `${name} printed no "${key}"`);
        if (key.startsWith("Cost")) {
          // Our sums run in another order than NumPy's BLAS: the costs agree to about
          // 1e-14 relative (measured); any change to the algorithm moves them by 1e-6 or more.
          assert.ok(
            Math.abs(got - expected) <= 1e-10 * expected,
            `${name}: ${key}: ${got}, NumPy ${expected}`,
          );
        } else {
          assert.equal(got, expected, `${name}: ${key} (a count of pictures over m)`);
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
