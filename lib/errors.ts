/**
 * The errors the library throws for bad input that a command reports in one
 * line: a bad file or folder ({@link DataError}), and an option whose value
 * breaks a rule ({@link OptionError}).
 *
 * @module
 */

/** A file or folder that cannot be used, and why. */
export class DataError extends Error {
  /** The file or folder at fault. */
  readonly file: string;

  /**
   * An error naming the file or folder and what is wrong with it.
   *
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

/**
 * An option whose value a function refuses, with the rule the value breaks.
 * The message says it in the library's words; a command says it of its own
 * flag, from `option` and `rule` (`--iterations must be a positive integer`),
 * so that each rule is written once, here in the library.
 */
export class OptionError extends RangeError {
  /** The option, as the function names it, e.g. `numIterations`. */
  readonly option: string;
  /** What its value must be, e.g. `must be a positive integer`. */
  readonly rule: string;

  /**
   * An error naming the option and the rule its value breaks.
   *
   * @param option the option, e.g. `numIterations`
   * @param rule what its value must be, starting with "must" or "needs"
   * @param message the whole message
   * @example
   * ```ts
   * import { lLayerModel, Matrix, OptionError } from "@dnn/lib";
   * import assert from "node:assert/strict";
   *
   * const X = new Matrix(2, 3), Y = new Matrix(1, 3);
   * await assert.rejects(lLayerModel(X, Y, [2, 1], { numIterations: 2.5 }), (e) => {
   *   assert.ok(e instanceof OptionError);
   *   assert.deepEqual([e.option, e.rule], ["numIterations", "must be a positive integer"]);
   *   return true;
   * });
   * ```
   */
  constructor(option: string, rule: string, message: string) {
    super(message);
    this.name = "OptionError";
    this.option = option;
    this.rule = rule;
  }
}
