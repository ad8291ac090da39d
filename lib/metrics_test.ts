import assert from "node:assert/strict";
import { python } from "../tests/helpers.ts";
import { accuracy } from "./models.ts";
import { Matrix } from "./matrix.ts";
import { classBalance, confusionMatrix, confusionTable } from "./metrics.ts";
import { RandomState } from "./random.ts";

/** A (1, m) row of random 0s and 1s, each 1 with probability `fraction`. */
function randomLabels(m: number, fraction: number, seed: number): Matrix {
  const random = new RandomState(seed);
  const row = new Matrix(1, m);
  for (let j = 0; j < m; j++) row.data[j] = random.random() < fraction ? 1 : 0;
  return row;
}

Deno.test("confusionMatrix() counts a hand-worked case, one example of each kind and more", () => {
  // p: 1 1 0 0 1 0 1, Y: 1 0 0 1 1 0 0 -> TP at 0 and 4, FP at 1 and 6, TN at 2 and 5, FN at 3.
  const p = Matrix.from([[1, 1, 0, 0, 1, 0, 1]]), Y = Matrix.from([[1, 0, 0, 1, 1, 0, 0]]);
  assert.deepEqual(confusionMatrix(p, Y), {
    truePositives: 2,
    falsePositives: 2,
    trueNegatives: 2,
    falseNegatives: 1,
  });
});

Deno.test("confusionMatrix() handles m = 1 and m = 0, and swapping p and Y swaps FP and FN", () => {
  const one = (p: number, y: number) => confusionMatrix(Matrix.from([[p]]), Matrix.from([[y]]));
  assert.deepEqual(one(1, 1), {
    truePositives: 1,
    falsePositives: 0,
    trueNegatives: 0,
    falseNegatives: 0,
  });
  assert.deepEqual(one(1, 0), {
    truePositives: 0,
    falsePositives: 1,
    trueNegatives: 0,
    falseNegatives: 0,
  });
  assert.deepEqual(one(0, 0), {
    truePositives: 0,
    falsePositives: 0,
    trueNegatives: 1,
    falseNegatives: 0,
  });
  assert.deepEqual(one(0, 1), {
    truePositives: 0,
    falsePositives: 0,
    trueNegatives: 0,
    falseNegatives: 1,
  });
  assert.deepEqual(confusionMatrix(new Matrix(1, 0), new Matrix(1, 0)), {
    truePositives: 0,
    falsePositives: 0,
    trueNegatives: 0,
    falseNegatives: 0,
  });
  const p = randomLabels(40, 0.5, 3), Y = randomLabels(40, 0.4, 4);
  const a = confusionMatrix(p, Y), b = confusionMatrix(Y, p);
  assert.equal(a.falsePositives, b.falseNegatives);
  assert.equal(a.falseNegatives, b.falsePositives);
});

Deno.test("confusionMatrix() agrees with NumPy on random labels, and its diagonal gives accuracy()", async () => {
  const p = randomLabels(257, 0.45, 11), Y = randomLabels(257, 0.6, 12);
  const numpy = JSON.parse(
    await python(
      `import json, sys, numpy as np
p = np.array(json.loads(sys.argv[1])); y = np.array(json.loads(sys.argv[2]))
print(json.dumps({"truePositives": int(np.sum((p == 1) & (y == 1))),
  "falsePositives": int(np.sum((p == 1) & (y == 0))),
  "trueNegatives": int(np.sum((p == 0) & (y == 0))),
  "falseNegatives": int(np.sum((p == 0) & (y == 1)))}))`,
      JSON.stringify([...p.data]),
      JSON.stringify([...Y.data]),
    ),
  );
  const counts = confusionMatrix(p, Y);
  assert.deepEqual(counts, numpy);
  assert.ok(Object.values(counts).every((n) => n > 0), "every kind occurs, so each is checked");
  assert.equal((counts.truePositives + counts.trueNegatives) / 257, accuracy(p, Y));
});

Deno.test("confusionMatrix() names the argument of a bad shape or a label other than 0 or 1", () => {
  const row = Matrix.from([[0, 1, 1]]);
  assert.throws(
    () => confusionMatrix(Matrix.from([[0, 1]]), row),
    new TypeError(
      "Cannot count with confusionMatrix as p and Y must have the same shape: p (1, 2), Y (1, 3)",
    ),
  );
  assert.throws(
    () => confusionMatrix(row, new Matrix(3, 1)),
    new TypeError(
      "Cannot count with confusionMatrix as Y must be one row of labels, shape (1, m): Y (3, 1)",
    ),
  );
  assert.throws(
    () => confusionMatrix(Matrix.from([[0, 0.7, 1]]), row),
    new RangeError("Cannot count with confusionMatrix as p must hold only 0 and 1: p[0, 1]=0.7"),
  );
  assert.throws(
    () => confusionMatrix(row, Matrix.from([[1, 0, 2]])),
    new RangeError("Cannot count with confusionMatrix as Y must hold only 0 and 1: Y[0, 2]=2"),
  );
});

Deno.test("confusionTable() puts true labels in rows and predictions in columns, with totals", () => {
  const counts = { truePositives: 30, falsePositives: 5, trueNegatives: 12, falseNegatives: 3 };
  const shown = confusionTable(counts, ["dog", "cat"]);
  const rows = [...shown.bundle["text/html"].matchAll(/<tr>(.*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1])
  );
  assert.deepEqual(rows, [
    ["", "predicted dog", "predicted cat", "total"],
    ["true dog", "12", "5", "17"],
    ["true cat", "3", "30", "33"],
    ["total", "15", "35", "50"],
  ]);
  assert.match(
    shown.bundle["text/html"],
    /<th scope="row" style="text-align: left; border-bottom: 0">true cat<\/th>/,
  );
  assert.match(shown.bundle["text/plain"], /^true cat {7,}3 +30 +33$/m);
});

Deno.test("classBalance() counts the 1s, and agrees with NumPy", async () => {
  assert.deepEqual(classBalance(Matrix.from([[0]])), {
    positives: 0,
    negatives: 1,
    m: 1,
    fraction: 0,
  });
  const Y = randomLabels(209, 0.34, 5);
  const [positives, fraction] = JSON.parse(
    await python(
      `import json, sys, numpy as np
y = np.array(json.loads(sys.argv[1])); print(json.dumps([int(y.sum()), float(y.mean())]))`,
      JSON.stringify([...Y.data]),
    ),
  );
  const balance = classBalance(Y);
  assert.deepEqual(balance, { positives, negatives: 209 - positives, m: 209, fraction });
});

Deno.test("classBalance() refuses no labels, a column, and a label other than 0 or 1", () => {
  assert.throws(
    () => classBalance(new Matrix(1, 0)),
    new TypeError("Cannot count with classBalance as Y must hold at least one label: Y (1, 0)"),
  );
  assert.throws(() => classBalance(new Matrix(2, 1)), /Y must be one row of labels.*Y \(2, 1\)/);
  assert.throws(() => classBalance(Matrix.from([[1, -1]])), /Y\[0, 1\]=-1/);
});
