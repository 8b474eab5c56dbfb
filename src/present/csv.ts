/** CSV as RFC 4180 writes it: quoted where a cell holds a comma, quote or line break; numbers in full precision. */
export type CsvCell = string | number | null;

function cell(v: CsvCell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header row and data rows; a missing value (null) is an empty cell. */
export function csv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
