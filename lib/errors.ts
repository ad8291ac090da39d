/**
 * The error every loader throws for a bad file or folder: it names the file and
 * the problem, so a command can print it as one line.
 *
 * @module
 */

/** A file or folder that cannot be used, and why. */
export class DataError extends Error {
  /** The file or folder at fault. */
  readonly file: string;

  /**
   * @param file the file or folder at fault
   * @param problem what is wrong with it, starting lower-case, no final period
   * @example
   * ```ts
   * import { DataError } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * const e = new DataError("data/train_catvnoncat.h5", "file not found");
   * assert.equal(e.message, "data/train_catvnoncat.h5: file not found");
   * assert.equal(e.file, "data/train_catvnoncat.h5");
   * ```
   */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "DataError";
    this.file = file;
  }
}
