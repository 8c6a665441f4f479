import { print } from 'graphql';
import type { World } from '../../src/demo/world/world';
import { Enterprise360Document, VehicleCapturesDocument } from '../generated/graphql';

/** One of issue 15's reads: the GraphQL request the hub answers. */
export interface ApiWorkload {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/**
 * What `bench:api` and `bench:api-profile` read in a demo world, chosen the same way in both:
 * the enterprise with a fleet nearest 50 vehicles (W1), the first 100 vehicles with their owner's
 * name (W2), and the busiest vehicle an open case names, over the 30 days before its last capture (W3).
 */
export function apiWorkloadsOf(world: World) {
  const fleet = new Map<string, number>();
  for (const v of world.vehicles) if (v.ownerUscc) fleet.set(v.ownerUscc, (fleet.get(v.ownerUscc) ?? 0) + 1);
  const [uscc, fleetSize] = [...fleet].sort((a, b) => Math.abs(a[1] - 50) - Math.abs(b[1] - 50))[0];

  const counts = new Map<string, number>();
  let latest = 0;
  for (const chunk of world.captures())
    for (const c of chunk) {
      const k = `${c.plateNumber}|${c.plateColor}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      latest = Math.max(latest, Date.parse(c.capturedAt));
    }
  // The busiest vehicle an open case names (its own vehicle or its party's fleet): a case unlocks only those captures.
  const ownersFleet = (party: string | null) => world.vehicles.filter((v) => party && v.ownerUscc === party).map((v) => `${v.plateNumber}|${v.plateColor}`);
  const [openCase, busiest] = world.enforcementCases
    .filter((c) => c.status !== 'CLOSED')
    .flatMap((c) =>
      [...(c.vehiclePlateNumber ? [`${c.vehiclePlateNumber}|${c.vehiclePlateColor}`] : []), ...ownersFleet(c.partyUscc)].map(
        (k) => [c, [k, counts.get(k) ?? 0]] as const,
      ),
    )
    .sort((a, b) => b[1][1] - a[1][1])[0];
  const [plateNumber, plateColor] = busiest[0].split('|');
  const to = new Date(latest + 1).toISOString();
  const from = new Date(latest + 1 - 30 * 86_400_000).toISOString();
  const captureVariables = { plateNumber, plateColor, from, to, first: 500 };

  const enterprise360: ApiWorkload = { name: 'W1 enterprise 360', query: print(Enterprise360Document), variables: { uscc } };
  // W2 as a consumer lists vehicles: the first 100 with the owner's name.
  const vehicles: ApiWorkload = {
    name: 'W2 first 100 vehicles with owner name',
    query: 'query W2 { vehicles(first: 100) { edges { node { plateNumber plateColor vin vehicleType owner { name } } } } }',
    variables: {},
  };
  const captures: ApiWorkload = { name: `W3 one plate's 30-day captures (${busiest[1]})`, query: print(VehicleCapturesDocument), variables: captureVariables };
  return {
    uscc,
    fleetSize,
    /** The open case whose number the guarded requests carry. */
    openCase,
    plate: { plateNumber, plateColor, captures: busiest[1] },
    captureWindow: { from, to },
    workloads: [enterprise360, vehicles, captures] as const,
  };
}
