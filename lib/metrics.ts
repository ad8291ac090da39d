/**
 * Beyond the accuracy: which way a classifier errs (the confusion matrix) and
 * how many examples of each class a set holds (its class balance). "Positive"
 * is the label 1, cat; "negative" is 0, non-cat.
 *
 * Taught in `notebooks/05_results_analysis.ipynb`.
 *
 * @module
 */

import type { Displayable } from "./display.ts";
import { type Matrix, shapeOf } from "./matrix.ts";
import { table } from "./table.ts";

/** The four counts of a confusion matrix, for labels 1 (positive, cat) and 0 (negative, non-cat). */
export interface ConfusionMatrix {
  /** Predicted 1, labelled 1: cats recognised. */
  truePositives: number;
  /** Predicted 1, labelled 0: non-cats taken for cats. */
  falsePositives: number;
  /** Predicted 0, labelled 0: non-cats recognised. */
  trueNegatives: number;
  /** Predicted 0, labelled 1: cats missed. */
  falseNegatives: number;
}

/**
 * Counts the predictions of each kind: right or wrong, for each true label. The
 * four counts add up to `m`, and `(truePositives + trueNegatives) / m` is the accuracy.
 *
 * @param p predicted labels 0 or 1, shape (1, m), e.g. `predict(X, parameters)`
 * @param Y true labels 0 or 1, shape (1, m)
 * @returns the counts of true and false positives and negatives
 * @throws {TypeError} if `p` or `Y` is not of shape (1, m), or their shapes differ;
 *   {RangeError} naming the argument and the index of a value other than 0 or 1
 * @example
 * ```ts
 * import { confusionMatrix, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const p = Matrix.from([[1, 1, 0, 0, 1]]), Y = Matrix.from([[1, 0, 0, 1, 1]]);
 * assert.deepEqual(confusionMatrix(p, Y), {
 *   truePositives: 2,
 *   falsePositives: 1,
 *   trueNegatives: 1,
 *   falseNegatives: 1,
 * });
 * ```
 */
export function confusionMatrix(p: Matrix, Y: Matrix): ConfusionMatrix {
  _checkLabels("confusionMatrix", "p", p);
  _checkLabels("confusionMatrix", "Y", Y);
  if (p.cols !== Y.cols) {
    throw new TypeError(
      `Cannot count with confusionMatrix as p and Y must have the same shape: p ${shapeOf(p)}, Y ${
        shapeOf(Y)
      }`,
    );
  }
  const counts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let j = 0; j < p.cols; j++) {
    const predicted = p.data[j], label = Y.data[j];
    if (predicted === 1 && label === 1) counts.truePositives++;
    else if (predicted === 1) counts.falsePositives++;
    else if (label === 0) counts.trueNegatives++;
    else counts.falseNegatives++;
  }
  return counts;
}

/**
 * Shows a confusion matrix as a table: a row per true label, a column per
 * predicted label, each with its total, so the diagonal holds the right answers.
 *
 * @param counts what {@link confusionMatrix} returned
 * @param classes the names of labels 0 and 1 (default `["non-cat", "cat"]`, as `data.classes`)
 * @returns a displayable table (HTML, and aligned text)
 * @example
 * ```ts
 * import { confusionTable } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * const counts = { truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1 };
 * assert.equal(
 *   confusionTable(counts).bundle["text/plain"],
 *   [
 *     "              predicted non-cat  predicted cat  total",
 *     "------------  -----------------  -------------  -----",
 *     "true non-cat                  1              1      2",
 *     "true cat                      1              2      3",
 *     "total                         2              3      5",
 *   ].join("\n"),
 * );
 * ```
 */
export function confusionTable(
  counts: ConfusionMatrix,
  classes: readonly string[] = ["non-cat", "cat"],
): Displayable {
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = counts;
  const [negative, positive] = classes;
  return table([
    [`true ${negative}`, tn, fp, tn + fp],
    [`true ${positive}`, fn, tp, fn + tp],
    ["total", tn + fn, fp + tp, tn + fp + fn + tp],
  ], { header: ["", `predicted ${negative}`, `predicted ${positive}`, "total"], rowHeader: true });
}

/** How many examples of a set are labelled 1, of how many. */
export interface ClassBalance {
  /** Examples labelled 1 (cats). */
  positives: number;
  /** Examples labelled 0 (non-cats). */
  negatives: number;
  /** All the examples: `positives + negatives`. */
  m: number;
  /** `positives / m`, between 0 and 1. */
  fraction: number;
}

/**
 * Counts the examples of each class in a set of labels: in the course's data, the
 * training set is one third cats, the test set two thirds.
 *
 * @param Y labels 0 or 1, shape (1, m), m at least 1
 * @returns the counts of 1s and 0s, `m` and the fraction of 1s
 * @throws {TypeError} if `Y` is not of shape (1, m) with m at least 1;
 *   {RangeError} naming the index of a value other than 0 or 1
 * @example
 * ```ts
 * import { classBalance, Matrix } from "@dnn/lib";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(classBalance(Matrix.from([[1, 0, 0, 1]])), {
 *   positives: 2,
 *   negatives: 2,
 *   m: 4,
 *   fraction: 0.5,
 * });
 * ```
 */
export function classBalance(Y: Matrix): ClassBalance {
  _checkLabels("classBalance", "Y", Y);
  if (Y.cols === 0) {
    throw new TypeError(
      "Cannot count with classBalance as Y must hold at least one label: Y (1, 0)",
    );
  }
  let positives = 0;
  for (const y of Y.data) positives += y;
  return { positives, negatives: Y.cols - positives, m: Y.cols, fraction: positives / Y.cols };
}

/** Checks that `A` is a row of 0s and 1s, with an error that names the function and the argument. */
function _checkLabels(fn: string, name: string, A: Matrix): void {
  if (A.rows !== 1) {
    throw new TypeError(
      `Cannot count with ${fn} as ${name} must be one row of labels, shape (1, m): ${name} ${
        shapeOf(A)
      }`,
    );
  }
  const bad = A.data.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) {
    throw new RangeError(
      `Cannot count with ${fn} as ${name} must hold only 0 and 1: ${name}[0, ${bad}]=${
        A.data[bad]
      }`,
    );
  }
}
