/**
 * How fast a vehicle can really get from one checkpoint to another. Ordinary traffic in the world
 * (and in the demo's live traffic) never implies more: only the planted cloned plates do, so
 * CLONED_PLATE clues are exactly those.
 */

/** Straight-line speed no real trip between two checkpoints exceeds (roads are not straight; expressways allow 120 km/h). */
export const MAX_PLAUSIBLE_KMH = 100;

/** Further than any two places of the world are apart (Suzhou's bounding box has a diagonal of about 200 km): a trip that long in time is always possible. */
const WORLD_SPAN_KM = 250;

/** Great-circle distance in km (haversine), as the CLONED_PLATE rule computes it from the checkpoints' coordinates. */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** A sighting: where (the checkpoint's coordinates) and when (seconds on any one clock). */
export interface Sighting {
  latitude: number;
  longitude: number;
  second: number;
}

/** Whether one vehicle could be seen at `a` and then at `b`. */
export function plausibleTrip(a: Sighting, b: Sighting): boolean {
  const hours = Math.abs(b.second - a.second) / 3600;
  return distanceKm(a, b) <= MAX_PLAUSIBLE_KMH * hours;
}

/**
 * The last sighting of each vehicle, so that traffic generated in time order stays physically
 * possible: a vehicle cannot be elsewhere too soon.
 */
export class TravelLog<K, P> {
  private readonly last = new Map<K, { place: P; second: number }>();

  /** `locate` gives a place's coordinates. */
  constructor(private readonly locate: (place: P) => { latitude: number; longitude: number }) {}

  /** Remembers a sighting as the vehicle's latest. */
  see(vehicle: K, place: P, second: number): void {
    const last = this.last.get(vehicle);
    if (last) {
      last.place = place;
      last.second = second;
    } else this.last.set(vehicle, { place, second });
  }

  /** Where the vehicle was last seen, if it was. */
  lastPlace(vehicle: K): P | undefined {
    return this.last.get(vehicle)?.place;
  }

  /** Whether `vehicle` can be at `place` at `second`, given where it was last seen. */
  canReach(vehicle: K, place: P, second: number): boolean {
    const last = this.last.get(vehicle);
    if (!last) return true;
    const hours = Math.abs(second - last.second) / 3600;
    // Most sightings of a vehicle are hours apart: no distance to compute.
    return hours * MAX_PLAUSIBLE_KMH >= WORLD_SPAN_KM || distanceKm(this.locate(last.place), this.locate(place)) <= MAX_PLAUSIBLE_KMH * hours;
  }

  /** `intended` if the vehicle can be there at `second`, else the first of `alternatives` it can reach, else where it was last. */
  reachable(vehicle: K, intended: P, alternatives: readonly P[], second: number): P {
    if (this.canReach(vehicle, intended, second)) return intended;
    for (const place of alternatives) if (this.canReach(vehicle, place, second)) return place;
    return this.last.get(vehicle)!.place;
  }
}
