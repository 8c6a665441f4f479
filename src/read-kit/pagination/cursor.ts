import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../errors';

/**
 * Cursors carry the ordering values of a row, and an ordering may be on a masked field (a
 * certificate or ID number): they are sealed (AES-256-GCM) so a caller can neither read nor forge
 * them. The hub sets the key from its own key at start, so every instance sharing that key
 * accepts the others' cursors; until then (tools, unit tests) a random one, drawn on first use.
 */
let cursorKey: Buffer | null = null;

const currentKey = (): Buffer => (cursorKey ??= randomBytes(32));

export function setCursorKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('cursor key must be 32 bytes');
  cursorKey = key;
}

/**
 * GCM needs an IV never repeated under one key, not an unpredictable one: a random 64-bit field
 * per process and a 32-bit counter (NIST SP 800-38D §8.2.1), the field drawn again when the
 * counter wraps. Drawing 12 random bytes per cursor cost six times the encryption itself.
 */
let ivField = randomBytes(8);
let ivCounter = 0;
let seals = 0;

function nextIv(): Buffer {
  if (ivCounter === 0x1_0000_0000) [ivField, ivCounter] = [randomBytes(8), 0];
  const iv = Buffer.allocUnsafe(12);
  ivField.copy(iv, 0);
  iv.writeUInt32BE(ivCounter++, 8);
  return iv;
}

/** How many cursors this process has sealed: tests check that a page whose cursors nobody selects seals none. */
export function cursorsSealed(): number {
  return seals;
}

function seal(text: string): string {
  seals += 1;
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', currentKey(), iv);
  const body = cipher.update(text, 'utf8');
  const last = cipher.final();
  return Buffer.concat([iv, cipher.getAuthTag(), body, last]).toString('base64url');
}

function unseal(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', currentKey(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** A position in an ordered list: the ordering values of the last row seen, key last. */
export type CursorValues = ReadonlyArray<string | number | boolean | null>;

/** A sealed cursor of the ordering values, tagged with the ordering so another's is refused, not misread. */
export function encodeCursor(ordering: string, values: CursorValues): string {
  return seal(JSON.stringify([ordering, ...values]));
}

/** Seals arbitrary JSON as a cursor would be (tests build malformed cursors with it). */
export function sealCursorJson(json: unknown): string {
  return seal(JSON.stringify(json));
}

/** The kind of value each ordering column holds: cursors are checked against it before any SQL. */
export type CursorValueType = 'text' | 'instant' | 'date' | 'int' | 'float' | 'bigint';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function fits(value: unknown, type: CursorValueType): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string' && !value.includes('\u0000');
    case 'instant':
      return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bigint':
      return typeof value === 'string' && /^\d{1,19}$/.test(value);
  }
}

export function decodeCursor(argument: string, cursor: string, ordering: string, types: readonly CursorValueType[]): CursorValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(unseal(cursor));
  } catch {
    throw new InvalidInputError(argument, 'is not a cursor returned by this connection');
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length + 1 || parsed[0] !== ordering || !parsed.slice(1).every((v, i) => fits(v, types[i]))) {
    throw new InvalidInputError(argument, 'is not a cursor returned by this connection with this ordering');
  }
  return parsed.slice(1) as CursorValues;
}
