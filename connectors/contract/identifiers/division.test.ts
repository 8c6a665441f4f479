import { divisionName, isSuzhouDivision, provinceOfDivision, validateDivisionCode } from './division';

describe('isSuzhouDivision', () => {
  it.each([
    '320500',
    '320505',
    '320506',
    '320507',
    '320508',
    '320509',
    '320581',
    '320582',
    '320583',
    '320585',
    '320571',
    '320576',
    '320594',
    '320502',
    '320503',
    '320504',
    '320584',
    '320586',
    '320511',
  ])('%s is Suzhou', (code) => {
    expect(isSuzhouDivision(code)).toBe(true);
  });

  it.each(['320100', '320200', '310000', '330400', '320599', '320000', '3205', ''])('%p is not Suzhou', (code) => {
    expect(isSuzhouDivision(code)).toBe(false);
  });
});

describe('divisionName', () => {
  it.each([
    ['320508', '姑苏区'],
    ['320594', '苏州工业园区'],
    ['320502', '沧浪区'],
    ['320500', '苏州市'],
    ['330400', '嘉兴市'],
    ['310000', '上海市'],
    ['320000', '江苏省'],
    ['340000', '安徽省'],
    ['320599', null],
    ['abc', null],
  ])('%s → %p', (code, name) => {
    expect(divisionName(code)).toBe(name);
  });
});

describe('provinceOfDivision', () => {
  it.each([
    ['310115', '310000'],
    ['320594', '320000'],
    ['330482', '330000'],
    ['340111', '340000'],
    ['810000', '810000'],
    ['990000', null],
    ['160000', null],
    ['31011', null],
  ])('%s → %p', (code, province) => {
    expect(provinceOfDivision(code)).toBe(province);
  });
});

describe('validateDivisionCode', () => {
  it.each(['320505', '320594', '320576', '320000', '310000', '330421'])('accepts %s without warnings', (code) => {
    expect(validateDivisionCode(code)).toEqual({ ok: true, value: code, warnings: [] });
  });

  it('trims and converts full-width digits', () => {
    expect(validateDivisionCode(' ３２０５０５ ')).toEqual({ ok: true, value: '320505', warnings: [] });
  });

  it('accepts retired codes with a warning', () => {
    expect(validateDivisionCode('320502')).toEqual({ ok: true, value: '320502', warnings: ['division 320502 (沧浪区) is retired'] });
    expect(validateDivisionCode('320571')).toEqual({ ok: true, value: '320571', warnings: ['division 320571 (苏州工业园区) is retired'] });
  });

  it('accepts unknown but well-formed codes with a warning', () => {
    expect(validateDivisionCode('320599')).toEqual({ ok: true, value: '320599', warnings: ['division 320599 is not in the known table'] });
    expect(validateDivisionCode('820000')).toEqual({ ok: true, value: '820000', warnings: [] });
  });

  it.each([
    ['32050', 'must be 6 digits'],
    ['3205051', 'must be 6 digits'],
    ['3205O5', 'must be 6 digits'],
    ['660101', 'prefix 66 is not a province'],
    ['000000', 'prefix 00 is not a province'],
    ['720000', 'prefix 72 is not a province'],
  ])('rejects %s', (code, reason) => {
    expect(validateDivisionCode(code)).toEqual({ ok: false, reason });
  });
});
