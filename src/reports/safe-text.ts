/**
 * Safe cells (issue 4, item 4): text that comes from data (names, reasons, clauses, evidence)
 * must reach the sheet as text and nothing else.
 *
 * How the writer keeps it text, and why this way:
 * - A JS string given to exceljs is always written as a string cell, never as a formula: exceljs
 *   makes a formula only from `{ formula }` objects. The streaming writer (without shared
 *   strings) writes `<c t="str"><v>…</v></c>` with no `<f>` element, which Excel, WPS and
 *   LibreOffice open as text. The report tests read every cell back and check that none is a
 *   formula.
 * - That alone protects the file as written. A spreadsheet app could still turn the text into a
 *   formula when someone opens the cell for editing and confirms it (Excel, WPS and LibreOffice
 *   parse the edited text again). Every text cell therefore also gets the Text number format
 *   `@`: in all three apps a cell formatted as Text takes what is typed or re-confirmed as text,
 *   so `=HYPERLINK(...)` stays the literal text even after an edit.
 * - Rejected alternatives: a leading apostrophe would change the stored text (exceljs reads
 *   `'=...` back); rich text keeps the text but reads back as `{ richText }` instead of a string
 *   and does not protect an edit; Excel's own `quotePrefix` style flag is not supported by exceljs.
 *
 * The text itself is kept exactly, except for what an XML file cannot hold (control characters
 * other than tab, LF and CR, lone surrogates), which becomes U+FFFD, and the 32,767-character cell
 * limit of Excel.
 */

/** The most characters Excel keeps in one cell. */
export const MAX_CELL_TEXT = 32767;

// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text a spreadsheet app would read as a formula (or as the start of one) if it were typed in. */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

/** The text as it can be stored in a cell: characters XML cannot hold replaced, capped at Excel's limit. */
export function cellText(text: string): string {
  const clean = text.replace(XML_ILLEGAL, '\uFFFD');
  return clean.length > MAX_CELL_TEXT ? `${clean.slice(0, MAX_CELL_TEXT - 1)}…` : clean;
}
