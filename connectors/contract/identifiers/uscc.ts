import { normaliseIdentifier } from './normalise';
import { orgCodeCheckChar } from './org-code';
import { accepted, rejected, ValidationResult } from './validation-result';

/** GB 32100-2015 alphabet; a symbol's value is its index. I, O, S, V and Z are never used. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** 3^(i−1) mod 31 for positions 1..17. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export interface UsccValidationOptions {
  /**
   * Some codes issued early in pilot areas are legally valid yet fail the checksum. Sync of
   * registry data sets this so such codes are kept with a warning; queries leave it off so a
   * typo is reported as one. Default false.
   */
  allowChecksumFailure?: boolean;
}

export function normaliseUscc(input: string): string {
  return normaliseIdentifier(input);
}

/** Check character for the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new RangeError(`'${first17[i]}' is not in the credit-code alphabet`);
    sum += value * WEIGHTS[i];
  }
  const check = 31 - (sum % 31);
  return USCC_ALPHABET[check === 31 ? 0 : check];
}

export function validateUscc(input: string, options: UsccValidationOptions = {}): ValidationResult {
  const code = normaliseUscc(input);
  if (code.length !== 18) return rejected(`must be 18 characters (got ${code.length})`);
  for (let i = 0; i < 18; i++) {
    const ch = code[i];
    if (USCC_ALPHABET.includes(ch)) continue;
    if ('IOSVZ'.includes(ch)) return rejected(`character ${i + 1} is '${ch}': I, O, S, V and Z never appear in a credit code`);
    return rejected(`character ${i + 1} '${ch}' is not a digit or an allowed upper-case letter`);
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return rejected('characters 3–8 (the administrative division) must be digits');

  const warnings: string[] = [];
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected) {
    const message = `check character should be ${expected}`;
    if (!options.allowChecksumFailure) return rejected(message);
    warnings.push(`${message} (kept: early pilot codes may fail the checksum)`);
  }
  const orgCode = code.slice(8, 17);
  const orgExpected = orgCodeCheckChar(orgCode.slice(0, 8));
  if (orgCode[8] !== orgExpected) warnings.push(`organisation code check character should be ${orgExpected}`);
  return accepted(code, warnings);
}
