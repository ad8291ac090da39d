/**
 * A one-line progress display for a terminal: iteration, cost and time, redrawn
 * in place at most ten times a second. When stdout is not a terminal (a pipe, a
 * file, a test), it only prints the lines it is given.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Progress of a training run of `total` iterations. */
export class Progress {
  #total: number;
  #live = Deno.stdout.isTerminal();
  #start = performance.now();
  #lastDraw = 0;
  #shown = false;

  /** @param total the number of iterations of the run */
  constructor(total: number) {
    this.#total = total;
  }

  /** Prints a line above the progress display. */
  print(line: string): void {
    this.#clear();
    console.log(line);
  }

  /** Redraws the display for iteration `i` (zero-based), if a tenth of a second has passed. */
  update(i: number, cost: number): void {
    const now = performance.now();
    if (!this.#live || now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    const seconds = (now - this.#start) / 1000;
    const line = `Iteration ${i + 1}/${this.#total}  cost ${cost.toFixed(6)}  ${
      seconds.toFixed(1)
    } s`;
    Deno.stdout.writeSync(encoder.encode(`\r${line}\x1b[K`));
    this.#shown = true;
  }

  /** Removes the display. */
  done(): void {
    this.#clear();
  }

  #clear(): void {
    if (!this.#shown) return;
    Deno.stdout.writeSync(encoder.encode("\r\x1b[K"));
    this.#shown = false;
  }
}
