import { InvalidInputError } from '../../errors';
import { decodeCursor, encodeCursor, pageSize, sealCursorJson } from '.';

describe('cursors', () => {
  it('round-trip their ordering values', () => {
    const cursor = encodeCursor('NAME_ASC', ['苏州某某物流有限公司', '91320505MA1XXXXX00']);
    expect(decodeCursor('after', cursor, 'NAME_ASC', ['text', 'text'])).toEqual(['苏州某某物流有限公司', '91320505MA1XXXXX00']);
  });

  it('are sealed: an ordering on a masked field (an ID number) does not show through the cursor', () => {
    const cursor = encodeCursor('ID_ASC', ['320505199001011234']);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('320505');
    // Flip a whole byte, not a base64 character: the last character may carry only padding bits.
    const bytes = Buffer.from(cursor, 'base64url');
    bytes[bytes.length - 1] ^= 0xff;
    const tampered = bytes.toString('base64url');
    expect(() => decodeCursor('after', tampered, 'ID_ASC', ['text'])).toThrow(InvalidInputError);
  });

  it.each([
    ['garbage', 'not-a-cursor!!'],
    ['another ordering', encodeCursor('USCC_ASC', ['x'])],
    ['the wrong arity', encodeCursor('NAME_ASC', ['x'])],
    ['an object value', sealCursorJson(['NAME_ASC', { a: 1 }, 'x'])],
    ['a readable, unsealed cursor', Buffer.from(JSON.stringify(['NAME_ASC', 'a', 'x'])).toString('base64url')],
    ['a null value', encodeCursor('NAME_ASC', [null, null])],
    ['a number where text belongs', encodeCursor('NAME_ASC', [1, 'x'])],
  ])('refuse %s with an error naming the argument', (_label, cursor) => {
    expect(() => decodeCursor('after', cursor, 'NAME_ASC', ['text', 'text'])).toThrow(InvalidInputError);
    try {
      decodeCursor('after', cursor, 'NAME_ASC', ['text', 'text']);
    } catch (error) {
      expect((error as InvalidInputError).argument).toBe('after');
    }
  });
});

describe('page sizes', () => {
  it('default to 50 and accept 0 to 500', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(500)).toBe(500);
  });

  it('refuse sizes outside 0..500 instead of silently capping', () => {
    expect(() => pageSize(501)).toThrow(/must be from 0 to 500, got 501/);
    expect(() => pageSize(-1)).toThrow(InvalidInputError);
  });
});

describe('cursor values are checked against their column types', () => {
  it.each([
    ['instant', '2026-10-30T13:40:14.123Z', true],
    ['instant', 'garbage', false],
    ['instant', '2026-10-30 13:40:14+08', false],
    ['date', '2026-10-30', true],
    ['date', '2026-13-45', false],
    ['int', 25000, true],
    ['int', 'abc', false],
    ['int', 1.5, false],
    ['float', 0.25, true],
    ['float', '0.25', false],
    ['bigint', '123456789012', true],
    ['bigint', 'x', false],
    ['text', 'a\u0000b', false],
  ] as const)('%s %j → %s', (type, value, ok) => {
    const cursor = encodeCursor('O', [value]);
    if (ok) expect(decodeCursor('after', cursor, 'O', [type])).toEqual([value]);
    else expect(() => decodeCursor('after', cursor, 'O', [type])).toThrow(InvalidInputError);
  });
});
