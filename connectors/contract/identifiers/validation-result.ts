/**
 * Outcome of validating an identifier. A soft-check failure (a check that legally valid
 * identifiers may fail) is a warning on an accepted value, never a rejection.
 */
export type ValidationResult = { ok: true; value: string; warnings: string[] } | { ok: false; reason: string };

export function accepted(value: string, warnings: string[] = []): ValidationResult {
  return { ok: true, value, warnings };
}

export function rejected(reason: string): ValidationResult {
  return { ok: false, reason };
}
