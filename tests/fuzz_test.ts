/**
 * Fuzzing the loaders: thousands of randomly damaged PNG, JPEG and HDF5 files
 * (bytes changed, bits flipped, bytes inserted, files cut short), each of which
 * must end in a result or a `DataError` naming the file, within a time bound.
 * The seed is fixed (DNN_FUZZ_SEED to try others), so CI sees the same inputs.
 */

import assert from "node:assert/strict";
import jpeg from "jpeg-js";
import { join } from "node:path";
import { COURSE_FILES } from "../lib/data.ts";
import { encodePng } from "../lib/images.ts";
import {
  DataError,
  initializeParametersDeep,
  loadDataset,
  loadImage,
  loadParameters,
  RandomState,
  saveParameters,
} from "../lib/mod.ts";
import { python } from "./helpers.ts";

const SEED = Number(Deno.env.get("DNN_FUZZ_SEED") ?? 42);
const PER_KIND = 1000;
/** Each input must be answered well within this: the loaders take a few ms on these small files. */
const BOUND_MS = 2000;

const rng = new RandomState(SEED);
const byte = () => rng.nextUint32() & 255;
const below = (n: number) => rng.nextUint32() % n;

/** One random kind of damage. */
function mutate(original: Uint8Array): Uint8Array {
  const out = original.slice();
  switch (below(4)) {
    case 0: // change up to 8 bytes
      for (let i = 0, n = 1 + below(8); i < n; i++) out[below(out.length)] = byte();
      return out;
    case 1: // cut short
      return out.slice(0, below(out.length));
    case 2: { // insert up to 16 bytes
      const at = below(out.length);
      const inserted = Array.from({ length: 1 + below(16) }, byte);
      return new Uint8Array([...out.slice(0, at), ...inserted, ...out.slice(at)]);
    }
    default: // flip one bit
      out[below(out.length)] ^= 1 << below(8);
      return out;
  }
}

const dir = await Deno.makeTempDir({ prefix: "dnn-fuzz-" });
const pixels = new Uint8Array(30 * 40 * 3).map(byte);
const rgba = new Uint8Array(30 * 40 * 4).map(byte);
await saveParameters(join(dir, "params.h5"), initializeParametersDeep([6, 3, 1]), [6, 3, 1]);
await python(
  `import h5py, numpy as np, sys
for part in ("train", "test"):
    with h5py.File(f"{sys.argv[1]}/{part}_catvnoncat.h5", "w") as f:
        f[f"{part}_set_x"] = np.random.RandomState(0).randint(0, 256, size=(4, 8, 8, 3)).astype(np.uint8)
        f[f"{part}_set_y"] = np.array([0, 1, 1, 0])
        f["list_classes"] = np.array([b"non-cat", b"cat"])`,
  dir,
);

const kinds: [string, Uint8Array, (file: string) => Promise<unknown>][] = [
  ["png", encodePng(pixels, 30, 40), loadImage],
  ["jpg", new Uint8Array(jpeg.encode({ data: rgba, width: 40, height: 30 }, 80).data), loadImage],
  ["params.h5", await Deno.readFile(join(dir, "params.h5")), loadParameters],
  [
    COURSE_FILES.train,
    await Deno.readFile(join(dir, COURSE_FILES.train)),
    () => loadDataset({ dataDir: dir }),
  ],
];

for (const [name, original, load] of kinds) {
  Deno.test(`${PER_KIND} damaged ${name} files each end in a result or a DataError, in time (seed ${SEED})`, async () => {
    const counts = { result: 0, DataError: 0 };
    let slowest = 0;
    for (let i = 0; i < PER_KIND; i++) {
      const damaged = mutate(original);
      const file = join(dir, name.endsWith(".h5") ? name : `damaged.${name}`);
      await Deno.writeFile(file, damaged);
      const start = performance.now();
      try {
        await load(file);
        counts.result++;
      } catch (e) {
        if (!(e instanceof DataError)) {
          await Deno.writeFile(join(dir, `failing-${i}.${name}`), damaged);
          assert.fail(`input ${i}: ${(e as Error).name}: ${(e as Error).message.split("\n")[0]}`);
        }
        assert.ok(
          e.message.startsWith(dir),
          `input ${i}: the message names the file: ${e.message}`,
        );
        assert.ok(!e.message.includes("\n"), `input ${i}: one line`);
        counts.DataError++;
      }
      slowest = Math.max(slowest, performance.now() - start);
      assert.ok(slowest < BOUND_MS, `input ${i} took ${slowest.toFixed(0)} ms`);
    }
    await Deno.writeFile(join(dir, name.endsWith(".h5") ? name : `damaged.${name}`), original);
    console.log(
      `${name}: ${counts.result} results, ${counts.DataError} DataErrors, slowest ${
        slowest.toFixed(1)
      } ms`,
    );
    assert.ok(
      counts.DataError > PER_KIND / 10,
      "the damage is caught often enough to mean something",
    );
  });
}
