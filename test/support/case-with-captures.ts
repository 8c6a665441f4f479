import type { World } from '../../src/demo/world';
import type { CaptureRecord, EnforcementCaseRecord } from '../../connectors/contract/canonical/records';

/** The plate keys (`plate|colour`) a case names: its vehicle and its party enterprise's fleet. */
export function platesOfCase(world: World, c: EnforcementCaseRecord): Set<string> {
  const keys = new Set<string>();
  if (c.vehiclePlateNumber) keys.add(`${c.vehiclePlateNumber}|${c.vehiclePlateColor}`);
  for (const v of world.vehicles) if (c.partyUscc && v.ownerUscc === c.partyUscc) keys.add(`${v.plateNumber}|${v.plateColor}`);
  return keys;
}

/**
 * An open case (meeting `accept`) with at least `min` captures of the vehicles it names in the
 * window, and those captures, newest first: a case under which reading captures returns rows.
 */
export function openCaseWithCaptures(
  world: World,
  window: { from: string; to: string } | null = null,
  min = 1,
  accept: (c: EnforcementCaseRecord) => boolean = () => true,
): { case: EnforcementCaseRecord; captures: CaptureRecord[] } {
  const inWindow = (c: CaptureRecord) => !window || (Date.parse(c.capturedAt) >= Date.parse(window.from) && Date.parse(c.capturedAt) < Date.parse(window.to));
  const all = [...world.captures()].flat().filter(inWindow);
  for (const c of world.enforcementCases) {
    if (c.status === 'CLOSED' || !accept(c)) continue;
    const plates = platesOfCase(world, c);
    const captures = all
      .filter((x) => plates.has(`${x.plateNumber}|${x.plateColor}`))
      .sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || b.serial - a.serial);
    if (captures.length >= min) return { case: c, captures };
  }
  throw new Error(`the test world has no open case with ${min} captures of its vehicles${window ? ` in ${window.from}..${window.to}` : ''}`);
}
