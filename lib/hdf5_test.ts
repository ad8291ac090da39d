import assert from "node:assert/strict";
import { join } from "node:path";
import { python } from "../tests/helpers.ts";
import { DataError } from "./errors.ts";
import {
  loadParameters,
  loadPreprocessed,
  openHdf5,
  saveParameters,
  savePreprocessed,
} from "./hdf5.ts";
import { initializeParametersDeep } from "./initialization.ts";
import { Matrix } from "./matrix.ts";

async function rejectsWith(
  promise: Promise<unknown>,
  file: string,
  problem: RegExp,
): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.ok(e instanceof DataError, `${e.name}: ${e.message}`);
    assert.equal(e.file, file);
    assert.ok(e.message.startsWith(`${file}: `), e.message);
    assert.match(e.message, problem);
    return true;
  });
}

const dir = await Deno.makeTempDir({ prefix: "dnn-hdf5-" });

Deno.test("saveParameters() and loadParameters() round-trip exactly", async () => {
  const file = join(dir, "roundtrip.h5");
  const parameters = initializeParametersDeep([6, 4, 3, 1]);
  await saveParameters(file, parameters, [6, 4, 3, 1]);
  const loaded = await loadParameters(file);
  assert.deepEqual(loaded.layersDims, [6, 4, 3, 1]);
  assert.deepEqual(loaded.parameters, parameters);
});

Deno.test("h5py reads what saveParameters() writes: values, shapes and attributes", async () => {
  const file = join(dir, "for-h5py.h5");
  const parameters = initializeParametersDeep([5, 2, 1]);
  await saveParameters(file, parameters, [5, 2, 1]);
  const seen = JSON.parse(
    await python(
      `import h5py, json, sys
f = h5py.File(sys.argv[1], "r")
print(json.dumps({"keys": sorted(f.keys()), "W1": f["W1"][:].tolist(), "dtype": str(f["W1"].dtype),
  "b2": list(f["b2"].shape), "version": int(f.attrs["format_version"]),
  "dims": [int(n) for n in f.attrs["layers_dims"]],
  "act": [str(f.attrs["hidden_activation"]), str(f.attrs["output_activation"])]}))`,
      file,
    ),
  );
  assert.deepEqual(seen.keys, ["W1", "W2", "b1", "b2"]);
  assert.deepEqual(seen.W1, parameters.W1.toArray());
  assert.equal(seen.dtype, "float64");
  assert.deepEqual(seen.b2, [1, 1]);
  assert.equal(seen.version, 1);
  assert.deepEqual(seen.dims, [5, 2, 1]);
  assert.deepEqual(seen.act, ["relu", "sigmoid"]);
});

Deno.test("loadParameters() reads a file that h5py wrote in the same layout", async () => {
  const file = join(dir, "from-h5py.h5");
  await python(
    `import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["format_version"] = 1
    f.attrs["layers_dims"] = np.array([3, 2, 1])
    f["W1"] = np.arange(6.0).reshape(2, 3); f["b1"] = np.array([[0.5], [-0.5]])
    f["W2"] = np.array([[1.0, -1.0]]); f["b2"] = np.array([[0.25]])`,
    file,
  );
  const { parameters, layersDims } = await loadParameters(file);
  assert.deepEqual(layersDims, [3, 2, 1]);
  assert.deepEqual(parameters.W1.toArray(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(parameters.b1.toArray(), [[0.5], [-0.5]]);
  assert.deepEqual(parameters.b2.toArray(), [[0.25]]);
});

Deno.test("loadParameters() names the file and the problem for each bad file", async () => {
  const write = (name: string, code: string) =>
    python(`import h5py, numpy as np, sys\n${code}`, join(dir, name));
  await write(
    "no-w2.h5",
    `with h5py.File(sys.argv[1], "w") as f:
    f.attrs["format_version"] = 1; f.attrs["layers_dims"] = [3, 2, 1]
    f["W1"] = np.zeros((2, 3)); f["b1"] = np.zeros((2, 1)); f["b2"] = np.zeros((1, 1))`,
  );
  await write(
    "bad-b1.h5",
    `with h5py.File(sys.argv[1], "w") as f:
    f.attrs["format_version"] = 1; f.attrs["layers_dims"] = [3, 2, 1]
    f["W1"] = np.zeros((2, 3)); f["b1"] = np.zeros((3, 1)); f["W2"] = np.zeros((1, 2)); f["b2"] = np.zeros((1, 1))`,
  );
  await write(
    "no-dims.h5",
    `with h5py.File(sys.argv[1], "w") as f:\n    f.attrs["format_version"] = 1`,
  );
  await write(
    "no-version.h5",
    `with h5py.File(sys.argv[1], "w") as f:\n    f["W1"] = np.zeros((1, 1))`,
  );
  await write(
    "version-9.h5",
    `with h5py.File(sys.argv[1], "w") as f:\n    f.attrs["format_version"] = 9; f.attrs["layers_dims"] = [1, 1]`,
  );
  await write(
    "nan.h5",
    `with h5py.File(sys.argv[1], "w") as f:
    f.attrs["format_version"] = 1; f.attrs["layers_dims"] = [2, 1]
    f["W1"] = np.array([[1.0, np.nan]]); f["b1"] = np.zeros((1, 1))`,
  );
  await write(
    "int-w.h5",
    `with h5py.File(sys.argv[1], "w") as f:
    f.attrs["format_version"] = 1; f.attrs["layers_dims"] = [2, 1]
    f["W1"] = np.array([[1, 2]]); f["b1"] = np.zeros((1, 1))`,
  );
  await Deno.writeTextFile(join(dir, "text.h5"), "these are not the weights you are looking for\n");
  await Deno.writeFile(join(dir, "empty.h5"), new Uint8Array());
  const whole = await Deno.readFile(join(dir, "bad-b1.h5"));
  await Deno.writeFile(join(dir, "truncated.h5"), whole.slice(0, Math.floor(whole.length / 3)));

  const cases: [string, RegExp][] = [
    ["missing.h5", /: file not found$/],
    ["empty.h5", /: the file is empty$/],
    ["text.h5", /: not a readable HDF5 file \(file signature not found\)$/],
    ["truncated.h5", /: not a readable HDF5 file \(truncated file/],
    ["no-w2.h5", /: dataset W2 is missing$/],
    ["bad-b1.h5", /: b1 has shape \(3, 1\), but layers_dims \[3,2,1\] needs \(2, 1\)$/],
    ["no-dims.h5", /: no layers_dims attribute$/],
    ["no-version.h5", /: no format_version attribute: not a parameters file$/],
    ["version-9.h5", /: unknown format_version 9 \(this library reads 1\)$/],
    ["nan.h5", /: W1 holds NaN at index 1$/],
    ["int-w.h5", /: W1 must hold floating-point numbers$/],
  ];
  for (const [name, problem] of cases) {
    await rejectsWith(loadParameters(join(dir, name)), join(dir, name), problem);
  }
});

Deno.test("saveParameters() replaces a file, and a failed save leaves the old one intact", async () => {
  const file = join(dir, "keep.h5");
  await saveParameters(file, initializeParametersDeep([4, 2, 1]), [4, 2, 1]);
  await saveParameters(file, initializeParametersDeep([3, 1]), [3, 1]);
  assert.deepEqual((await loadParameters(file)).layersDims, [3, 1]);
  const before = await Deno.readFile(file);
  await assert.rejects(
    saveParameters(file, { W1: new Matrix(2, 3), b1: new Matrix(2, 1) }, [3, 1]),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "saveParameters: W1 (2, 3) does not fit layersDims [3,1]: it must be (1, 3)",
  );
  await assert.rejects(saveParameters(file, { W1: new Matrix(1, 3) }, [3, 1]), /b1 is missing/);
  assert.deepEqual(await Deno.readFile(file), before);
  const leftovers = [...Deno.readDirSync(dir)].filter((e) => e.name.includes(".tmp-"));
  assert.deepEqual(leftovers, []);
});

Deno.test("saveParameters() into a folder that does not exist throws a DataError", async () => {
  const file = join(dir, "no", "such", "folder", "p.h5");
  await rejectsWith(
    saveParameters(file, initializeParametersDeep([2, 1]), [2, 1]),
    file,
    /cannot save/,
  );
});

Deno.test("openHdf5() refuses a folder", async () => {
  await rejectsWith(openHdf5(dir), dir, /: not a file$/);
});

Deno.test("savePreprocessed() writes what h5py reads, and loadPreprocessed() checks it all", async () => {
  const file = join(dir, "pre.h5");
  const X = Matrix.from([[0, 1], [0.5, 0.25], [1, 0]]), Y = Matrix.from([[1, 0]]);
  const data = {
    trainX: X,
    trainY: Y,
    testX: Matrix.from([[0.5], [0.5], [0.5]]),
    testY: Matrix.from([[1]]),
  };
  await savePreprocessed(file, { ...data, imageShape: [1, 1, 3] });
  assert.deepEqual(await loadPreprocessed(file), { ...data, imageShape: [1, 1, 3] });
  assert.equal(
    await python(
      `import h5py, sys; f = h5py.File(sys.argv[1]); print(list(f.attrs["image_shape"]), f["train_x"].shape, sorted(f))`,
      file,
    ),
    "[1, 1, 3] (3, 2) ['test_x', 'test_y', 'train_x', 'train_y']",
  );
  const write = (name: string, code: string) =>
    python(
      `import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["format_version"] = 1; f.attrs["image_shape"] = [1, 1, 3]
    f["train_x"] = np.full((3, 2), 0.5); f["train_y"] = np.array([[0.0, 1.0]])
    f["test_x"] = np.full((3, 1), 0.5); f["test_y"] = np.array([[1.0]])
${code}`,
      join(dir, name),
    );
  const cases: [string, string, RegExp][] = [
    [
      "rows.h5",
      `    del f["test_x"]; f["test_x"] = np.full((4, 1), 0.5)`,
      /: test_x has 4 rows, but images of 1x1x3 make 3$/,
    ],
    [
      "count.h5",
      `    del f["train_y"]; f["train_y"] = np.array([[0.0, 1.0, 1.0]])`,
      /: train_y \(1, 3\) must be \(1, 2\)/,
    ],
    [
      "label.h5",
      `    del f["test_y"]; f["test_y"] = np.array([[2.0]])`,
      /: test_y\[0, 0\] is 2: labels must be 0 or 1$/,
    ],
    [
      "range.h5",
      `    del f["train_x"]; f["train_x"] = np.full((3, 2), 255.0)`,
      /: train_x holds 255: inputs must lie in \[0, 1\]$/,
    ],
    ["missing.h5", `    del f["test_y"]`, /: dataset test_y is missing$/],
    [
      "vector.h5",
      `    del f["test_y"]; f["test_y"] = np.array([1.0])`,
      /: test_y is not a 2-D array of floating-point numbers$/,
    ],
    ["noshape.h5", `    del f.attrs["image_shape"]`, /: no image_shape attribute of 3 sizes$/],
  ];
  for (const [name, code, problem] of cases) {
    await write(name, code);
    await rejectsWith(loadPreprocessed(join(dir, name)), join(dir, name), problem);
  }
  await assert.rejects(
    savePreprocessed(join(dir, "bad.h5"), { ...data, imageShape: [2, 2, 3] }),
    (e: Error) =>
      e instanceof TypeError && /train_x has 3 rows, but images of 2x2x3 make 12/.test(e.message),
  );
});
