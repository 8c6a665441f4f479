import { validatePlate, validateResidentId } from '../../connectors/contract/identifiers';
import type { World } from '../../src/demo/world';

/** Personal data found in a log: which line, what kind, and the value (synthetic: the worlds are generated). */
export interface Finding {
  line: number;
  kind: 'plate' | 'resident ID number' | 'phone' | 'name';
  value: string;
}

/** What identifies a person in the worlds the scanned log's hubs served. */
interface Known {
  plates: Set<string>;
  idNumbers: Set<string>;
  phones: Set<string>;
  names: Set<string>;
}

const PLATE_CANDIDATE = /[\u4e00-\u9fff][A-Z][0-9A-Z]{4,6}[\u4e00-\u9fff]?/g;
const ID_CANDIDATE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const PHONE_CANDIDATE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const CJK_RUN = /[\u3400-\u9fff]+/g;

function knownOf(worlds: readonly World[]): Known {
  const known: Known = { plates: new Set(), idNumbers: new Set(), phones: new Set(), names: new Set() };
  for (const world of worlds) {
    for (const v of world.vehicles) known.plates.add(v.plateNumber);
    for (const w of world.weighings) known.plates.add(w.plateNumber);
    for (const c of world.enforcementCases) {
      if (c.vehiclePlateNumber) known.plates.add(c.vehiclePlateNumber);
      if (c.partyIdNumber) known.idNumbers.add(c.partyIdNumber);
    }
    for (const p of world.practitioners) {
      known.idNumbers.add(p.idNumber);
      known.names.add(p.name);
      if (p.phone) known.phones.add(p.phone);
    }
    for (const e of world.enterprises) known.names.add(e.legalRepresentative);
  }
  return known;
}

/** A plate at the start of `candidate` (ordinary, suffixed or new-energy), or null. */
function plateAt(candidate: string): string | null {
  const chars = [...candidate];
  for (const length of [8, 7]) {
    const plate = chars.slice(0, length).join('');
    if (chars.length >= length && validatePlate(plate).ok) return plate;
  }
  return null;
}

/**
 * Plates, resident ID numbers, phone numbers and names in `text` (a log): any of the given worlds'
 * (exactly), and any valid plate or resident ID number whatever world it came from (the sync
 * tests' simulators serve worlds of their own).
 */
export function personalDataIn(text: string, worlds: readonly World[]): Finding[] {
  const known = knownOf(worlds);
  const findings: Finding[] = [];
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    for (const [candidate] of content.matchAll(PLATE_CANDIDATE)) {
      const plate = plateAt(candidate) ?? (known.plates.has(candidate) ? candidate : null);
      if (plate) findings.push({ line, kind: 'plate', value: plate });
    }
    for (const [candidate] of content.matchAll(ID_CANDIDATE)) {
      if (known.idNumbers.has(candidate) || validateResidentId(candidate).ok) findings.push({ line, kind: 'resident ID number', value: candidate });
    }
    for (const [candidate] of content.matchAll(PHONE_CANDIDATE)) {
      if (known.phones.has(candidate)) findings.push({ line, kind: 'phone', value: candidate });
    }
    for (const [run] of content.matchAll(CJK_RUN)) {
      for (const name of known.names) if (run.includes(name)) findings.push({ line, kind: 'name', value: name });
    }
  });
  return findings;
}
