import { toHalfWidth } from './normalise';
import { provinceByPlateAbbreviation } from './provinces';

/** What a plate's shape says about the vehicle (GA 36-2018). */
export enum PlateKind {
  ORDINARY = 'ORDINARY',
  TRAILER = 'TRAILER',
  COACH = 'COACH',
  POLICE = 'POLICE',
  HONG_KONG = 'HONG_KONG',
  MACAU = 'MACAU',
  NEW_ENERGY_SMALL = 'NEW_ENERGY_SMALL',
  NEW_ENERGY_LARGE = 'NEW_ENERGY_LARGE',
}

export type PlateValidationResult = { ok: true; value: string; kind: PlateKind; warnings: string[] } | { ok: false; reason: string };

const SUFFIX_KINDS: Record<string, PlateKind> = {
  挂: PlateKind.TRAILER,
  学: PlateKind.COACH,
  警: PlateKind.POLICE,
  港: PlateKind.HONG_KONG,
  澳: PlateKind.MACAU,
};
/** Cross-border plates are issued only under 粤Z. */
const CROSS_BORDER_PREFIX = '粤Z';
/** D = pure electric, F = other; the published A–K expansion is reported, not confirmed, so other letters get a warning. */
const CONFIRMED_ENERGY_LETTERS = 'DF';

const SEPARATORS = /[\s·•・-]/g;
const AUTHORITY = /^[A-HJ-NP-Z]$/;
const SERIAL_CHAR = /^[0-9A-HJ-NP-Z]$/;
const SMALL_NEW_ENERGY = /^[A-HJK][0-9A-HJ-NP-Z]\d{4}$/;
const LARGE_NEW_ENERGY = /^\d{5}[A-HJK]$/;

/** Strip `·`, `-` and spaces, full-width to half-width, upper case. */
export function normalisePlate(input: string): string {
  return toHalfWidth(input).replace(SEPARATORS, '').toUpperCase();
}

/** Province-level division code ('320000') of a plate's first character; null when it is no province abbreviation. */
export function provinceOfPlate(plateNumber: string): string | null {
  const first = normalisePlate(plateNumber).charAt(0);
  return provinceByPlateAbbreviation(first)?.code ?? null;
}

export function validatePlate(plateNumber: string): PlateValidationResult {
  const plate = normalisePlate(plateNumber);
  const fail = (reason: string): PlateValidationResult => ({ ok: false, reason });
  if (plate.length === 0) return fail('is empty');
  const chars = [...plate];
  if (!provinceByPlateAbbreviation(chars[0])) return fail(`first character '${chars[0]}' is not a province abbreviation`);
  if (/[IO]/.test(plate)) return fail('letters I and O never appear on plates');
  if (chars.length < 2 || !AUTHORITY.test(chars[1])) return fail('the issuing-authority letter must be A–Z without I and O');

  const serial = chars.slice(2);
  if (chars.length === 7) {
    const suffixKind = SUFFIX_KINDS[serial[4]];
    const body = suffixKind ? serial.slice(0, 4) : serial;
    const bad = body.findIndex((ch) => !SERIAL_CHAR.test(ch));
    if (bad >= 0) return fail(`character ${bad + 3} '${body[bad]}' is not a letter or digit`);
    if ((suffixKind === PlateKind.HONG_KONG || suffixKind === PlateKind.MACAU) && !plate.startsWith(CROSS_BORDER_PREFIX)) {
      return fail(`港/澳 plates are issued only as ${CROSS_BORDER_PREFIX}`);
    }
    return { ok: true, value: plate, kind: suffixKind ?? PlateKind.ORDINARY, warnings: [] };
  }
  if (chars.length === 8) {
    const rest = serial.join('');
    let kind: PlateKind;
    let energyLetter: string;
    if (SMALL_NEW_ENERGY.test(rest)) {
      kind = PlateKind.NEW_ENERGY_SMALL;
      energyLetter = rest[0];
    } else if (LARGE_NEW_ENERGY.test(rest)) {
      kind = PlateKind.NEW_ENERGY_LARGE;
      energyLetter = rest[5];
    } else {
      return fail('a new-energy serial must be an energy letter (A–K), a letter or digit and 4 digits, or 5 digits and an energy letter');
    }
    const warnings = CONFIRMED_ENERGY_LETTERS.includes(energyLetter) ? [] : [`energy letter '${energyLetter}' is outside the confirmed D and F`];
    return { ok: true, value: plate, kind, warnings };
  }
  return fail(`must be 7 characters, or 8 for new-energy plates (got ${chars.length})`);
}
