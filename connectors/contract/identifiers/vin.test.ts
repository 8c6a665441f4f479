import { validateVin, vinCheckDigit } from './vin';

// Vectors computed outside this code base from ISO 3779, then hard-coded.
describe('vinCheckDigit', () => {
  it.each([
    ['1M8GDM9A0KP042788', 'X'], // position 9 is ignored
    ['LSVAU2180N2183756', '0'],
    ['LFWSRXRJ0P1A12345', '6'],
    ['LZYTBGBW0R1004321', '9'],
    ['LRW3E7FS0RC123456', '8'],
  ])('%s → %s', (vin, check) => {
    expect(vinCheckDigit(vin)).toBe(check);
  });

  it('refuses forbidden letters and wrong lengths', () => {
    expect(() => vinCheckDigit('LSVAU2180N218375O')).toThrow(RangeError);
    expect(() => vinCheckDigit('LSVAU2180N218375')).toThrow(RangeError);
  });
});

describe('validateVin', () => {
  it.each([
    '1M8GDM9AXKP042788',
    'LSVAU2180N2183756',
    'LFWSRXRJ6P1A12345',
    'LZYTBGBW9R1004321',
    'LGXC16DF2S0012345',
    'LRW3E7FS8RC123456',
    'LZZ1BLNBXNW000005',
    'LFV2A21K0K3000009',
  ])('accepts %s without warnings', (vin) => {
    expect(validateVin(vin)).toEqual({ ok: true, value: vin, warnings: [] });
  });

  it('normalises full-width and lower case', () => {
    expect(validateVin('ｌｆｗｓｒｘｒｊ６ｐ１ａ１２３４５')).toEqual({ ok: true, value: 'LFWSRXRJ6P1A12345', warnings: [] });
  });

  it('keeps a wrong check digit as a warning', () => {
    expect(validateVin('LFWSRXRJ7P1A12345')).toEqual({
      ok: true,
      value: 'LFWSRXRJ7P1A12345',
      warnings: ['check digit (position 9) should be 6'],
    });
  });

  it.each([
    ['LFWSRXRJ6P1A1234', 'must be 17 characters (got 16)'],
    ['LFWSRXRJ6P1A123456', 'must be 17 characters (got 18)'],
    ['LFWSRXRJ6P1O12345', "must not contain I, O or Q (found 'O' at position 12)"],
    ['LFWSRXRJ6P1I12345', "must not contain I, O or Q (found 'I' at position 12)"],
    ['QFWSRXRJ6P1A12345', "must not contain I, O or Q (found 'Q' at position 1)"],
    ['LFWSRXRJ6P1A1234*', "character 17 '*' is not a letter or digit"],
  ])('rejects %s', (vin, reason) => {
    expect(validateVin(vin)).toEqual({ ok: false, reason });
  });
});
