/**
 * Every cell's outputs delivered before the cell ends, in the Deno Jupyter kernel.
 *
 * The Deno kernel (since 2.8.2, when it was rewritten in JavaScript) queues what a
 * cell prints or displays, and a separate loop sends the queue to Jupyter, stamping
 * each message with the request being executed *when it is sent*. The kernel replies
 * "done" (`execute_reply`, then `status: idle`) as soon as the cell's code returns,
 * without waiting for that queue. So a cell's last outputs (a plot, a closing line)
 * can go out after its `idle`, where the front end no longer listens for them, or,
 * under Run All, once the next request has begun, stamped as the next cell's: they
 * are lost, or shown under the next cell.
 *
 * {@link flushOutputs} waits until everything the cell queued has been sent: it
 * subscribes to the kernel's own output channel (its IOPub socket, found in the
 * kernel's connection file), queues a marker (an update of a display that does not
 * exist, which nbclient, the classic Notebook and JupyterLab ignore) and waits to see the marker go out; the queue
 * is sent in order, so everything before it has gone out too, stamped with this cell.
 * {@link flushAtCellEnd}, called once by `display.ts` when the library is loaded in
 * the kernel, makes the kernel do so at the end of every cell, after its value is
 * shown and before it replies.
 *
 * Outside the kernel, or where the kernel is not the one described, nothing changes.
 *
 * @module
 */

/** What a kernel's connection file says of its IOPub socket. */
interface IopubAddress {
  ip: string;
  port: number;
}

/**
 * How a display message reaches the front end: the kernel's `Deno.jupyter.broadcast`
 * (which queues the message and returns nothing since Deno 2.8.2, a promise before).
 */
export type Broadcast = (type: string, content: Record<string, unknown>) => Promise<void> | void;

/** `Deno.jupyter.broadcast`, or `undefined` outside the kernel. */
export function _kernelBroadcast(): Broadcast | undefined {
  try {
    // Outside the kernel, reading Deno.jupyter throws.
    const jupyter = (Deno as unknown as { jupyter: { broadcast: Broadcast } }).jupyter;
    return jupyter.broadcast.bind(jupyter);
  } catch {
    return undefined;
  }
}

let _address: IopubAddress | null | undefined;

/**
 * The kernel's IOPub address, from the connection file named on its command line
 * (`deno jupyter --kernel --conn FILE`), or `undefined` if it cannot be read.
 */
function _iopubAddress(): IopubAddress | undefined {
  if (_address === undefined) _address = _readIopubAddress() ?? null;
  return _address ?? undefined;
}

function _readIopubAddress(): IopubAddress | undefined {
  try {
    let args: string[];
    try {
      args = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
    } catch {
      // No /proc (macOS): ask ps for this process's command line.
      const out = new Deno.Command("ps", { args: ["-ww", "-o", "command=", "-p", `${Deno.pid}`] })
        .outputSync();
      const line = new TextDecoder().decode(out.stdout).trim();
      args = ["--conn", line.match(/--conn (.+\.json)/)?.[1] ?? ""];
    }
    const file = args[args.indexOf("--conn") + 1];
    const info = JSON.parse(Deno.readTextFileSync(file));
    if (info.transport !== "tcp" || !Number.isInteger(info.iopub_port)) return undefined;
    const ip = info.ip === "0.0.0.0" || info.ip === "*" ? "127.0.0.1" : info.ip;
    return { ip, port: info.iopub_port };
  } catch {
    return undefined;
  }
}

const _encoder = new TextEncoder();

/** A short ZMTP frame (a body of at most 255 bytes): flags (command or not), size, body. */
function _frame(body: Uint8Array, command = false): Uint8Array {
  return new Uint8Array([command ? 0x04 : 0, body.length, ...body]);
}

/**
 * What a ZMTP 3.0 subscriber says first: its greeting (NULL security, as a client),
 * its READY command (`Socket-Type: SUB`), and a subscription to every message.
 */
function _subscriberHello(): Uint8Array {
  const greeting = new Uint8Array(64);
  greeting[0] = 0xff;
  greeting[9] = 0x7f;
  greeting[10] = 3; // version 3.0
  greeting.set(_encoder.encode("NULL"), 12);
  const ready = [5, ..._encoder.encode("READY"), 11, ..._encoder.encode("Socket-Type")];
  const type = _encoder.encode("SUB");
  const readyBody = new Uint8Array([...ready, 0, 0, 0, type.length, ...type]);
  const parts = [greeting, _frame(readyBody, true), _frame(new Uint8Array([1]))];
  const hello = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) hello.set(p, at), at += p.length;
  return hello;
}

/**
 * Reads ZMTP frames from a connection and calls `onMessage` with each message's
 * frames; skips the peer's greeting and commands.
 */
async function _readMessages(
  conn: Deno.Conn,
  onMessage: (frames: Uint8Array[]) => boolean,
): Promise<void> {
  let buffer = new Uint8Array(1 << 16), start = 0, end = 0;
  let greeted = false;
  let message: Uint8Array[] = [];
  for (;;) {
    if (end === buffer.length) {
      // Keep the unread bytes, in a larger buffer if they fill this one.
      const unread = buffer.subarray(start, end);
      const next = unread.length > buffer.length / 2 ? new Uint8Array(buffer.length * 2) : buffer;
      next.set(unread);
      buffer = next, end -= start, start = 0;
    }
    const n = await conn.read(buffer.subarray(end));
    if (n === null) return;
    end += n;
    for (;;) {
      if (!greeted) {
        if (end - start < 64) break;
        start += 64, greeted = true;
        continue;
      }
      if (end - start < 2) break;
      const flags = buffer[start];
      const long = (flags & 0x02) !== 0;
      const head = long ? 9 : 2;
      if (end - start < head) break;
      const size = long
        ? Number(new DataView(buffer.buffer, buffer.byteOffset + start + 1, 8).getBigUint64(0))
        : buffer[start + 1];
      if (end - start < head + size) break;
      const body = buffer.slice(start + head, start + head + size);
      start += head + size;
      if (flags & 0x04) continue; // a command (READY, PING)
      message.push(body);
      if (flags & 0x01) continue; // more frames follow
      const done = onMessage(message);
      message = [];
      if (done) return;
    }
  }
}

/** The display id that a Jupyter message (frames after `<IDS|MSG>`) updates, if any. */
function _updatedDisplayId(frames: Uint8Array[]): string | undefined {
  const decoder = new TextDecoder();
  const at = frames.findIndex((f) => f.length === 9 && decoder.decode(f) === "<IDS|MSG>");
  if (at < 0 || frames.length < at + 6) return undefined;
  try {
    // After the delimiter: signature, header, parent header, metadata, content.
    const header = JSON.parse(decoder.decode(frames[at + 2]));
    if (header.msg_type !== "update_display_data") return undefined;
    return JSON.parse(decoder.decode(frames[at + 5])).transient?.display_id;
  } catch {
    return undefined; // not a Jupyter message
  }
}

/**
 * Waits until everything this cell has printed or displayed so far has been sent
 * to Jupyter by the Deno kernel (see the module's doc). Outside the kernel, returns
 * `false` at once.
 *
 * @param options `timeout` in milliseconds (default 10 s): past it, gives up and
 *   returns `false`, so that a kernel that behaves otherwise never holds a cell
 * @returns whether the outputs were seen sent
 * @example
 * ```ts
 * import { flushOutputs } from "./kernel.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await flushOutputs(), false); // not in the kernel: nothing to wait for
 * ```
 */
export async function flushOutputs({ timeout = 10_000 }: { timeout?: number } = {}): Promise<
  boolean
> {
  const broadcast = _kernelBroadcast();
  const address = broadcast && _iopubAddress();
  if (!broadcast || !address) return false;
  const conn = await Deno.connect({ hostname: address.ip, port: address.port }).catch(() => null);
  if (!conn) return false;
  const marker = `dnn-flush-${crypto.randomUUID()}`;
  let sent = 0, timer: ReturnType<typeof setTimeout> | undefined;
  // The kernel adds a subscriber to those it sends to only once it has read the
  // subscription, at a moment this side cannot see: a marker sent before then never
  // reaches it, so markers are sent again, less and less often, until one arrives.
  const send = (delay: number) => {
    (async () =>
      await broadcast("update_display_data", {
        data: {},
        metadata: {},
        transient: { display_id: `${marker}-${sent++}` },
      }))().catch(() => {});
    timer = setTimeout(() => send(Math.min(delay * 2, 1000)), delay);
  };
  const deadline = setTimeout(() => conn.close(), timeout);
  let seen = false;
  try {
    const hello = _subscriberHello();
    for (let at = 0; at < hello.length;) at += await conn.write(hello.subarray(at));
    send(20);
    await _readMessages(conn, (frames) => {
      seen = _updatedDisplayId(frames)?.startsWith(marker) ?? false;
      return seen;
    });
  } catch {
    // closed at the deadline, or the kernel went away
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
    try {
      conn.close();
    } catch {
      // already closed at the deadline
    }
  }
  return seen;
}

const _installed = Symbol.for("dnn.flushAtCellEnd");

/**
 * In the Deno kernel, makes every cell end only once its outputs have been sent
 * (see the module's doc): wraps the kernel's own step that shows a cell's value,
 * which it awaits before replying, so that it then calls {@link flushOutputs}.
 * Does nothing outside the kernel or where that step is not found; safe to call
 * more than once.
 *
 * @returns whether the kernel now flushes at the end of each cell
 * @example
 * ```ts
 * import { flushAtCellEnd } from "./kernel.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(flushAtCellEnd(), false); // not in the kernel
 * ```
 */
export function flushAtCellEnd(): boolean {
  if (!_kernelBroadcast()) return false;
  const internal = (Deno as unknown as Record<symbol, unknown>)[
    (Deno as unknown as { internal: symbol }).internal
  ] as { jupyter?: Record<string | symbol, unknown> } | undefined;
  const jupyter = internal?.jupyter;
  const show = jupyter?.broadcastResult;
  if (!jupyter || typeof show !== "function") return false;
  if (jupyter[_installed]) return true;
  jupyter.broadcastResult = async (executionCount: number, result: unknown) => {
    await show(executionCount, result);
    await flushOutputs();
  };
  jupyter[_installed] = true;
  return true;
}
