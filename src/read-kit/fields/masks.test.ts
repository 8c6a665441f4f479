import { applyMask, isMaskKind, MaskKind } from './masks';

describe('applyMask', () => {
  describe('RESIDENT_ID keeps the first 6 and last 4 characters', () => {
    it.each([
      ['320583199001011234', '320583********1234'],
      ['32058319900101123X', '320583********123X'],
      ['320583900101123', '320583*****1123'],
      ['12345678901', '123456*8901'],
      ['1234567890', '**********'],
      ['123', '***'],
      ['', ''],
    ])('%p → %p', (id, masked) => {
      expect(applyMask(MaskKind.RESIDENT_ID, id)).toBe(masked);
    });
  });

  describe('PERSON_NAME', () => {
    it.each([
      ['张三', '张*'],
      ['张小明', '张*明'],
      ['欧阳小明', '欧**明'],
      ['阿依古丽·买买提', '阿******提'],
      ['张', '*'],
      ['', ''],
      // Surrogate pairs count as one character each and are never split.
      ['𠀋三', '𠀋*'],
      ['张𠀋明', '张*明'],
      ['𠀋', '*'],
      // A stray space in a CJK name is not counted, so it cannot push a real character into the kept last place.
      ['张 三', '张*'],
      ['John Smith', 'J*** S****'],
      ['Mary  Ann Lee', 'M***  A** L**'],
      ['J Smith', 'J S****'],
      ['John', 'J**n'],
    ])('%p → %p', (name, masked) => {
      expect(applyMask(MaskKind.PERSON_NAME, name)).toBe(masked);
    });
  });

  describe('PHONE keeps the first 3 and last 4 digits and any separators', () => {
    it.each([
      ['13812345678', '138****5678'],
      ['138-1234-5678', '138-****-5678'],
      ['+86 13812345678', '+86 138****5678'],
      ['+86-138-1234-5678', '+86-138-****-5678'],
      ['008613812345678', '0086138****5678'],
      ['0512-67521234', '051*-****1234'],
      ['12345678', '123*5678'],
      ['1234567', '*******'],
      ['0512-110', '****-***'],
      ['１３８１２３４５６７８', '１３８****５６７８'],
      ['', ''],
    ])('%p → %p', (phone, masked) => {
      expect(applyMask(MaskKind.PHONE, phone)).toBe(masked);
    });
  });

  describe('COORDINATE rounds to 2 decimals (about 1 km)', () => {
    it.each([
      [31.298765, 31.3],
      [120.585316, 120.59],
      [-33.86882, -33.87],
      [31, 31],
    ])('%p → %p', (degrees, rounded) => {
      expect(applyMask(MaskKind.COORDINATE, degrees)).toBe(rounded);
    });
  });

  describe('CERTIFICATE keeps the first 4 and last 2 characters', () => {
    it.each([
      ['JSSZ2021000123', 'JSSZ********23'],
      ['1234567', '1234*67'],
      ['123456', '******'],
      ['苏交运管许可苏字320500001号', '苏交运管************1号'],
      ['𠀋𠀋𠀋𠀋𠀋𠀋𠀋', '𠀋𠀋𠀋𠀋*𠀋𠀋'],
      ['', ''],
    ])('%p → %p', (certificate, masked) => {
      expect(applyMask(MaskKind.CERTIFICATE, certificate)).toBe(masked);
    });
  });

  describe('PLATE keeps the province, the issuing letter and the last character', () => {
    it.each([
      ['苏E12345', '苏E****5'],
      ['苏ED12345', '苏E*****5'],
      ['苏E1234学', '苏E****学'],
      ['苏E1', '***'],
      ['', ''],
    ])('%p → %p', (plate, masked) => {
      expect(applyMask(MaskKind.PLATE, plate)).toBe(masked);
    });
  });

  describe('REDACT keeps the type and leaks nothing', () => {
    it.each([
      ['张小明', '***'],
      ['', '***'],
      ['a much longer secret value', '***'],
      [42.5, 0],
      [true, false],
      [false, false],
    ])('%p → %p', (value, redacted) => {
      expect(applyMask(MaskKind.REDACT, value)).toBe(redacted);
    });
  });

  it.each(Object.values(MaskKind))('%s passes null and undefined through', (kind) => {
    expect(applyMask(kind, null)).toBeNull();
    expect(applyMask(kind, undefined)).toBeUndefined();
  });

  it('masks arrays element by element, nested lists and null elements included', () => {
    expect(applyMask(MaskKind.PLATE, ['苏E12345', null, '沪AB1234'])).toEqual(['苏E****5', null, '沪A****4']);
    expect(applyMask(MaskKind.COORDINATE, [[31.298765, 120.585316], []])).toEqual([[31.3, 120.59], []]);
    expect(applyMask(MaskKind.REDACT, [])).toEqual([]);
  });

  it('redacts, keeping the type, a scalar whose type the mask does not expect (fails closed)', () => {
    expect(applyMask(MaskKind.PHONE, 13812345678)).toBe(0);
    expect(applyMask(MaskKind.RESIDENT_ID, true)).toBe(false);
    expect(applyMask(MaskKind.COORDINATE, '31.298765')).toBe('***');
  });

  it('refuses to mask an object rather than pass it through', () => {
    expect(() => applyMask(MaskKind.REDACT, { id: '320583199001011234' })).toThrow(TypeError);
    expect(() => applyMask(MaskKind.PERSON_NAME, { name: '张三' })).toThrow(/scalar fields only/);
  });
});

describe('isMaskKind', () => {
  it.each(Object.values(MaskKind))('accepts %s', (kind) => {
    expect(isMaskKind(kind)).toBe(true);
  });

  it.each(['', 'redact', 'NAME', 'toString', '__proto__'])('rejects %p', (value) => {
    expect(isMaskKind(value)).toBe(false);
  });
});

describe('DIGIT_RUNS', () => {
  it('keeps the text and short numbers, and only the ends of long digit runs', () => {
    expect(applyMask(MaskKind.DIGIT_RUNS, 'birth date 19800230 is not a real date; check character should be 7')).toBe(
      'birth date 19****30 is not a real date; check character should be 7',
    );
    expect(applyMask(MaskKind.DIGIT_RUNS, ['id 32050519900101123X rejected'])).toEqual(['id 32**************3X rejected']);
  });
});
