/**
 * `deno task train` as a user runs it: its output on the synthetic dataset,
 * `--json` and `--save`, and one clear line for every bad argument.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadParameters } from "../lib/hdf5.ts";
import { runTask } from "./helpers.ts";

/** A folder without the course's files: the command falls back on the synthetic dataset. */
const emptyDir = await Deno.makeTempDir({ prefix: "dnn-empty-" });
const small = ["--data", emptyDir, "--layers-dims", "12288,3,1"];

Deno.test("train prints the costs, the accuracies and a JSON summary, on the synthetic dataset", async () => {
  const run = await runTask("train", [...small, "--iterations", "201", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr.trim(),
    /^Course files not found in .*dnn-empty-.*: training on a synthetic dataset/,
  );
  const lines = run.stdout.trim().split("\n");
  assert.deepEqual(
    lines.slice(0, 4).map((l) => l.replace(/: .*/, "")),
    [
      "Cost after iteration 0",
      "Cost after iteration 100",
      "Cost after iteration 200",
      "Train accuracy",
    ],
  );
  const result = JSON.parse(lines.at(-1)!);
  assert.deepEqual(Object.keys(result).sort(), [
    "costs",
    "dataset",
    "iterations",
    "layersDims",
    "learningRate",
    "model",
    "seconds",
    "testAccuracy",
    "trainAccuracy",
  ]);
  assert.equal(result.dataset, "synthetic");
  assert.deepEqual(result.layersDims, [12288, 3, 1]);
  assert.equal(result.iterations, 201);
  // The JSON holds exactly the printed costs, printed at full precision.
  assert.deepEqual(
    result.costs,
    lines.slice(0, 3).map((l, k) => [k * 100, Number(l.split(": ")[1])]),
  );
  assert.ok(result.costs[2][1] < result.costs[0][1], "the cost goes down");
  assert.equal(lines[3], `Train accuracy: ${result.trainAccuracy}`);
  assert.equal(lines[4], `Test accuracy: ${result.testAccuracy}`);
  for (const a of [result.trainAccuracy, result.testAccuracy]) assert.ok(a >= 0 && a <= 1);
  assert.ok(result.seconds > 0);
});

Deno.test("train prints the last iteration's cost when it is not a multiple of 100", async () => {
  const run = await runTask("train", [...small, "--model", "two", "--iterations", "150"]);
  assert.equal(run.code, 0, run.stderr);
  const costLines = run.stdout.split("\n").filter((l) => l.startsWith("Cost after"));
  assert.deepEqual(costLines.map((l) => l.split(":")[0]), [
    "Cost after iteration 0",
    "Cost after iteration 100",
    "Cost after iteration 149",
  ]);
});

Deno.test("train --save writes parameters that load back and that h5py reads", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "params.h5");
  const run = await runTask("train", [...small, "--iterations", "3", "--save", file]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Saved the parameters to .*params\.h5/);
  const { parameters, layersDims } = await loadParameters(file);
  assert.deepEqual(layersDims, [12288, 3, 1]);
  assert.deepEqual(parameters.W1.shape, [3, 12288]);
  const py = await new Deno.Command("/usr/bin/python3", {
    args: [
      "-c",
      "import h5py,sys; f=h5py.File(sys.argv[1]); print(f['W1'].shape, f['b2'].shape, list(f.attrs['layers_dims']))",
      file,
    ],
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(py.stdout).trim(), "(3, 12288) (1, 1) [12288, 3, 1]");
  await Deno.remove(dir, { recursive: true });
});

// Each bad argument: exit code, and the one line on stderr.
const badArguments: [string[], number, RegExp][] = [
  [["--bogus"], 2, /^train: Unknown option '--bogus'/],
  [["--model", "three"], 2, /^train: --model must be deep or two, not "three"$/],
  [
    ["--layers-dims", "100,5,1"],
    2,
    /^train: --layers-dims must start with 12288, the number of values in one 64x64x3 image, not 100$/,
  ],
  [["--layers-dims", "12288,5,2"], 2, /^train: --layers-dims must end with 1/],
  [
    ["--layers-dims", "12288,x,1"],
    2,
    /^train: --layers-dims must be positive integers separated by commas, not "12288,x,1"$/,
  ],
  [["--layers-dims", "12288,0,1"], 2, /^train: --layers-dims must be positive integers/],
  [
    ["--model", "two", "--layers-dims", "12288,5,3,1"],
    2,
    /^train: --layers-dims for --model two must have 3 sizes/,
  ],
  [
    ["--learning-rate", "0"],
    2,
    /^train: --learning-rate must be a positive finite number, not "0"$/,
  ],
  [
    ["--learning-rate", "-0.01"],
    2,
    /^train: --learning-rate must be a positive finite number, not "-0.01"$/,
  ],
  [
    ["--learning-rate", "Infinity"],
    2,
    /^train: --learning-rate must be a positive finite number, not "Infinity"$/,
  ],
  [["--learning-rate", "NaN"], 2, /^train: --learning-rate must be a positive finite number/],
  [
    ["--learning-rate", "fast"],
    2,
    /^train: --learning-rate must be a positive finite number, not "fast"$/,
  ],
  [["--iterations", "0"], 2, /^train: --iterations must be a positive integer, not "0"$/],
  [["--iterations", "-3"], 2, /^train: --iterations must be a positive integer, not "-3"$/],
  [["--iterations", "2.5"], 2, /^train: --iterations must be a positive integer, not "2.5"$/],
  [["--iterations"], 2, /^train: Option '--iterations <value>' argument missing/],
  [["extra"], 2, /^train: Unexpected argument 'extra'/],
  [["--data", "/nonexistent/cats"], 1, /^train: \/nonexistent\/cats: data folder not found$/],
  [
    ["--learning-rate", "1e6", "--iterations", "100"],
    1,
    /^train: Training diverged at iteration \d+: the cost is (NaN|Infinity); try a smaller learning rate than 1000000$/,
  ],
];

for (const [args, code, message] of badArguments) {
  Deno.test(`train ${args.join(" ")} exits with ${code} and one line`, async () => {
    // The synthetic dataset unless the arguments name a folder.
    const withData = args.includes("--data") ? args : ["--data", emptyDir, ...args];
    const run = await runTask("train", withData);
    assert.equal(run.code, code, run.stderr);
    const lines = run.stderr.split("\n").filter((l) =>
      l !== "" && !l.startsWith("Course files not found")
    );
    assert.equal(lines.length, 1, `one line, no stack trace:\n${run.stderr}`);
    assert.match(lines[0], message);
    assert.doesNotMatch(run.stdout, /Test accuracy/);
  });
}

Deno.test("train --help prints the usage and exits with 0", async () => {
  const run = await runTask("train", ["--help"]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: deno task train/);
  for (
    const option of [
      "--model",
      "--layers-dims",
      "--iterations",
      "--learning-rate",
      "--data",
      "--save",
      "--json",
    ]
  ) {
    assert.ok(run.stdout.includes(option), option);
  }
});

Deno.test("train names an explicit DNN_DATA_DIR that does not exist", async () => {
  const run = await runTask("train", [], { DNN_DATA_DIR: "/nonexistent/env-cats" });
  assert.equal(run.code, 1);
  assert.equal(run.stderr.trim(), "train: /nonexistent/env-cats: data folder not found");
});
