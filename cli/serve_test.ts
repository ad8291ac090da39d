import assert from "node:assert/strict";
import { join } from "node:path";
import { siteHandler } from "./serve.ts";

async function site(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "site", "live"), { recursive: true });
  await Deno.writeTextFile(join(dir, "site", "index.html"), "<p>index</p>");
  await Deno.writeTextFile(join(dir, "site", "live", "page.js"), "1;");
  await Deno.mkdir(join(dir, "site-secret"));
  await Deno.writeTextFile(join(dir, "site-secret", "answers.txt"), "secret");
  await Deno.writeTextFile(join(dir, "answers.txt"), "secret");
  return dir;
}

Deno.test("serve: the site's files with their types, and the isolation headers unless --plain", async () => {
  const dir = await site();
  for (const isolated of [true, false]) {
    const handler = siteHandler(join(dir, "site"), isolated);
    const index = await handler(new Request("http://127.0.0.1/"));
    assert.equal(await index.text(), "<p>index</p>");
    assert.equal(index.headers.get("Content-Type"), "text/html; charset=utf-8");
    const script = await handler(new Request("http://127.0.0.1/live/page.js"));
    assert.equal(script.headers.get("Content-Type"), "text/javascript; charset=utf-8");
    assert.equal(await script.text(), "1;");
    const coop = script.headers.get("Cross-Origin-Opener-Policy");
    const coep = script.headers.get("Cross-Origin-Embedder-Policy");
    assert.deepEqual([coop, coep], isolated ? ["same-origin", "require-corp"] : [null, null]);
  }
});

Deno.test("serve: nothing outside the site's folder, nor in a folder whose name starts with it", async () => {
  const dir = await site();
  const handler = siteHandler(join(dir, "site"), true);
  for (const path of ["/../answers.txt", "/%2e%2e/answers.txt", "/..%2fsite-secret/answers.txt"]) {
    const response = await handler(new Request(`http://127.0.0.1${path}`));
    assert.equal(response.status, 404, path);
    assert.doesNotMatch(await response.text(), /secret/, path);
  }
  assert.equal((await handler(new Request("http://127.0.0.1/missing.js"))).status, 404);
});

Deno.test("serve: a folder with no site, or a bad port, is one line and exit code 2", async () => {
  const dir = await Deno.makeTempDir();
  for (
    const [args, message] of [
      [[dir], /holds no course site: run deno task export first/],
      [[dir, "--port", "http"], /--port must be a port number, not "http"/],
    ] as const
  ) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("serve.ts", import.meta.url).pathname, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 2, text);
    assert.equal(text.split("\n").length, 1, text);
    assert.match(text, message);
  }
});
