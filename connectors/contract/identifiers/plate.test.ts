import { normalisePlate, PlateKind, provinceOfPlate, validatePlate } from './plate';

describe('normalisePlate', () => {
  it.each([
    ['苏E·12345', '苏E12345'],
    ['苏e-12345', '苏E12345'],
    [' 沪A B1234 ', '沪AB1234'],
    ['苏Ｅ１２３４５', '苏E12345'],
    ['苏Ｅ　ｄ１２３４５', '苏ED12345'],
  ])('%p → %s', (raw, normalised) => {
    expect(normalisePlate(raw)).toBe(normalised);
  });
});

describe('validatePlate', () => {
  it.each([
    ['苏E12345', PlateKind.ORDINARY],
    ['苏UA1234', PlateKind.ORDINARY],
    ['沪AB1234', PlateKind.ORDINARY],
    ['浙F3C7Z9', PlateKind.ORDINARY],
    ['苏E1234挂', PlateKind.TRAILER],
    ['苏E1234学', PlateKind.COACH],
    ['苏E1234警', PlateKind.POLICE],
    ['粤Z1234港', PlateKind.HONG_KONG],
    ['粤Z1234澳', PlateKind.MACAU],
    ['苏ED12345', PlateKind.NEW_ENERGY_SMALL],
    ['苏EFA1234', PlateKind.NEW_ENERGY_SMALL],
    ['苏E12345D', PlateKind.NEW_ENERGY_LARGE],
    ['皖A12345F', PlateKind.NEW_ENERGY_LARGE],
  ])('accepts %s as %s', (plate, kind) => {
    expect(validatePlate(plate)).toEqual({ ok: true, value: plate, kind, warnings: [] });
  });

  it('validates the normalised form', () => {
    expect(validatePlate('苏e·d12345')).toEqual({ ok: true, value: '苏ED12345', kind: PlateKind.NEW_ENERGY_SMALL, warnings: [] });
  });

  it('accepts energy letters A–K beyond D and F with a warning', () => {
    expect(validatePlate('苏EA12345')).toEqual({
      ok: true,
      value: '苏EA12345',
      kind: PlateKind.NEW_ENERGY_SMALL,
      warnings: ["energy letter 'A' is outside the confirmed D and F"],
    });
    expect(validatePlate('苏E12345K')).toEqual({
      ok: true,
      value: '苏E12345K',
      kind: PlateKind.NEW_ENERGY_LARGE,
      warnings: ["energy letter 'K' is outside the confirmed D and F"],
    });
  });

  it.each([
    ['', 'is empty'],
    ['无E12345', "first character '无' is not a province abbreviation"],
    ['SE12345', "first character 'S' is not a province abbreviation"],
    ['苏I12345', 'letters I and O never appear on plates'],
    ['苏E1O345', 'letters I and O never appear on plates'],
    ['苏112345', 'the issuing-authority letter must be A–Z without I and O'],
    ['苏', 'the issuing-authority letter must be A–Z without I and O'],
    ['苏E1234', 'must be 7 characters, or 8 for new-energy plates (got 6)'],
    ['苏E1234567', 'must be 7 characters, or 8 for new-energy plates (got 9)'],
    ['苏E12#45', "character 5 '#' is not a letter or digit"],
    ['苏E123挂5', "character 6 '挂' is not a letter or digit"],
    ['苏E1234港', '港/澳 plates are issued only as 粤Z'],
    ['苏E123456', 'a new-energy serial must be an energy letter (A–K), a letter or digit and 4 digits, or 5 digits and an energy letter'],
    ['苏EL12345', 'a new-energy serial must be an energy letter (A–K), a letter or digit and 4 digits, or 5 digits and an energy letter'],
    ['苏E12345L', 'a new-energy serial must be an energy letter (A–K), a letter or digit and 4 digits, or 5 digits and an energy letter'],
    ['苏ED1234A', 'a new-energy serial must be an energy letter (A–K), a letter or digit and 4 digits, or 5 digits and an energy letter'],
  ])('rejects %p', (plate, reason) => {
    expect(validatePlate(plate)).toEqual({ ok: false, reason });
  });
});

describe('provinceOfPlate', () => {
  it.each([
    ['苏E12345', '320000'],
    ['苏U12345', '320000'],
    ['沪B12345', '310000'],
    ['浙F12345', '330000'],
    ['皖A12345D', '340000'],
    ['贵A12345', '520000'],
    ['XE12345', null],
    ['', null],
  ])('%p → %p', (plate, province) => {
    expect(provinceOfPlate(plate)).toBe(province);
  });
});
