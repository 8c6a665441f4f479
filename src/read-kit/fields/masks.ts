/**
 * Masks a data-sharing agreement may apply to a field. Every mask keeps the field's GraphQL
 * type (a masked String is still a String, a masked Float still a Float), so a masked field
 * never breaks a client's generated types or a non-null field.
 *
 * Strings are handled by Unicode code point (Array.from), not UTF-16 unit: a name holding a
 * rare character outside the BMP such as 𠀋 must not be split into a lone surrogate.
 */
export enum MaskKind {
  RESIDENT_ID = 'RESIDENT_ID',
  PERSON_NAME = 'PERSON_NAME',
  PHONE = 'PHONE',
  COORDINATE = 'COORDINATE',
  CERTIFICATE = 'CERTIFICATE',
  PLATE = 'PLATE',
  REDACT = 'REDACT',
  /** Free text that may quote identifiers: every run of 6+ digits keeps only its first and last two. */
  DIGIT_RUNS = 'DIGIT_RUNS',
}

const KINDS = new Set<string>(Object.values(MaskKind));

export function isMaskKind(value: string): value is MaskKind {
  return KINDS.has(value);
}

/**
 * Masks one value. null and undefined pass through (a null field stays null); arrays, including
 * nested lists, are masked element by element. A value of an unexpected scalar type is redacted
 * rather than passed through, because a mask that is misapplied must fail closed.
 */
export function applyMask(kind: MaskKind, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => applyMask(kind, item));
  if (kind === MaskKind.COORDINATE) return typeof value === 'number' ? roundCoordinate(value) : redact(value);
  if (kind === MaskKind.REDACT || typeof value !== 'string') return redact(value);
  switch (kind) {
    case MaskKind.RESIDENT_ID:
      return keepEnds(value, 6, 4);
    case MaskKind.PERSON_NAME:
      return maskPersonName(value);
    case MaskKind.PHONE:
      return maskPhone(value);
    case MaskKind.CERTIFICATE:
      return keepEnds(value, 4, 2);
    case MaskKind.PLATE:
      return keepEnds(value, 2, 1);
    case MaskKind.DIGIT_RUNS:
      return value.replace(/\d[\dXx]{5,}/g, (run) => keepEnds(run, 2, 2) as string);
    default:
      return assertNever(kind);
  }
}

/** Two decimals is about 1 km: enough to place a vehicle in a district, not at an address. */
function roundCoordinate(degrees: number): number {
  return Math.round(degrees * 100) / 100;
}

/** Fixed '***' for strings so the length leaks nothing; 0 and false keep non-null numbers and booleans valid. */
function redact(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return '***';
    case 'number':
      return 0;
    case 'bigint':
      return 0n;
    case 'boolean':
      return false;
    default:
      throw new TypeError(`cannot mask a value of type ${typeof value}: masks apply to scalar fields only`);
  }
}

/**
 * Keeps `head` leading and `tail` trailing code points and stars the rest, one star per code point.
 * When that would leave nothing starred the whole value is starred, so short values are not exposed.
 */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

function maskPersonName(name: string): string {
  // Latin names keep each word's initial (John Smith → J*** S****). Only for Latin script: the same
  // rule on a CJK name typed with a stray space (张 三) would expose every character.
  if (/\s/u.test(name.trim()) && /\p{Script=Latin}/u.test(name)) {
    return name.replace(/\S+/gu, (word) => {
      const [initial, ...others] = Array.from(word);
      return initial + '*'.repeat(others.length);
    });
  }
  // Whitespace is dropped so that it is not counted as a character and shifted into the kept last place.
  const chars = Array.from(name.replace(/\s+/gu, ''));
  if (chars.length <= 1) return '*'.repeat(chars.length);
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

function maskPhone(phone: string): string {
  // The country code is kept as written so that "first 3 digits" means the start of the national number.
  const prefix = /^(?:\+86|0086)[\s-]*/u.exec(phone)?.[0] ?? '';
  const rest = Array.from(phone.slice(prefix.length));
  // \p{Nd} rather than \d: full-width digits (１３８…) are digits too and must not slip through unmasked.
  const digitCount = rest.filter(isDigit).length;
  const keep = digitCount >= 8;
  let seen = 0;
  const masked = rest.map((char) => {
    if (!isDigit(char)) return char;
    const index = seen++;
    return keep && (index < 3 || index >= digitCount - 4) ? char : '*';
  });
  return prefix + masked.join('');
}

function isDigit(char: string): boolean {
  return /^\p{Nd}$/u.test(char);
}

function assertNever(kind: never): never {
  throw new Error(`unknown mask kind ${String(kind)}`);
}
