import assert from "node:assert/strict";
import { linearActivationBackward, linearBackward, lModelBackward } from "./backward.ts";
import { computeCost } from "./cost.ts";
import { checkExercise, checkOnRandomInputs, exerciseCase, ExerciseError } from "./exercises.ts";
import { linearForward } from "./forward.ts";
import { mistakeHint } from "./hints.ts";
import {
  add,
  addColumn,
  matmul,
  matmulTransA,
  matmulTransB,
  Matrix,
  scale,
  sumRows,
  transpose,
} from "./matrix.ts";
import { RandomState } from "./random.ts";

/** The message of the ExerciseError that the check of `fn` throws. */
async function failure(name: string, fn: unknown): Promise<string> {
  try {
    await checkExercise(name as never, fn as never, () => {});
  } catch (error) {
    assert.ok(error instanceof ExerciseError, `${name}: ${error}`);
    return error.message;
  }
  throw new Error(`${name}: the check passed`);
}

/** Asserts that the check of `fn` fails with `hint` added to its message. */
async function assertHint(name: string, fn: unknown, hint: string) {
  const message = await failure(name, fn);
  assert.ok(message.startsWith(`${name}: `), message);
  assert.ok(message.endsWith(`. Hint: ${hint}`), message);
}

// Real mistaken learner functions, each with one of the common mistakes.

/** Z = W·APrev, the `+ b` forgotten. */
const linearForwardNoB: typeof linearForward = (APrev, W, b) => [matmul(W, APrev), { APrev, W, b }];

/** Z computed right, then returned transposed. */
const linearForwardTransposed: typeof linearForward = (APrev, W, b) => [
  transpose(addColumn(matmul(W, APrev), b)),
  { APrev, W, b },
];

/** linearBackward with some of its three products changed. */
function linearBackwardWith(
  change: { dAPrev?: (dAPrev: Matrix, m: number) => Matrix; dW?: typeof matmulTransB },
): typeof linearBackward {
  return (dZ, { APrev, W }, { dAPrev: wanted = true } = {}) => {
    const m = APrev.cols;
    const dW = change.dW ? change.dW(dZ, APrev) : scale(matmulTransB(dZ, APrev), 1 / m);
    const db = scale(sumRows(dZ), 1 / m);
    const dAPrev = matmulTransA(W, dZ);
    return [wanted ? (change.dAPrev?.(dAPrev, m) ?? dAPrev) : undefined, dW, db];
  };
}

/** dW = dZ·APrevᵀ, the 1/m forgotten. */
const linearBackwardNoM = linearBackwardWith({ dW: (dZ, APrev) => matmulTransB(dZ, APrev) });

/** dAPrev = Wᵀ·dZ / m: a 1/m where there is none. */
const linearBackwardExtraM = linearBackwardWith({ dAPrev: (dAPrev, m) => scale(dAPrev, 1 / m) });

/** dW = APrev·dZᵀ / m: the product the wrong way round. */
const linearBackwardWrongOrder = linearBackwardWith({
  dW: (dZ, APrev) => scale(matmulTransB(APrev, dZ), 1 / APrev.cols),
});

/** The cost from its sums, with the leading minus or the 1/m as asked. */
function costWith({ minus, overM }: { minus: boolean; overM: boolean }): typeof computeCost {
  return (AL, Y) => {
    const m = Y.cols;
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const a = AL.data[j], y = Y.data[j];
      sum += y * Math.log(a) + (1 - y) * Math.log(1 - a);
    }
    return (minus ? -sum : sum) / (overM ? m : 1);
  };
}

/** lModelBackward with dAL = Y/AL − (1 − Y)/(1 − AL): the leading minus forgotten. */
const lModelBackwardSignFlipped: typeof lModelBackward = (AL, Y, caches) => {
  const dAL = new Matrix(AL.rows, AL.cols);
  for (let j = 0; j < dAL.data.length; j++) {
    const a = AL.data[j], y = Y.data[j];
    dAL.data[j] = y / a - (1 - y) / (1 - a);
  }
  const L = caches.length;
  const grads: Record<string, Matrix> = {};
  let dA = dAL;
  for (let l = L; l >= 1; l--) {
    const activation = l === L ? "sigmoid" : "relu";
    const [dAPrev, dW, db] = linearActivationBackward(dA, caches[l - 1], activation, {
      dAPrev: l > 1,
    });
    grads[`dW${l}`] = dW;
    grads[`db${l}`] = db;
    if (dAPrev) grads[`dA${l - 1}`] = dA = dAPrev;
  }
  return grads;
};

Deno.test("a missing + b: each row off by the same amount", async () => {
  await assertHint(
    "linearForward",
    linearForwardNoB,
    "each row is off by the same amount in every column: " +
      "is `+ b` missing (or b added twice, or subtracted)?",
  );
});

Deno.test("a transposed result: shape (2, 1) for (1, 2)", async () => {
  const message = await failure("linearForward", linearForwardTransposed);
  assert.match(message, /^linearForward: shape mismatch: Z is \(2, 1\), expected \(1, 2\)\. Hint:/);
  assert.ok(
    message.endsWith(
      "it is the transpose of what is expected: " +
        "check the order of the product, or a missing transpose",
    ),
    message,
  );
});

Deno.test("a product the wrong way round: dW transposed", async () => {
  await assertHint(
    "linearBackward",
    linearBackwardWrongOrder,
    "it is the transpose of what is expected: check the order of the product, or a missing transpose",
  );
});

Deno.test("a missing 1/m in dW: every entry m = 4 times the expected", async () => {
  const message = await failure("linearBackward", linearBackwardNoM);
  assert.match(message, /^linearBackward: dW\[0, 0\] differs/);
  assert.ok(
    message.endsWith(
      ". Hint: every entry is 4 times the expected: is the 1/m (or another factor) missing?",
    ),
    message,
  );
});

Deno.test("a 1/m too many in dAPrev: every entry divided by m = 4", async () => {
  await assertHint(
    "linearBackward",
    linearBackwardExtraM,
    "every entry is the expected divided by 4: is there a 1/m (or another factor) too many?",
  );
});

Deno.test("dAL with its sign flipped: every gradient of the wrong sign", async () => {
  const message = await failure("lModelBackward", lModelBackwardSignFlipped);
  assert.match(message, /^lModelBackward: grads\.dA1\[0, 0\] differs/);
  assert.ok(message.endsWith(". Hint: every entry has the wrong sign"), message);
});

Deno.test("the cost with the wrong sign, or without its 1/m", async () => {
  await assertHint(
    "computeCost",
    costWith({ minus: false, overM: true }),
    "the cost has the wrong sign: the formula starts with −1/m",
  );
  await assertHint(
    "computeCost",
    costWith({ minus: true, overM: false }),
    "the cost is 3 times the expected: is the 1/m missing?",
  );
  // The same sums, both right: the check passes.
  await checkExercise("computeCost", costWith({ minus: true, overM: true }), () => {});
});

Deno.test("an unrelated wrong answer (random noise) gets no hint", async () => {
  const noise = (M: Matrix, seed: number) =>
    add(M, scale(new RandomState(seed).randn(M.rows, M.cols), 1e-3));
  for (const seed of [1, 2, 3]) {
    const noisyZ: typeof linearForward = (APrev, W, b) => {
      const [Z, cache] = linearForward(APrev, W, b);
      return [noise(Z, seed), cache];
    };
    const message = await failure("linearForward", noisyZ);
    assert.match(message, /^linearForward: Z\[0, 0\] differs/);
    assert.doesNotMatch(message, /Hint/);

    const noisyDW: typeof linearBackward = (dZ, cache, options) => {
      const [dAPrev, dW, db] = linearBackward(dZ, cache, options);
      return [dAPrev, noise(dW, seed), db];
    };
    assert.doesNotMatch(await failure("linearBackward", noisyDW), /Hint/);

    const r = new RandomState(seed);
    const noisyCost = (AL: Matrix, Y: Matrix) => computeCost(AL, Y) + 1e-3 * r.randn(1, 1).data[0];
    assert.doesNotMatch(await failure("computeCost", noisyCost), /Hint/);
  }
});

Deno.test("mistakeHint() of a right value, or of a value of another kind, is undefined", () => {
  const { W } = exerciseCase("linearBackward");
  const rows = W.toArray();
  assert.equal(mistakeHint(rows, W), undefined);
  assert.equal(
    mistakeHint(rows, Matrix.from(rows.map((r) => r.map((x) => x * (1 + 1e-12))))),
    undefined,
  );
  assert.equal(mistakeHint(rows, undefined), undefined);
  assert.equal(mistakeHint(rows, rows), undefined); // rows, not a Matrix
  assert.equal(mistakeHint(0.5, "0.5"), undefined);
  assert.equal(mistakeHint([0.5, 0.25], [0.5]), undefined);
  // A symmetric matrix is its own transpose: right, not "transposed".
  assert.equal(mistakeHint([[1, 2], [2, 1]], Matrix.from([[1, 2], [2, 1]])), undefined);
});

Deno.test("mistakeHint() of a random matrix, of another shape, or of noise, is undefined", () => {
  const r = new RandomState(5);
  const expected = r.randn(3, 5).toArray();
  assert.equal(mistakeHint(expected, r.randn(3, 5)), undefined);
  assert.equal(mistakeHint(expected, r.randn(5, 3)), undefined);
  assert.equal(mistakeHint(expected, r.randn(3, 4)), undefined);
  const zeros = new Matrix(3, 5);
  assert.equal(mistakeHint(expected, zeros), undefined);
  assert.equal(mistakeHint([0.1, 0.2, 0.3], [0.1, 0.25, 0.3]), undefined);
  assert.equal(mistakeHint(0.2797765635793422, 0.2797765635793422 + 1e-3), undefined);
  // A count is not a cost: caches.length 4 for 2 is no missing 1/m.
  assert.equal(mistakeHint(2, 4), undefined);
  // A column (n, 1) has one column only: no "same amount in every column".
  assert.equal(mistakeHint([[1], [2]], Matrix.from([[1.5], [2.25]])), undefined);
});

Deno.test("mistakeHint() names each mistake on hand-made values", () => {
  const E = [[1, -2, 3], [0, 5, -6]];
  const M = (rows: number[][]) => Matrix.from(rows);
  assert.match(mistakeHint(E, M([[1, 0], [-2, 5], [3, -6]]))!, /transpose/);
  assert.match(mistakeHint([[1, 2], [3, 4]], M([[1, 3], [2, 4]]))!, /transpose/);
  assert.match(mistakeHint(E, M([[7, -14, 21], [0, 35, -42]]))!, /^every entry is 7 times/);
  assert.match(mistakeHint(E, M([[0.5, -1, 1.5], [0, 2.5, -3]]))!, /divided by 2:/);
  assert.equal(mistakeHint(E, M([[-1, 2, -3], [0, -5, 6]])), "every entry has the wrong sign");
  assert.match(mistakeHint(E, M([[1.5, -1.5, 3.5], [-2, 3, -8]]))!, /`\+ b` missing/);
  assert.match(mistakeHint([0.69, 0.68], [-0.69, -0.68])!, /wrong sign/);
  assert.match(mistakeHint([0.69, 0.68], [144.21, 142.12])!, /209 times/);
  assert.match(mistakeHint(0.25, -0.25)!, /the cost has the wrong sign/);
  assert.match(mistakeHint(0.25, 0.75)!, /the cost is 3 times/);
  // Within the hint's rtol of 1e-6, though not of the check's 1e-9.
  assert.match(mistakeHint(0.25, 0.75 * (1 + 1e-7))!, /3 times/);
  assert.equal(mistakeHint(0.25, 0.75 * (1 + 1e-5)), undefined);
});

Deno.test("the hidden tests give the hint too, before saying they are the hidden tests", async () => {
  const noB = (APrev: Matrix, W: Matrix, b: Matrix) => {
    const [, cache] = linearForward(APrev, W, b);
    return [matmul(W, APrev), cache] as [Matrix, typeof cache];
  };
  await assert.rejects(
    checkOnRandomInputs("linearForward", noB, () => {}),
    /^ExerciseError: linearForward: Z\[0, 0\] differs: .*\. Hint: .*`\+ b` missing.* \(hidden tests, random inputs\)$/,
  );
});
