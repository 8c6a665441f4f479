import { isRealCompactDate } from './calendar-date';
import { normaliseIdentifier } from './normalise';
import { provinceByPrefix } from './provinces';
import { accepted, rejected, ValidationResult } from './validation-result';

/** GB 11643-1999 weights for positions 1..17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
/** Foreigners' permanent-residence numbers (since 2023) start with 9 and use the same check. */
const FOREIGNER_PREFIX = '9';

export interface ResidentIdValidationOptions {
  /** Latest acceptable birth date, `YYYY-MM-DD`; validators never read the clock, so callers pass today. */
  notBornAfter?: string;
}

export function normaliseResidentId(input: string): string {
  return normaliseIdentifier(input);
}

/** Check character for the first 17 digits of a resident identity number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** A 15-digit legacy number becomes 18 digits: `19` goes before the 2-digit birth year, then the check character. */
export function convertLegacyResidentId(id15: string): ValidationResult {
  const id = normaliseResidentId(id15);
  if (!/^\d{15}$/.test(id)) return rejected('a legacy number must be 15 digits');
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  const birth = first17.slice(6, 14);
  if (!isRealCompactDate(birth)) return rejected(`birth date ${birth} is not a real date`);
  return accepted(first17 + residentIdCheckChar(first17));
}

/** Accepts 18-character numbers, and 15-digit legacy numbers converted to 18 with a warning. */
export function validateResidentId(input: string, options: ResidentIdValidationOptions = {}): ValidationResult {
  let id = normaliseResidentId(input);
  const warnings: string[] = [];
  if (/^\d{15}$/.test(id)) {
    const converted = convertLegacyResidentId(id);
    if (!converted.ok) return converted;
    id = converted.value;
    warnings.push('15-digit legacy number converted to 18 characters');
  }
  if (id.length !== 18) return rejected(`must be 18 characters (got ${id.length})`);
  if (!/^\d{17}$/.test(id.slice(0, 17))) return rejected('the first 17 characters must be digits');
  if (!/^[0-9X]$/.test(id[17])) return rejected('the last character must be a digit or X');

  const address = id.slice(0, 6);
  const provincePrefix = id.startsWith(FOREIGNER_PREFIX) ? id.slice(1, 3) : id.slice(0, 2);
  if (!provinceByPrefix(provincePrefix)) warnings.push(`address code ${address} has no known province`);

  const birth = id.slice(6, 14);
  if (!isRealCompactDate(birth)) return rejected(`birth date ${birth} is not a real date`);
  if (birth < '19000101') return rejected(`birth date ${birth} is before 1900`);
  if (options.notBornAfter && birth > options.notBornAfter.replace(/-/g, '')) {
    return rejected(`birth date ${birth} is in the future`);
  }

  const expected = residentIdCheckChar(id.slice(0, 17));
  if (id[17] !== expected) return rejected(`check character should be ${expected}`);
  return accepted(id, warnings);
}
