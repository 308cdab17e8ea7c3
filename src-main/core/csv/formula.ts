// Spreadsheet formula injection ("CSV injection"): a cell starting with =, +, -, @, tab, carriage return or
// NUL may run as a formula in Excel, Sheets or Calc (OWASP; NUL from ASVS 5.0 V1.2.10). The advice: prefix
// a single quote so it shows as text.
// The cost is that a value like "-5" exports as "'-5"; posture values here are scores and words, and a
// readable quote beats a guessing rule that a crafted value could slip past. A value that itself starts with a
// quote gets one more, so the prefix is always ours and `restoreFormula` undoes it exactly.
const FORMULA_START = /^[=+\-@\t\r\0']/;

export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value a neutralized cell was made from: for readers of these CSVs that need it exactly (a serial, a name). */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
