import assert from "node:assert/strict";
import { join } from "node:path";
import { courseDataDir, python } from "../tests/helpers.ts";
import {
  COURSE_FILES,
  flatten,
  labelsRow,
  loadDataset,
  resolveDataDir,
  syntheticDataset,
} from "./data.ts";
import { DataError } from "./errors.ts";

Deno.test(
  "loadDataset() reads the course's files as h5py does, and flatten() is NumPy's reshape(m, -1).T / 255",
  async () => {
    const dir = courseDataDir();
    const data = await loadDataset({ dataDir: dir });
    assert.equal(data.source, "course");
    const tmp = await Deno.makeTempDir();
    // NumPy's view of the same files: shapes, labels, classes and a few flattened entries.
    const numpy = JSON.parse(
      await python(
        `import h5py, json, sys, numpy as np
out = {}
for part in ("train", "test"):
    with h5py.File(f"{sys.argv[1]}/{part}_catvnoncat.h5", "r") as f:
        x = np.array(f[f"{part}_set_x"]); y = np.array(f[f"{part}_set_y"])
        X = x.reshape(x.shape[0], -1).T / 255.
        X.astype("<f8").tofile(f"{sys.argv[2]}/{part}.f64")
        out[part] = {"shape": list(x.shape), "y": y.tolist(),
                     "entries": [[i, j, float(X[i, j])] for i, j in [(0, 0), (1, 0), (12287, 208 if part == "train" else 49), (5000, 17)]],
                     "classes": [c.decode() for c in f["list_classes"]]}
print(json.dumps(out))`,
        dir,
        tmp,
      ),
    );
    for (const part of ["train", "test"] as const) {
      const set = data[part], expected = numpy[part];
      assert.deepEqual([set.m, set.height, set.width, set.channels], expected.shape);
      assert.deepEqual(Array.from(set.labels), expected.y);
      const X = flatten(set);
      assert.deepEqual(X.shape, [12288, set.m]);
      for (const [i, j, v] of expected.entries) {
        assert.equal(X.get(i, j), v, `${part} X[${i}, ${j}]`);
      }
      // Every one of the 12288 x m values, bit for bit.
      const bytes = await Deno.readFile(join(tmp, `${part}.f64`));
      assert.ok(
        new Float64Array(bytes.buffer).every((v, k) => v === X.data[k]),
        `${part}: flatten() differs`,
      );
      assert.deepEqual(Array.from(labelsRow(set).data), expected.y);
      assert.deepEqual(data.classes, expected.classes);
    }
    await Deno.remove(tmp, { recursive: true });
  },
);

Deno.test("resolveDataDir() prefers the option, then DNN_DATA_DIR, then data/", () => {
  assert.deepEqual(resolveDataDir("/from/option", "/from/env"), {
    dir: "/from/option",
    explicit: true,
  });
  assert.deepEqual(resolveDataDir(undefined, "/from/env"), { dir: "/from/env", explicit: true });
  // An unset (or empty) DNN_DATA_DIR: the repository's data/ folder.
  const { dir, explicit } = resolveDataDir(undefined, "");
  assert.equal(explicit, false);
  assert.equal(dir, new URL("../data", import.meta.url).pathname);
});

Deno.test("syntheticDataset() has the course's shapes, is deterministic and learnable-looking", () => {
  const a = syntheticDataset(), b = syntheticDataset();
  assert.deepEqual(a, b);
  assert.equal(a.source, "synthetic");
  assert.deepEqual(a.classes, ["non-cat", "cat"]);
  assert.deepEqual([a.train.m, a.train.height, a.train.width, a.train.channels], [209, 64, 64, 3]);
  assert.equal(a.test.m, 50);
  assert.equal(a.train.images.length, 209 * 64 * 64 * 3);
  assert.ok(a.train.labels.every((y) => y === 0 || y === 1));
  const cats = a.train.labels.reduce((s, y) => s + y, 0) / a.train.m;
  assert.ok(cats > 0.2 && cats < 0.5, `share of cats ${cats}`);
  // Cats are mostly warmer (more red than blue) than non-cats.
  const warmth = (i: number) => {
    let s = 0;
    for (let p = 0; p < 64 * 64; p++) {
      s += a.train.images[(i * 4096 + p) * 3] - a.train.images[(i * 4096 + p) * 3 + 2];
    }
    return s;
  };
  const mean = (label: number) => {
    const idx = [...a.train.labels.keys()].filter((i) => a.train.labels[i] === label);
    return idx.reduce((s, i) => s + warmth(i), 0) / idx.length;
  };
  assert.ok(mean(1) > mean(0));
});

Deno.test("loadDataset() falls back on the synthetic dataset when the folder has neither file", async () => {
  const empty = await Deno.makeTempDir();
  const data = await loadDataset({ dataDir: empty });
  assert.equal(data.source, "synthetic");
  assert.equal(data.dir, empty);
});

/** Writes a course-like file with h5py; `code` may change x, y or names before writing. */
async function courseLike(path: string, part: "train" | "test", code = ""): Promise<void> {
  await python(
    `import h5py, numpy as np, sys
m = 4
x = np.random.RandomState(0).randint(0, 256, size=(m, 8, 8, 3)).astype(np.uint8)
y = np.array([0, 1, 1, 0], dtype=np.int64)
xname, yname = "${part}_set_x", "${part}_set_y"
${code}
with h5py.File(sys.argv[1], "w") as f:
    f[xname] = x; f[yname] = y; f["list_classes"] = np.array([b"non-cat", b"cat"])`,
    path,
  );
}

Deno.test("loadDataset() names the file and the problem for each bad input", async () => {
  const root = await Deno.makeTempDir({ prefix: "dnn-data-" });
  const folder = async (name: string, train: string | null, test = "") => {
    const dir = join(root, name);
    await Deno.mkdir(dir);
    if (train !== null) await courseLike(join(dir, COURSE_FILES.train), "train", train);
    await courseLike(join(dir, COURSE_FILES.test), "test", test);
    return dir;
  };
  const ok = await folder("ok", "");
  assert.equal((await loadDataset({ dataDir: ok })).train.m, 4);

  const cases: [string, string, RegExp][] = [
    [
      await folder("only-test", null),
      COURSE_FILES.train,
      /: file not found \(its twin is there\)$/,
    ],
    [
      await folder("names", `xname = "images"`),
      COURSE_FILES.train,
      /: dataset train_set_x is missing \(found: images, list_classes, train_set_y\)$/,
    ],
    [
      await folder("counts", "y = np.array([0, 1, 1])"),
      COURSE_FILES.train,
      /: train_set_y has 3 labels for 4 images$/,
    ],
    [
      await folder("label2", "y = np.array([0, 1, 2, 0])"),
      COURSE_FILES.train,
      /: train_set_y\[2\] is 2: labels must be 0 or 1$/,
    ],
    [
      await folder("rank", "x = x.reshape(4, 64, 3)"),
      COURSE_FILES.train,
      /: train_set_x must have shape \(m, height, width, 3\), not \(4, 64, 3\)$/,
    ],
    [
      await folder("dtype", "x = x.astype(np.float32)"),
      COURSE_FILES.train,
      /: train_set_x must hold unsigned 8-bit pixels/,
    ],
    [
      await folder("size", "", "x = np.zeros((4, 6, 6, 3), dtype=np.uint8)"),
      COURSE_FILES.test,
      /: images are 6x6, the training images 8x8$/,
    ],
  ];
  for (const [dir, file, problem] of cases) {
    await assert.rejects(loadDataset({ dataDir: dir }), (e: Error) => {
      assert.ok(e instanceof DataError, `${e.name}: ${e.message}`);
      assert.equal(e.file, join(dir, file));
      assert.match(e.message, problem);
      return true;
    });
  }

  const broken = join(root, "broken");
  await Deno.mkdir(broken);
  await Deno.writeTextFile(join(broken, COURSE_FILES.train), "not hdf5");
  await Deno.writeFile(join(broken, COURSE_FILES.test), new Uint8Array());
  await assert.rejects(
    loadDataset({ dataDir: broken }),
    /train_catvnoncat.h5: not a readable HDF5 file \(file signature not found\)/,
  );
  await Deno.writeFile(
    join(broken, COURSE_FILES.train),
    await Deno.readFile(join(ok, COURSE_FILES.train)),
  );
  await assert.rejects(loadDataset({ dataDir: broken }), /test_catvnoncat.h5: the file is empty/);
  await assert.rejects(
    loadDataset({ dataDir: join(root, "nowhere") }),
    (e: Error) =>
      e instanceof DataError && e.message === `${join(root, "nowhere")}: data folder not found`,
  );
});
