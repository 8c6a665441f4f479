import { DIVISIONS, Division } from './divisions';
import { normaliseIdentifier } from './normalise';
import { provinceByPrefix } from './provinces';
import { accepted, rejected, ValidationResult } from './validation-result';

const BY_CODE = new Map<string, Division>(DIVISIONS.map((d) => [d.code, d]));
const SUZHOU = '320500';

/** Suzhou or one of its districts, including the Park codes and retired codes still found on old ID numbers. */
export function isSuzhouDivision(code: string): boolean {
  return code === SUZHOU || BY_CODE.get(code)?.parent === SUZHOU;
}

/** Name of a known division or province; null when the code is not in the table. */
export function divisionName(code: string): string | null {
  const division = BY_CODE.get(code);
  if (division) return division.name;
  const province = /^\d{2}0000$/.test(code) ? provinceByPrefix(code.slice(0, 2)) : undefined;
  return province?.name ?? null;
}

/** Province-level code ('310000', '320000', …) of a well-formed division code; null when the prefix is no province. */
export function provinceOfDivision(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return null;
  return provinceByPrefix(code.slice(0, 2))?.code ?? null;
}

/**
 * A division or a prefix of one, as tokens and subscriptions name the area someone works in:
 * 2 digits (a province) to 6 (a district).
 */
export function isDivisionPrefix(value: string): boolean {
  return /^\d{2,6}$/.test(value);
}

export function validateDivisionCode(input: string): ValidationResult {
  const code = normaliseIdentifier(input);
  if (!/^\d{6}$/.test(code)) return rejected('must be 6 digits');
  if (!provinceByPrefix(code.slice(0, 2))) return rejected(`prefix ${code.slice(0, 2)} is not a province`);
  const known = BY_CODE.get(code);
  if (known?.retired) return accepted(code, [`division ${code} (${known.name}) is retired`]);
  if (!known && divisionName(code) === null) return accepted(code, [`division ${code} is not in the known table`]);
  return accepted(code);
}
