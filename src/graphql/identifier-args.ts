import { InvalidInputError } from '../errors';
import { validateDivisionCode, validatePlate, validateResidentId, validateUscc } from '../identifiers';

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

export function optionalDivision(argument: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : validated(argument, value, validateDivisionCode);
}

export function optionalUscc(argument: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : requireUscc(argument, value);
}

export function optionalPlate(argument: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : requirePlate(argument, value);
}
