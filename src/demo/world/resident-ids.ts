import { residentIdCheckChar } from '../../../connectors/contract/identifiers';
import { dayNumber, isoDateOf } from './calendar';
import { Sex } from './person-names';
import { Random } from './random';

/** Address codes of people working in Suzhou: locals, old numbers with retired district codes, and neighbours. */
const CURRENT_SUZHOU = ['320505', '320506', '320507', '320508', '320509', '320581', '320582', '320583', '320585'];
/** Retired codes only appear on numbers issued before the districts were merged (people born by 1995 here). */
const RETIRED_SUZHOU = ['320502', '320503', '320504', '320584', '320586', '320511'];
const NEIGHBOURS = [
  '310101',
  '310104',
  '310112',
  '310115',
  '310117',
  '310118',
  '320102',
  '320106',
  '320211',
  '320281',
  '320282',
  '330106',
  '330402',
  '330421',
  '330482',
  '340104',
  '340111',
];
const LAST_RETIRED_BIRTH_YEAR = 1995;

export interface Person {
  idNumber: string;
  sex: Sex;
  birthDate: string;
}

/** Draws people with unique, valid resident ID numbers, born between the given years. */
export class ResidentIdFactory {
  private readonly taken = new Set<string>();

  constructor(
    private readonly firstBirthYear: number,
    private readonly lastBirthYear: number,
  ) {}

  issue(rng: Random, maleShare: number): Person {
    for (;;) {
      const year = this.birthYear(rng);
      const birthDay = dayNumber(`${year}-01-01`) + rng.int(0, 364);
      const birthDate = isoDateOf(Math.min(birthDay, dayNumber(`${year}-12-31`)));
      const sex: Sex = rng.chance(maleShare) ? 'M' : 'F';
      const address = this.addressCode(rng, year);
      // The sequence's last digit is odd for men, even for women; 000 is never issued.
      const sequence = rng.int(0, 99) * 10 + (sex === 'M' ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([2, 4, 6, 8, 0]));
      if (sequence === 0) continue;
      const first17 = `${address}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
      const idNumber = first17 + residentIdCheckChar(first17);
      if (this.taken.has(idNumber)) continue;
      this.taken.add(idNumber);
      return { idNumber, sex, birthDate };
    }
  }

  /** Working-age drivers: most born 1970–1990. */
  private birthYear(rng: Random): number {
    const peak = rng.chance(0.7);
    const from = peak ? Math.max(this.firstBirthYear, 1970) : this.firstBirthYear;
    const to = peak ? Math.min(this.lastBirthYear, 1990) : this.lastBirthYear;
    return rng.int(from, Math.max(from, to));
  }

  private addressCode(rng: Random, birthYear: number): string {
    const pool = rng.weighted([
      ['current', 50],
      ['retired', 15],
      ['neighbour', 35],
    ] as const);
    if (pool === 'neighbour') return rng.pick(NEIGHBOURS);
    if (pool === 'retired' && birthYear <= LAST_RETIRED_BIRTH_YEAR) return rng.pick(RETIRED_SUZHOU);
    return rng.pick(CURRENT_SUZHOU);
  }
}
