import { PlateColor } from '../../../connectors/contract/canonical/codes';
import { Random } from './random';

/** Plate styles the world issues (GA 36-2018) and the colour each carries. */
export type PlateStyle = 'SMALL' | 'LARGE' | 'SMALL_NEW_ENERGY' | 'LARGE_NEW_ENERGY' | 'TRAILER' | 'COACH';

export const STYLE_COLOR: Record<PlateStyle, PlateColor> = {
  SMALL: PlateColor.BLUE,
  LARGE: PlateColor.YELLOW,
  SMALL_NEW_ENERGY: PlateColor.GRADIENT_GREEN,
  LARGE_NEW_ENERGY: PlateColor.YELLOW_GREEN,
  TRAILER: PlateColor.YELLOW,
  COACH: PlateColor.YELLOW,
};

export interface IssuedPlate {
  plateNumber: string;
  plateColor: PlateColor;
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ORDINARY_PATTERNS: readonly (readonly [string, number])[] = [
  ['DDDDD', 25],
  ['LDDDD', 35],
  ['LLDDD', 10],
  ['DLDDD', 10],
  ['DDDDL', 10],
  ['DDLDD', 10],
];
/** A blue and a yellow plate may share a number: identity is number + colour, and the world proves it. */
const SHARED_NUMBER_SHARE = 0.004;

/** Issues plates unique by number + colour across everything registered with it. */
export class PlateRegistry {
  private readonly taken = new Set<string>();
  private readonly yellowOrdinary = new Map<string, string[]>();

  has(plateNumber: string, plateColor: PlateColor): boolean {
    return this.taken.has(`${plateNumber}|${plateColor}`);
  }

  issue(rng: Random, prefix: string, style: PlateStyle): IssuedPlate {
    const plateColor = STYLE_COLOR[style];
    if (style === 'SMALL' && rng.chance(SHARED_NUMBER_SHARE)) {
      const shared = this.yellowOrdinary.get(prefix);
      const candidate = shared && shared.length > 0 ? rng.pick(shared) : undefined;
      if (candidate && !this.has(candidate, plateColor)) return this.take(candidate, plateColor);
    }
    for (;;) {
      const plateNumber = prefix + serial(rng, style);
      if (this.has(plateNumber, plateColor)) continue;
      if (style === 'LARGE') {
        const list = this.yellowOrdinary.get(prefix) ?? [];
        list.push(plateNumber);
        this.yellowOrdinary.set(prefix, list);
      }
      return this.take(plateNumber, plateColor);
    }
  }

  private take(plateNumber: string, plateColor: PlateColor): IssuedPlate {
    this.taken.add(`${plateNumber}|${plateColor}`);
    return { plateNumber, plateColor };
  }
}

function serial(rng: Random, style: PlateStyle): string {
  const energy = () => (rng.chance(0.85) ? 'D' : 'F');
  switch (style) {
    case 'SMALL':
    case 'LARGE':
      return fromPattern(rng, rng.weighted(ORDINARY_PATTERNS));
    case 'SMALL_NEW_ENERGY':
      return energy() + (rng.chance(0.6) ? rng.chars(LETTERS, 1) : rng.digits(1)) + rng.digits(4);
    case 'LARGE_NEW_ENERGY':
      return rng.digits(5) + energy();
    case 'TRAILER':
      return fromPattern(rng, rng.chance(0.7) ? 'DDDD' : 'LDDD') + '挂';
    case 'COACH':
      return rng.digits(4) + '学';
  }
}

function fromPattern(rng: Random, pattern: string): string {
  let out = '';
  for (const p of pattern) out += rng.chars(p === 'L' ? LETTERS : DIGITS, 1);
  return out;
}
