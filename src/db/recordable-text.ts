/**
 * What the audit can record: PostgreSQL text and jsonb hold no NUL character, and UTF-8 no lone
 * surrogate, so a request carrying either is refused at the edge rather than failing its audit.
 */

/** A UTF-16 surrogate without its other half: no UTF-8 (and no jsonb) can hold it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be recorded (PostgreSQL text and jsonb hold neither), or null. */
export function unrecordable(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'is not well-formed Unicode (a lone surrogate)';
  return null;
}
