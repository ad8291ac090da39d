/**
 * How the command-line tools end on an error: one line on stderr, a non-zero exit code.
 *
 * @module
 */

/** A wrong command-line argument: the tool exits with code 2. */
export class UsageError extends Error {
  /** @param message what is wrong, naming the option */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Prints `tool: message` as one line on stderr and exits: 2 for a usage error, 1 otherwise.
 * Set `DNN_DEBUG=1` to see the stack trace as well.
 *
 * @param tool the command's name, e.g. `train`
 * @param error what was thrown
 */
export function fail(tool: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${tool}: ${message.split("\n")[0]}`);
  if (Deno.env.get("DNN_DEBUG")) console.error(error);
  Deno.exit(error instanceof UsageError ? 2 : 1);
}
