import assert from "node:assert/strict";
import { Grader } from "./grade.ts";

Deno.test("the bundle a notebook's exercises run with holds none of their answers, nor later ones", async () => {
  const grader = new Grader();
  try {
    const names = [...grader.notebooks.keys()];
    const all = [...grader.notebooks.values()].flatMap((n) => n.exercises);
    for (const [i, name] of names.entries()) {
      const notebook = grader.notebooks.get(name)!;
      const path = await grader.bundle(notebook);
      const text = await Deno.readTextFile(path);
      const earlier = names.slice(0, i).flatMap((n) => grader.notebooks.get(n)!.exercises);
      const answers = all.filter((e) => !earlier.includes(e));
      assert.ok(answers.length > 0 && answers.includes(notebook.exercises[0]));
      // Defined, or bound (the library's doc comments, kept in the bundle, may name it).
      const defined = (answer: string) =>
        new RegExp(`function\\s+${answer}\\s*\\(|\\b${answer}\\s*[:=][^=]`);
      for (const answer of answers) {
        assert.doesNotMatch(text, defined(answer), `${name}: ${answer} in its bundle`);
      }
      // Notebook 2's cells get the building blocks; the later ones also notebook 2's answers,
      // which the bundle then defines.
      assert.ok(notebook.allowed.includes("Matrix"), name);
      assert.equal(notebook.allowed.includes("computeCost"), i > 0, name);
      if (i > 0) assert.match(text, defined("computeCost"), name);
      const exports = Object.keys(await import(path)).sort();
      assert.deepEqual(
        exports,
        [...notebook.allowed, "__Matrix", "__serve", "__useBackend"].sort(),
        name,
      );
    }
  } finally {
    await grader.close();
  }
});
