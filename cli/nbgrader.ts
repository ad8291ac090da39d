/**
 * The exercise cells of the course's notebooks, as nbgrader marks them: a
 * solution cell (`nbgrader.solution`) holds a region between `// BEGIN SOLUTION`
 * and `// END SOLUTION`; a graded check cell (`nbgrader.grade`, with `points`)
 * may hold hidden tests between `// BEGIN HIDDEN TESTS` and `// END HIDDEN TESTS`.
 * Used by the student edition (`student.ts`) and grading (`grade.ts`).
 *
 * @module
 */

/** nbgrader's cell metadata (schema version 3). */
export interface NbgraderMetadata {
  grade: boolean;
  grade_id: string;
  locked: boolean;
  points?: number;
  schema_version: number;
  solution: boolean;
  task: boolean;
}

/** A notebook cell, as nbformat 4 writes it. */
export interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata: { nbgrader?: NbgraderMetadata; tags?: string[]; [key: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

/** A notebook, as nbformat 4 writes it. */
export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** The markers of nbgrader's regions. */
export const MARKERS = {
  solution: ["// BEGIN SOLUTION", "// END SOLUTION"],
  hidden: ["// BEGIN HIDDEN TESTS", "// END HIDDEN TESTS"],
} as const;

/** A cell's source as one string. */
export function sourceOf(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** A source as nbformat stores it: lines, each but the last ending in a newline. */
export function toLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)).filter((l) =>
    l !== ""
  );
}

/**
 * Replaces each region between `begin` and `end` marker lines (the markers
 * included) by `replacement(indent, region)`, the lines to put there at the
 * marker's indent, given the region's own lines.
 *
 * @throws {Error} if a region is not closed
 */
export function replaceRegions(
  text: string,
  [begin, end]: readonly [string, string],
  replacement: (indent: string, region: string[]) => string[],
): string {
  const out: string[] = [];
  let region: string[] | undefined, indent = "";
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (region === undefined && trimmed === begin) {
      region = [];
      indent = line.slice(0, line.indexOf(begin));
    } else if (region !== undefined && trimmed === end) {
      out.push(...replacement(indent, region));
      region = undefined;
    } else if (region !== undefined) {
      region.push(line);
    } else {
      out.push(line);
    }
  }
  const inside = region !== undefined;
  if (inside) throw new Error(`a "${begin}" region is not closed by "${end}"`);
  return out.join("\n");
}

/**
 * The lines inside every region between `begin` and `end` marker lines, in order,
 * trimmed, blank lines left out; `undefined` if the text has no closed region.
 */
export function regionLines(
  text: string,
  markers: readonly [string, string],
): string[] | undefined {
  const lines: string[] = [];
  let regions = 0;
  replaceRegions(text, markers, (_indent, region) => {
    regions++;
    lines.push(...region.map((l) => l.trim()).filter((l) => l !== ""));
    return [];
  });
  return regions === 0 ? undefined : lines;
}

/** The graded check cells of a notebook, by `grade_id`. */
export function checkCells(notebook: Notebook): Map<string, Cell> {
  return new Map(
    notebook.cells.filter((c) => c.metadata?.nbgrader?.grade)
      .map((c) => [c.metadata.nbgrader!.grade_id, c]),
  );
}

/** The solution cells of a notebook, by `grade_id`. */
export function solutionCells(notebook: Notebook): Map<string, Cell> {
  return new Map(
    notebook.cells.filter((c) => c.metadata?.nbgrader?.solution)
      .map((c) => [c.metadata.nbgrader!.grade_id, c]),
  );
}
