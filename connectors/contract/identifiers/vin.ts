import { normaliseIdentifier } from './normalise';
import { accepted, rejected, ValidationResult } from './validation-result';

/** ISO 3779 weights; position 9 (the check digit itself) weighs 0. */
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
/** Transliteration of letters; I, O and Q are never used. */
const LETTER_VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};

function transliterate(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  const value = LETTER_VALUES[ch];
  if (value === undefined) throw new RangeError(`'${ch}' cannot appear in a VIN`);
  return value;
}

export function normaliseVin(input: string): string {
  return normaliseIdentifier(input);
}

/** Check digit of a 17-character VIN; whatever stands at position 9 is ignored. */
export function vinCheckDigit(vin17: string): string {
  if (vin17.length !== 17) throw new RangeError(`expected 17 characters, got ${vin17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += transliterate(vin17[i]) * WEIGHTS[i];
  const check = sum % 11;
  return check === 10 ? 'X' : String(check);
}

/** A wrong check digit is a warning: imported and hand-typed VINs legitimately fail it. */
export function validateVin(input: string): ValidationResult {
  const vin = normaliseVin(input);
  if (vin.length !== 17) return rejected(`must be 17 characters (got ${vin.length})`);
  for (let i = 0; i < 17; i++) {
    const ch = vin[i];
    if ('IOQ'.includes(ch)) return rejected(`must not contain I, O or Q (found '${ch}' at position ${i + 1})`);
    if (!/[0-9A-Z]/.test(ch)) return rejected(`character ${i + 1} '${ch}' is not a letter or digit`);
  }
  const expected = vinCheckDigit(vin);
  const warnings = vin[8] === expected ? [] : [`check digit (position 9) should be ${expected}`];
  return accepted(vin, warnings);
}
