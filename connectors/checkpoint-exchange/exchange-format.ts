import { PlateColor, TravelDirection } from '../contract/canonical/codes';

/**
 * The public-security exchange database (前置库): the police system writes into tables of its
 * own, in its own codes, and the hub only reads them.
 */
export const EXCHANGE_SCHEMA = 'psb_exchange';

/** The checkpoint vendor's plate-colour numbering (not the transport side's JT/T numbers). */
export const VENDOR_PLATE_COLOURS: Record<number, PlateColor> = {
  0: PlateColor.WHITE,
  1: PlateColor.YELLOW,
  2: PlateColor.BLUE,
  3: PlateColor.BLACK,
  4: PlateColor.GREEN,
  5: PlateColor.YELLOW_GREEN,
  6: PlateColor.GRADIENT_GREEN,
  7: PlateColor.UNPLATED,
  8: PlateColor.AGRICULTURAL_YELLOW,
  10: PlateColor.AGRICULTURAL_GREEN,
  9: PlateColor.OTHER,
};

export const VENDOR_CODE_OF = Object.fromEntries(Object.entries(VENDOR_PLATE_COLOURS).map(([code, colour]) => [colour, Number(code)])) as Record<
  PlateColor,
  number
>;

/** Direction codes of the exchange tables. */
export const DIRECTION_CODES: Record<string, TravelDirection> = {
  '01': TravelDirection.EASTBOUND,
  '02': TravelDirection.WESTBOUND,
  '03': TravelDirection.SOUTHBOUND,
  '04': TravelDirection.NORTHBOUND,
};

export const DIRECTION_CODE_OF = Object.fromEntries(Object.entries(DIRECTION_CODES).map(([code, d]) => [d, code])) as Record<TravelDirection, string>;

/** `2026-10-02T00:00:06+08:00` → `2026-10-02 00:00:06` (the exchange keeps Beijing wall time). */
export const wallTime = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/** `2026-10-02 00:00:06` → `2026-10-02T00:00:06+08:00`. */
export const isoFromWallTime = (wall: string): string => `${wall.replace(' ', 'T')}+08:00`;

export const EXCHANGE_STREAMS = ['checkpoints', 'captures'] as const;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the digits of `text` from `start` to `end`, or NaN when one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The instant of a Beijing wall time (`2026-11-03 14:03:27`) in epoch ms, or NaN when the text is
 * not one or names a time that does not exist (`2026-02-30`, `24:00:00`, which Date.parse would
 * roll over). Read character by character, without Date.parse: it runs for every capture read.
 */
export function wallTimeMs(text: unknown): number {
  if (typeof text !== 'string' || text.length !== 19 || text[4] !== '-' || text[7] !== '-' || text[10] !== ' ' || text[13] !== ':' || text[16] !== ':')
    return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  // NaN fails every comparison below, so a non-digit anywhere ends here too.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && year >= 0)) return Number.NaN;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour - 8, minute, second);
}
