/** GB 11714 organisation code check: weights on the first 8 characters; letters count A=10 … Z=35. */
const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function charValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  return -1;
}

/** Check character of an organisation code from its first 8 characters (digits or upper-case letters). */
export function orgCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) throw new RangeError(`organisation code body must be 8 digits or upper-case letters: ${first8}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += charValue(first8[i]) * WEIGHTS[i];
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}
