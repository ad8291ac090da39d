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

  /**
   * The error for a file that could not be opened or read: "file not found", or
   * the system's reason.
   *
   * @param file the file
   * @param error what opening or reading it threw
   * @returns the DataError to throw
   * @example
   * ```ts
   * import { DataError } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * const e = DataError.unreadable("x.h5", new Deno.errors.NotFound("no such file"));
   * assert.equal(e.message, "x.h5: file not found");
   * ```
   */
  static unreadable(file: string, error: unknown): DataError {
    const problem = error instanceof Deno.errors.NotFound
      ? "file not found"
      : `cannot read: ${error instanceof Error ? error.message : error}`;
    return new DataError(file, problem);
  }
}
