import { PlateColor, TravelDirection } from '../../src/canonical/codes';

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

export const VENDOR_CODE_OF = Object.fromEntries(Object.entries(VENDOR_PLATE_COLOURS).map(([code, colour]) => [colour, Number(code)])) as Record<PlateColor, number>;

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
