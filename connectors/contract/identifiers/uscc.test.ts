import { orgCodeCheckChar } from './org-code';
import { usccCheckChar, validateUscc } from './uscc';

// Vectors computed outside this code base from GB 32100-2015 and GB 11714, then hard-coded.
describe('usccCheckChar', () => {
  it('reproduces the standard worked example: Σ = 1640, 1640 mod 31 = 28, check 3', () => {
    const values = [9, 1, 3, 5, 0, 1, 0, 0, 21 /* M */, 0, 0, 0, 1, 0, 0, 30 /* Y */, 4];
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = values.reduce((acc, v, i) => acc + v * weights[i], 0);
    expect(sum).toBe(1640);
    expect(sum % 31).toBe(28);
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it.each([
    ['91320505MA1MXK3L4', 'D'],
    ['91320594134679258', '9'],
    ['91320583MA27Q9P45', 'K'],
    ['91320506100000040', '0'], // 31 − 0 = 31 maps to 0
    ['9132050720000003X', 'J'],
    ['Y1320505MA1MXK3L4', 'P'],
  ])('%s → %s', (first17, check) => {
    expect(usccCheckChar(first17)).toBe(check);
  });

  it('refuses characters outside the alphabet and wrong lengths', () => {
    expect(() => usccCheckChar('91320505MA1MXK3I4')).toThrow(RangeError);
    expect(() => usccCheckChar('91320505MA1MXK3L')).toThrow(RangeError);
  });
});

describe('orgCodeCheckChar', () => {
  it.each([
    ['M000100Y', '4'],
    ['13467925', '8'],
    ['MA1MXK3L', '4'],
    ['MA1P0R2W', 'X'], // 11 − Σ mod 11 = 10
    ['20000003', 'X'],
    ['20000008', '0'], // 11 − 0 = 11 maps to 0
    ['74621188', '3'],
  ])('%s → %s', (first8, check) => {
    expect(orgCodeCheckChar(first8)).toBe(check);
  });

  it('refuses lower case and wrong lengths', () => {
    expect(() => orgCodeCheckChar('ma1p0r2w')).toThrow(RangeError);
    expect(() => orgCodeCheckChar('1234567')).toThrow(RangeError);
  });
});

describe('validateUscc', () => {
  it.each([
    '91350100M000100Y43',
    '91320505MA1MXK3L4D',
    '913205941346792589',
    '91320583MA27Q9P45K',
    '913205061000000400',
    '9132050720000003XJ',
    '91320509200000080T',
    'Y1320505MA1MXK3L4P',
  ])('accepts %s without warnings', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: code, warnings: [] });
  });

  it('normalises spaces, full-width characters and lower case', () => {
    expect(validateUscc(' ９１３２０５０５ｍａ１ｍｘｋ３ｌ４ｄ ')).toEqual({ ok: true, value: '91320505MA1MXK3L4D', warnings: [] });
  });

  it('rejects a wrong check character, naming the right one', () => {
    expect(validateUscc('91320505MA1MXK3L4E')).toEqual({ ok: false, reason: 'check character should be D' });
    expect(validateUscc('91350100M000100Y44')).toEqual({ ok: false, reason: 'check character should be 3' });
  });

  it('keeps a checksum failure as a warning when allowChecksumFailure is set (early pilot codes)', () => {
    const result = validateUscc('91320505MA1MXK3L4E', { allowChecksumFailure: true });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toBe('91320505MA1MXK3L4E');
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatch(/^check character should be D/);
    }
  });

  it('turns an organisation-code check failure into a warning', () => {
    // Org code MA1MXK3L5 should end in 4; the credit-code check G is right for this body.
    expect(validateUscc('91320505MA1MXK3L5G')).toEqual({
      ok: true,
      value: '91320505MA1MXK3L5G',
      warnings: ['organisation code check character should be 4'],
    });
  });

  it.each([
    ['91320505MA1MXK3L4', 'must be 18 characters (got 17)'],
    ['91320505MA1MXK3L4DD', 'must be 18 characters (got 19)'],
    ['', 'must be 18 characters (got 0)'],
  ])('rejects the length of %p', (code, reason) => {
    expect(validateUscc(code)).toEqual({ ok: false, reason });
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('rejects the forbidden letter %s', (letter) => {
    const result = validateUscc(`91320505MA1MXK3${letter}4D`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(`character 16 is '${letter}': I, O, S, V and Z never appear in a credit code`);
  });

  it('rejects punctuation', () => {
    expect(validateUscc('91320505MA1MXK3-4D')).toEqual({ ok: false, reason: "character 16 '-' is not a digit or an allowed upper-case letter" });
  });

  it('rejects letters in the division', () => {
    expect(validateUscc('9132A505MA1MXK3L4D')).toEqual({ ok: false, reason: 'characters 3–8 (the administrative division) must be digits' });
  });
});
