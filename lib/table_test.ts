import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { jupyterDisplay } from "./display.ts";
import { table } from "./table.ts";

Deno.test("table() escapes every cell, header and caption in its HTML", () => {
  const t = table([["<script>alert('x')</script>", `a & "b"`]], {
    header: ["<i>model</i>", "notes"],
    caption: "runs > 1",
  });
  const html = t.bundle["text/html"];
  assert.ok(!html.includes("<script>") && !html.includes("<i>"), html);
  const doc = new DOMParser().parseFromString(`<html><body>${html}</body></html>`, "text/html");
  assert.deepEqual(
    [...doc.querySelectorAll("th, td")].map((c: { textContent: string }) => c.textContent),
    ["<i>model</i>", "notes", "<script>alert('x')</script>", `a & "b"`],
  );
  assert.equal(doc.querySelector("caption").textContent, "runs > 1");
  assert.equal(doc.querySelectorAll("table").length, 1);
});

Deno.test("table() aligns numbers right and text left, in the HTML and the text", () => {
  const t = table([["a", 1, "0.5"], ["bbb", 22.25, "n/a"]], { header: ["name", "x", "y"] });
  assert.equal(
    t.bundle["text/plain"],
    [
      "name      x  y",
      "----  -----  ---",
      "a         1  0.5",
      "bbb   22.25  n/a",
    ].join("\n"),
  );
  const styles = [...t.bundle["text/html"].matchAll(/<t[hd][^>]*text-align: (\w+)/g)].map((m) =>
    m[1]
  );
  assert.deepEqual(styles, [
    "left",
    "right",
    "left",
    "left",
    "right",
    "left",
    "left",
    "right",
    "left",
  ]);
});

Deno.test("table() reads numeric texts as numbers: signs, decimals, exponents, percentages", () => {
  const t = table([["-3"], ["+0.25"], [".5"], ["1e-4"], ["34%"], ["72"]]);
  assert.ok([...t.bundle["text/html"].matchAll(/text-align: right/g)].length === 6);
  assert.equal(t.bundle["text/plain"].split("\n")[0], "   -3");
});

Deno.test("table() without a header, with a row header, and with no rows", () => {
  const t = table([["true cat", 3]], { rowHeader: true });
  assert.equal(t.bundle["text/plain"], "true cat  3");
  assert.match(t.bundle["text/html"], /^<table><tbody><tr><th scope="row"[^>]*>true cat<\/th><td/);
  const empty = table([], { header: ["model", "accuracy"] });
  assert.equal(empty.bundle["text/plain"], "model  accuracy\n-----  --------");
  assert.equal(table([]).bundle["text/plain"], "");
});

Deno.test("table() is displayed by the kernel as HTML and text", () => {
  const t = table([["a", 1]]);
  assert.deepEqual(Object.keys(t[jupyterDisplay]()).sort(), ["text/html", "text/plain"]);
  assert.equal(String(t), "a  1");
});

Deno.test("table() throws if a row has another number of cells than the header", () => {
  assert.throws(
    () => table([["a", 1], ["b"]], { header: ["name", "x"] }),
    new TypeError(
      "Cannot make a table as each row must have 2 cells, as the header has: row 1 has 1",
    ),
  );
  assert.throws(() => table([["a", 1], ["b", 2, 3]]), /as the first row has: row 1 has 3/);
});
