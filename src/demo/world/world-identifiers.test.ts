import {
  isSuzhouDivision,
  PlateKind,
  provinceOfDivision,
  provinceOfPlate,
  validateDivisionCode,
  validatePlate,
  validateResidentId,
  validateUscc,
  validateVin,
} from '../../../connectors/contract/identifiers';
import { PlateColor } from '../../../connectors/contract/canonical/codes';
import { generateWorld } from './world';

const world = generateWorld({ seed: 11, size: 0.05 });
const CHINESE_NAME = /^[\u4e00-\u9fa5]{2,4}$/;

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

describe('world enterprises', () => {
  it('carry valid credit codes from Suzhou market regulation, without warnings, unique', () => {
    for (const e of world.enterprises) {
      expect(validateUscc(e.uscc)).toEqual({ ok: true, value: e.uscc, warnings: [] });
      expect(e.uscc.slice(0, 2)).toBe('91');
      expect(isSuzhouDivision(e.uscc.slice(2, 8))).toBe(true);
    }
    expect(duplicates(world.enterprises.map((e) => e.uscc))).toEqual([]);
    expect(world.enterprises.some((e) => e.uscc.slice(2, 8) === '320594')).toBe(true);
  });

  it('have unique names, Chinese legal representatives and Suzhou addresses and divisions', () => {
    expect(duplicates(world.enterprises.map((e) => e.name))).toEqual([]);
    for (const e of world.enterprises) {
      expect(e.legalRepresentative).toMatch(CHINESE_NAME);
      expect(e.address.startsWith('江苏省苏州市')).toBe(true);
      expect(isSuzhouDivision(e.divisionCode)).toBe(true);
      expect(validateDivisionCode(e.divisionCode)).toEqual({ ok: true, value: e.divisionCode, warnings: [] });
      expect(e.registeredCapitalYuan).toBeGreaterThan(0);
    }
  });

  it('are mostly in business', () => {
    const inBusiness = world.enterprises.filter((e) => e.status === 'IN_BUSINESS').length;
    expect(inBusiness / world.enterprises.length).toBeGreaterThan(0.9);
  });
});

describe('world vehicles', () => {
  it('carry valid plates, unique by number and colour, mostly from Suzhou', () => {
    for (const v of world.vehicles) {
      const result = validatePlate(v.plateNumber);
      expect(result.ok && result.warnings.length === 0 && result.value === v.plateNumber).toBe(true);
    }
    expect(duplicates(world.vehicles.map((v) => `${v.plateNumber}|${v.plateColor}`))).toEqual([]);
    const suzhou = world.vehicles.filter((v) => /^苏[EU]/.test(v.plateNumber)).length;
    expect(suzhou / world.vehicles.length).toBeGreaterThan(0.8);
    expect(world.vehicles.some((v) => /^[沪浙皖]/.test(v.plateNumber))).toBe(true);
  });

  it('carry colours that match the plate shape', () => {
    const allowed: Record<PlateKind, PlateColor[]> = {
      [PlateKind.ORDINARY]: [PlateColor.BLUE, PlateColor.YELLOW],
      [PlateKind.TRAILER]: [PlateColor.YELLOW],
      [PlateKind.COACH]: [PlateColor.YELLOW],
      [PlateKind.POLICE]: [PlateColor.WHITE],
      [PlateKind.HONG_KONG]: [PlateColor.BLACK],
      [PlateKind.MACAU]: [PlateColor.BLACK],
      [PlateKind.NEW_ENERGY_SMALL]: [PlateColor.GRADIENT_GREEN],
      [PlateKind.NEW_ENERGY_LARGE]: [PlateColor.YELLOW_GREEN],
    };
    const kinds = new Set<PlateKind>();
    for (const v of world.vehicles) {
      const result = validatePlate(v.plateNumber);
      if (!result.ok) throw new Error(result.reason);
      kinds.add(result.kind);
      expect(allowed[result.kind]).toContain(v.plateColor);
    }
    const newEnergy = world.vehicles.filter((v) => v.plateNumber.length === 8).length / world.vehicles.length;
    expect(newEnergy).toBeGreaterThan(0.05);
    expect(newEnergy).toBeLessThan(0.4);
    expect(kinds).toEqual(new Set([PlateKind.ORDINARY, PlateKind.TRAILER, PlateKind.COACH, PlateKind.NEW_ENERGY_SMALL, PlateKind.NEW_ENERGY_LARGE]));
  });

  it('are registered in the province of their plate', () => {
    for (const v of world.vehicles) expect(provinceOfDivision(v.registrationDivision)).toBe(provinceOfPlate(v.plateNumber));
  });

  it('carry unique VINs that pass the check digit', () => {
    for (const v of world.vehicles) expect(validateVin(v.vin)).toEqual({ ok: true, value: v.vin, warnings: [] });
    expect(duplicates(world.vehicles.map((v) => v.vin))).toEqual([]);
  });
});

describe('world practitioners', () => {
  it('carry unique valid resident ID numbers, born 1960–2003 in Suzhou or a neighbour', () => {
    for (const p of world.practitioners) {
      expect(validateResidentId(p.idNumber)).toEqual({ ok: true, value: p.idNumber, warnings: [] });
      const year = Number(p.idNumber.slice(6, 10));
      expect(year).toBeGreaterThanOrEqual(1960);
      expect(year).toBeLessThanOrEqual(2003);
      const address = p.idNumber.slice(0, 6);
      expect(isSuzhouDivision(address) || ['31', '32', '33', '34'].includes(address.slice(0, 2))).toBe(true);
    }
    expect(duplicates(world.practitioners.map((p) => p.idNumber))).toEqual([]);
    expect(world.practitioners.some((p) => ['320502', '320503', '320504', '320584', '320586', '320511'].includes(p.idNumber.slice(0, 6)))).toBe(true);
  });

  it('have Chinese names, mobile numbers and unique certificate numbers', () => {
    for (const p of world.practitioners) {
      expect(p.name).toMatch(CHINESE_NAME);
      if (p.phone !== null) expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    expect(duplicates(world.practitioners.map((p) => p.certificateNumber))).toEqual([]);
  });
});

describe('world checkpoints', () => {
  it('have unique district-prefixed codes, Suzhou divisions and coordinates inside Suzhou', () => {
    expect(duplicates(world.checkpoints.map((c) => c.code))).toEqual([]);
    for (const c of world.checkpoints) {
      expect(c.code).toMatch(/^\d{6}-KK-\d{4}$/);
      expect(c.code.slice(0, 6)).toBe(c.divisionCode);
      expect(isSuzhouDivision(c.divisionCode)).toBe(true);
      expect(c.latitude).toBeGreaterThanOrEqual(30.75);
      expect(c.latitude).toBeLessThanOrEqual(32.05);
      expect(c.longitude).toBeGreaterThanOrEqual(119.9);
      expect(c.longitude).toBeLessThanOrEqual(121.35);
      expect(c.name).toContain(c.road);
    }
  });
});
