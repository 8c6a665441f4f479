import { optionalText } from '../../read-kit/arguments/identifier-args';
import { InvalidInputError } from '../../errors';

/** Longest case number accepted (the transport system's run to about 20 characters). */
export const MAX_CASE_NUMBER_LENGTH = 64;

/**
 * Free text an officer writes and the hub keeps (a finding, a note, a watch's reason): trimmed,
 * at most `maxLength`, line breaks allowed (officers write paragraphs), no other control
 * characters (they would reach logs, exports and other agencies' screens). Empty is null, or
 * refused when `required`.
 */
export function officerText(argument: string, value: string | null | undefined, maxLength: number, required: boolean): string | null {
  const text = value?.trim() ?? '';
  if (!text) {
    if (required) throw new InvalidInputError(argument, 'must not be empty');
    return null;
  }
  if (text.length > maxLength) throw new InvalidInputError(argument, `must be at most ${maxLength} characters`);
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new InvalidInputError(argument, 'must not contain control characters other than line breaks');
  return text;
}

/** A case number given as an argument: trimmed, no control characters, at most MAX_CASE_NUMBER_LENGTH; empty is null, or refused when `required`. */
export function caseNumberArgument(argument: string, value: string | null | undefined, required: boolean): string | null {
  const number = optionalText(argument, value)?.trim() ?? '';
  if (!number) {
    if (required) throw new InvalidInputError(argument, 'must not be empty');
    return null;
  }
  if (number.length > MAX_CASE_NUMBER_LENGTH) throw new InvalidInputError(argument, `must be at most ${MAX_CASE_NUMBER_LENGTH} characters`);
  return number;
}
