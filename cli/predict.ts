/**
 * `deno task predict`: says "cat" or "non-cat" for each image, with a model
 * saved by `deno task train --save`.
 *
 * ```sh
 * deno task predict --params FILE IMAGE... [--json]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DataError, loadParameters, predictImage } from "../lib/mod.ts";
import { fail, UsageError } from "./errors.ts";

const USAGE = `Usage: deno task predict --params FILE IMAGE... [--json]

Prints, for each JPEG or PNG image, the probability of "cat" and the label.

Options:
  --params FILE   parameters saved by \`deno task train --save FILE\`
  --json          one JSON object per image: {"file", "probability", "label"}
  --help          show this help`;

async function main(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        params: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.params === undefined) throw new UsageError("--params FILE is required (see --help)");
  if (positionals.length === 0) throw new UsageError("name at least one image (see --help)");
  const { parameters } = await loadParameters(values.params);
  if (parameters.W1.cols !== 64 * 64 * 3) {
    throw new DataError(
      values.params,
      `the model takes ${parameters.W1.cols} inputs, not 64x64x3 = 12288 pixel values`,
    );
  }
  for (const file of positionals) {
    const { probability, label } = await predictImage(file, parameters);
    if (values.json) console.log(JSON.stringify({ file, probability, label }));
    else console.log(`${file}: ${label} (probability of cat ${probability.toFixed(4)})`);
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    fail("predict", e);
  }
}
