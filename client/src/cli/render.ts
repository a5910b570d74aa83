/** Plain-text output for people: tables. Text from servers is stripped of control characters. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g;
export const clean = (s: string) => s.replace(CONTROL, "");

/** Narrowest a column is cut to: enough to tell entries apart. */
const MIN_COLUMN = 8;
const GAP = 2;

/** `text` cut to `width` characters, the cut marked with an ellipsis. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Columns padded to their widest cell. With `width` (the terminal's columns), a table wider than
 * that is narrowed by cutting its widest column, one character at a time, so lines never wrap; no
 * column is cut below a few characters. Names are never cut: the first column and any headed NAME,
 * MODEL or …ID hold what people copy into the next command (a cut one is useless, and two can end
 * up alike), so when the rest cannot make room the line wraps instead, as `ollama list` does.
 */
export function table(headers: string[], rows: string[][], options: { width?: number | undefined } = {}): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => clean(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const named = (h: string, i: number) => i === 0 || /^(NAME|MODEL)$|\bID$/.test(h);
  if (options.width !== undefined) {
    let total = widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
    while (total > options.width) {
      const cuttable = widths.map((w, i) => (named(headers[i] ?? "", i) ? 0 : w));
      const widest = cuttable.indexOf(Math.max(...cuttable));
      if ((cuttable[widest] ?? 0) <= MIN_COLUMN) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
      total--;
    }
  }
  return cells
    .map((r) =>
      r
        .map((c, i) => {
          const cut = truncate(c, widths[i] ?? c.length);
          return i === r.length - 1 ? cut : cut.padEnd(widths[i] ?? 0);
        })
        .join(" ".repeat(GAP))
        .trimEnd(),
    )
    .join("\n");
}
