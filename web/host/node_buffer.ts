/**
 * `node:buffer` for a page's kernel: the `buffer` package, Node's `Buffer` for browsers.
 *
 * @module
 */

export { Buffer } from "buffer";
