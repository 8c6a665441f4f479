import { PLATE_COLOR_JTT_CODE, PlateColor } from '../canonical/codes';

const BY_CODE = new Map<number, PlateColor>((Object.entries(PLATE_COLOR_JTT_CODE) as [PlateColor, number][]).map(([color, code]) => [code, color]));

/** Canonical colour of a JT/T 808/809 numeric code; null for a code outside the table. */
export function plateColorFromJttCode(code: number): PlateColor | null {
  return BY_CODE.get(code) ?? null;
}

export function jttCodeFromPlateColor(color: PlateColor): number {
  return PLATE_COLOR_JTT_CODE[color];
}
