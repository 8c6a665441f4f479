import { InvalidInputError } from '../../src/errors';
import { decodeCursor, encodeCursor, pageSize } from '../../src/pagination';

describe('cursors', () => {
  it('round-trip their ordering values', () => {
    const cursor = encodeCursor('NAME_ASC', ['苏州某某物流有限公司', '91320505MA1XXXXX00']);
    expect(decodeCursor('after', cursor, 'NAME_ASC', 2)).toEqual(['苏州某某物流有限公司', '91320505MA1XXXXX00']);
  });

  it.each([
    ['garbage', 'not-a-cursor!!'],
    ['another ordering', encodeCursor('USCC_ASC', ['x'])],
    ['the wrong arity', encodeCursor('NAME_ASC', ['x'])],
    ['an object value', Buffer.from(JSON.stringify(['NAME_ASC', { a: 1 }, 'x'])).toString('base64url')],
  ])('refuse %s with an error naming the argument', (_label, cursor) => {
    expect(() => decodeCursor('after', cursor, 'NAME_ASC', 2)).toThrow(InvalidInputError);
    try {
      decodeCursor('after', cursor, 'NAME_ASC', 2);
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
