import { cellText, isBlank, readCell, type CellInput, type CellReadOptions } from './cells.js';
import { normaliseName, type ColumnSpec, type SheetSpec } from './families.js';

/** Where each column of a sheet spec sits in a file's sheet, found from its header row. */
export interface SheetLayout {
  readonly spec: SheetSpec;
  /** 1-based row number of the header */
  readonly headerRow: number;
  /** the spec's columns found, with their 0-based cell index */
  readonly columns: readonly { readonly column: ColumnSpec; readonly index: number }[];
  /** number of cells in the header row (up to its last non-empty one) */
  readonly width: number;
}

export type HeaderMatch =
  | { readonly ok: true; readonly layout: SheetLayout }
  | { readonly ok: false; readonly missing: readonly string[]; readonly duplicates: readonly string[]; readonly matched: number };

/** Matches a row against a sheet's headers: by Chinese header, loosely, or by record field name. */
export function matchHeader(spec: SheetSpec, cells: readonly CellInput[], rowNumber: number): HeaderMatch {
  const byName = new Map<string, ColumnSpec>();
  for (const column of spec.columns) {
    byName.set(normaliseName(column.header), column);
    byName.set(normaliseName(column.field), column);
  }
  const found = new Map<ColumnSpec, number>();
  const duplicates: string[] = [];
  let width = 0;
  cells.forEach((cell, index) => {
    const text = cellText(cell);
    if (text.trim() === '') return;
    width = index + 1;
    const column = byName.get(normaliseName(text));
    if (!column) return;
    if (found.has(column)) duplicates.push(column.header);
    else found.set(column, index);
  });
  const missing = spec.columns.filter((c) => c.required && !found.has(c)).map((c) => c.header);
  if (missing.length > 0 || duplicates.length > 0) return { ok: false, missing, duplicates, matched: found.size };
  return {
    ok: true,
    layout: { spec, headerRow: rowNumber, columns: [...found].map(([column, index]) => ({ column, index })).sort((a, b) => a.index - b.index), width },
  };
}

/** Of several sheet specs, the one whose headers a row carries (all required, most matched); undefined if none or a tie. */
export function recogniseHeader(candidates: readonly SheetSpec[], cells: readonly CellInput[], rowNumber: number): SheetLayout | undefined {
  let best: SheetLayout | undefined;
  let tie = false;
  for (const spec of candidates) {
    const match = matchHeader(spec, cells, rowNumber);
    if (!match.ok) continue;
    if (!best || match.layout.columns.length > best.columns.length) {
      best = match.layout;
      tie = false;
    } else if (match.layout.columns.length === best.columns.length) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

export interface CellFault {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export type ParsedRow =
  /** every mapped cell is empty: not data */
  | { readonly kind: 'empty' }
  | { readonly kind: 'record'; readonly values: Record<string, unknown> }
  | { readonly kind: 'faulty'; readonly faults: readonly CellFault[] };

/** Reads one data row into the loosely typed record the intake validates, or its cell faults. */
export function parseRow(layout: SheetLayout, cells: readonly CellInput[], options: CellReadOptions): ParsedRow {
  let empty = true;
  for (const { index } of layout.columns) {
    if (!isBlank(cells[index] ?? null)) {
      empty = false;
      break;
    }
  }
  if (empty) return { kind: 'empty' };
  const values: Record<string, unknown> = {};
  let faults: CellFault[] | undefined;
  for (const column of layout.spec.columns) values[column.field] = null;
  for (const { column, index } of layout.columns) {
    const result = readCell(column, cells[index] ?? null, options);
    if (result.ok) values[column.field] = result.value;
    else (faults ??= []).push({ field: column.field, code: result.code, message: result.message });
  }
  // a required column that is absent from the sheet cannot be (the header match refuses it)
  if (faults) return { kind: 'faulty', faults };
  layout.spec.complete?.(values);
  return { kind: 'record', values };
}
