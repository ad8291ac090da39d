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
    lines.slice(0, 5).map((l) => l.replace(/: .*/, "")),
    [
      "Matrix products",
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
    "products",
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
    lines.slice(1, 4).map((l, k) => [k * 100, Number(l.split(": ")[1])]),
  );
  assert.ok(result.costs[2][1] < result.costs[0][1], "the cost goes down");
  assert.equal(lines[4], `Train accuracy: ${result.trainAccuracy}`);
  assert.equal(lines[5], `Test accuracy: ${result.testAccuracy}`);
  // By default the products run on the fast backend, on every core.
  assert.match(lines[0], /^Matrix products: fast, \d+ threads?, f64$/);
  assert.equal(result.products, lines[0].replace("Matrix products: ", ""));
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
    /^train: --layers-dims must start with 12288, the number of values in one example \(a column of X\), not "100,5,1"$/,
  ],
  [["--layers-dims", "12288,5,2"], 2, /^train: --layers-dims must end with 1/],
  [
    ["--layers-dims", "12288,x,1"],
    2,
    /^train: --layers-dims must be positive integers, not "12288,x,1"$/,
  ],
  [["--layers-dims", "12288,0,1"], 2, /^train: --layers-dims must be positive integers/],
  [
    ["--layers-dims", "12288"],
    2,
    /^train: --layers-dims needs at least 2 sizes \(input and output\), not "12288"$/,
  ],
  [
    ["--model", "two", "--layers-dims", "12288,5,3,1"],
    2,
    /^train: --layers-dims must have 3 sizes \[nX, nH, nY\] for the two-layer model, not "12288,5,3,1"$/,
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

/** The costs `train --json` printed, with the products' description. */
async function costsOf(args: string[], env: Record<string, string> = {}) {
  const run = await runTask("train", [...small, "--iterations", "60", "--json", ...args], env);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
  return { costs: result.costs.map(([, c]: number[]) => c) as number[], result, run };
}

Deno.test("train gives the same costs, to the last bit, on the fast backend (1 or 2 threads) and plain", async () => {
  const plain = await costsOf(["--backend", "plain"]);
  assert.equal(plain.result.products, "plain TypeScript");
  for (const threads of ["1", "2"]) {
    const fast = await costsOf(["--threads", threads]);
    assert.match(fast.result.products, new RegExp(`^fast, ${threads} threads?, f64$`));
    assert.deepEqual(fast.costs, plain.costs);
  }
});

Deno.test("train --precision f32 and --fma drift from the float64 costs, but only a little", async () => {
  const f64 = await costsOf([]);
  const modes = [
    { mode: ["--precision", "f32"], products: /, f32, fused multiply-add$/ }, // the fast lane
    { mode: ["--precision", "f32", "--no-fma"], products: /, f32$/ },
    { mode: ["--fma"], products: /, f64, fused multiply-add$/ },
  ];
  for (const { mode, products } of modes) {
    const { costs, result } = await costsOf(mode);
    assert.match(result.products, products);
    // float32 moves the costs visibly; fused multiply-add only in bits the printed
    // costs may round away (backend_test.ts shows its products differ).
    if (mode[1] === "f32") assert.notDeepEqual(costs, f64.costs, `${mode}: other roundings`);
    costs.forEach((c, i) => {
      const drift = Math.abs(c - f64.costs[i]) / f64.costs[i];
      assert.ok(drift < 1e-5, `${mode}, printed cost ${i}: drift ${drift}`);
    });
  }
});

Deno.test("train falls back on the plain kernels, with a one-line notice, where the fast backend cannot run", async () => {
  // Read permission for the data folder only: kernels.wasm cannot be read.
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${emptyDir}`,
      "--allow-env",
      "cli/train.ts",
      ...small,
      "--iterations",
      "2",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout),
    stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const notices = stderr.split("\n").filter((l) => l.startsWith("Fast backend unavailable"));
  assert.equal(notices.length, 1, stderr);
  assert.match(notices[0], /kernels\.wasm.*: using the plain TypeScript kernels\.$/);
  assert.match(stdout, /^Matrix products: plain TypeScript$/m);
  assert.match(stdout, /^Train accuracy: /m);
});

Deno.test("train refuses bad backend options with one line", async () => {
  for (
    const [args, message] of <[string[], string][]> [
      [["--backend", "gpu"], 'train: --backend must be "fast" or "plain", not "gpu"'],
      [["--precision", "f16"], 'train: --precision must be "f64" or "f32", not "f16"'],
      [["--threads", "0"], 'train: --threads must be an integer from 1 to 64, not "0"'],
      [["--threads", "1.5"], 'train: --threads must be an integer from 1 to 64, not "1.5"'],
      [
        ["--backend", "plain", "--fma"],
        'train: --backend must be "fast" for threads, precision "f32" or fma, not "plain"',
      ],
    ]
  ) {
    const run = await runTask("train", [...small, ...args]);
    assert.equal(run.code, 2, args.join(" "));
    assert.equal(run.stderr.trim(), message);
  }
});
