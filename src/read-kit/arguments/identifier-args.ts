import { InvalidInputError } from '../../errors';
import {
  isDivisionPrefix,
  normalisePlate,
  provinceOfPlate,
  validateDivisionCode,
  validatePlate,
  validateResidentId,
  validateUscc,
} from '../../../connectors/contract/identifiers';

type Validation = { ok: true; value: string } | { ok: false; reason: string };

function validated(argument: string, value: string, validate: (v: string) => Validation): string {
  const result = validate(value);
  if (!result.ok) throw new InvalidInputError(argument, result.reason);
  return result.value;
}

/*
 * Identifiers in arguments are validated and normalised before any query is built: a malformed
 * value is the caller's mistake to hear about, not an empty result, and never reaches SQL.
 */

export const requireUscc = (argument: string, value: string): string => validated(argument, value, validateUscc);
export const requireResidentId = (argument: string, value: string): string => validated(argument, value, validateResidentId);
export const requirePlate = (argument: string, value: string): string => validated(argument, value, validatePlate);

/** A division or its prefix (the area a subscription follows), trimmed. */
export function requireDivisionPrefix(argument: string, value: string): string {
  const prefix = value.trim();
  if (!isDivisionPrefix(prefix)) throw new InvalidInputError(argument, 'must be a GB/T 2260 division or its prefix: 2 to 6 digits');
  return prefix;
}

export function optionalDivision(argument: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : validated(argument, value, validateDivisionCode);
}

export function optionalUscc(argument: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : requireUscc(argument, value);
}

export function optionalPlate(argument: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : requirePlate(argument, value);
}

/** Longest free-text argument accepted (names, codes, prefixes). */
const MAX_TEXT = 200;

/**
 * Free text that reaches SQL as a parameter: refused when it holds control characters (a NUL
 * byte is not valid PostgreSQL text) or is longer than any real value.
 */
export function optionalText(argument: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value.length > MAX_TEXT) throw new InvalidInputError(argument, `must be at most ${MAX_TEXT} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new InvalidInputError(argument, 'must not contain control characters');
  return value;
}

/** A checkpoint code, normalised as the checkpoint system issues them (upper case, no spaces). */
export function requireCheckpointCode(argument: string, value: string): string {
  const code = optionalText(argument, value)!.trim().toUpperCase();
  if (!/^[0-9A-Z][0-9A-Z-]{0,63}$/.test(code)) throw new InvalidInputError(argument, 'must be letters, digits and hyphens');
  return code;
}

export function optionalCheckpointCode(argument: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : requireCheckpointCode(argument, value);
}

/** The start of a plate: a province character, then up to six letters or digits (never I or O). */
export function optionalPlatePrefix(argument: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const prefix = normalisePlate(optionalText(argument, value)!);
  if (!provinceOfPlate(prefix) || !/^.[A-HJ-NP-Z0-9]{0,6}$/u.test(prefix)) {
    throw new InvalidInputError(argument, 'must be a province character followed by up to 6 letters or digits (no I or O)');
  }
  return prefix;
}
