/** Plain-text output for people: tables. Text from servers is stripped of control characters. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g;
export const clean = (s: string) => s.replace(CONTROL, "");

export function table(headers: string[], rows: string[][]): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => clean(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
