import { convertLegacyResidentId, residentIdCheckChar, validateResidentId } from './resident-id';

// Vectors computed outside this code base from GB 11643-1999, then hard-coded.
describe('residentIdCheckChar', () => {
  it.each([
    ['11010519491231002', 'X'], // the standard's own example
    ['32050519900307421', '1'],
    ['32050219650815123', '2'],
    ['93284019850615001', '6'],
    ['32050819881224000', 'X'],
  ])('%s → %s', (first17, check) => {
    expect(residentIdCheckChar(first17)).toBe(check);
  });

  it('refuses non-digits', () => {
    expect(() => residentIdCheckChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe('validateResidentId', () => {
  it.each([
    '11010519491231002X',
    '320505199003074211',
    '320502196508151232', // retired 沧浪区 code
    '320584197811300025', // retired 吴江市 code
    '32050819881224000X',
    '320505200002290014', // 2000 is a leap year
    '320576199505050020', // Park statistics code
    '932840198506150016', // foreigner's permanent-residence number
  ])('accepts %s', (id) => {
    expect(validateResidentId(id)).toEqual({ ok: true, value: id, warnings: [] });
  });

  it('normalises a lower-case x and surrounding spaces', () => {
    expect(validateResidentId(' 11010519491231002x ')).toEqual({ ok: true, value: '11010519491231002X', warnings: [] });
  });

  it('converts a 15-digit legacy number with a warning', () => {
    expect(validateResidentId('320502800101123')).toEqual({
      ok: true,
      value: '32050219800101123X',
      warnings: ['15-digit legacy number converted to 18 characters'],
    });
  });

  it('warns about an address code with no known province', () => {
    expect(validateResidentId('240101199001010014')).toEqual({
      ok: true,
      value: '240101199001010014',
      warnings: ['address code 240101 has no known province'],
    });
  });

  it.each([
    ['32050519990231002X', 'birth date 19990231 is not a real date'],
    ['340104200302290038', 'birth date 20030229 is not a real date'],
    ['320505190002290034', 'birth date 19000229 is not a real date'], // 1900 is not a leap year
    ['320505189912310016', 'birth date 18991231 is before 1900'],
    ['320505199003074212', 'check character should be 1'],
    ['11010519491231002', 'must be 18 characters (got 17)'],
    ['11010519491231002X1', 'must be 18 characters (got 19)'],
    ['1101051949123A002X', 'the first 17 characters must be digits'],
    ['11010519491231002Y', 'the last character must be a digit or X'],
    ['320502800231123', 'birth date 19800231 is not a real date'],
  ])('rejects %s: %s', (id, reason) => {
    expect(validateResidentId(id)).toEqual({ ok: false, reason });
  });

  it('rejects a birth date after notBornAfter', () => {
    expect(validateResidentId('320505200002290014', { notBornAfter: '1999-12-31' })).toEqual({
      ok: false,
      reason: 'birth date 20000229 is in the future',
    });
    expect(validateResidentId('320505200002290014', { notBornAfter: '2000-02-29' }).ok).toBe(true);
  });
});

describe('convertLegacyResidentId', () => {
  it.each([
    ['320502800101123', '32050219800101123X'],
    ['320586650307241', '32058619650307241X'],
  ])('%s → %s', (legacy, converted) => {
    expect(convertLegacyResidentId(legacy)).toEqual({ ok: true, value: converted, warnings: [] });
  });

  it('rejects anything but 15 digits and impossible dates', () => {
    expect(convertLegacyResidentId('32050280010112')).toEqual({ ok: false, reason: 'a legacy number must be 15 digits' });
    expect(convertLegacyResidentId('32050280010112X')).toEqual({ ok: false, reason: 'a legacy number must be 15 digits' });
    expect(convertLegacyResidentId('320502800230123')).toEqual({ ok: false, reason: 'birth date 19800230 is not a real date' });
  });
});
