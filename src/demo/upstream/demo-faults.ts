import { ConfigError } from '../../config';
import type { DataFaults } from './data-faults';
import type { ExchangeFaults } from './exchange-simulator';
import type { HttpFaults } from './http-faults';

/** The faults `DEMO_FAULTS` may switch on in an HTTP simulator: its HTTP faults and the counted data faults. */
export type DemoHttpFaults = HttpFaults & Pick<DataFaults, 'malformedEvery' | 'repeatAcrossPages'>;

/** Fault modes per simulated system, as `DEMO_FAULTS` sets them. */
export interface DemoFaults {
  transport?: DemoHttpFaults;
  registry?: DemoHttpFaults;
  credit?: DemoHttpFaults;
  exchange?: ExchangeFaults;
}

type Value = 'count' | 'flag';

// Typed as records over the simulators' own fault types: a mode added there must be listed here.
const HTTP_MODES: Record<keyof DemoHttpFaults, Value> = {
  serverErrorEvery: 'count',
  rateLimitEvery: 'count',
  retryAfterSeconds: 'count',
  delayMs: 'count',
  outage: 'count',
  malformedEvery: 'count',
  repeatAcrossPages: 'flag',
};
const EXCHANGE_MODES: Record<keyof ExchangeFaults, Value> = { malformedEvery: 'count', lateEvery: 'count' };
const MODES: Record<keyof DemoFaults, Record<string, Value>> = { transport: HTTP_MODES, registry: HTTP_MODES, credit: HTTP_MODES, exchange: EXCHANGE_MODES };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fault modes of `DEMO_FAULTS` (JSON, read by `src/config.ts` as text), checked against the
 * simulators' modes; null or blank is none. A value that cannot be used throws a `ConfigError`
 * naming the variable, as the configuration's own checks do.
 */
export function parseDemoFaults(text: string | null): DemoFaults {
  const raw = text?.trim();
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('DEMO_FAULTS', 'is not JSON');
  }
  if (!isObject(parsed)) throw new ConfigError('DEMO_FAULTS', 'must be a JSON object keyed by system');
  for (const [system, faults] of Object.entries(parsed)) {
    const modes = Object.hasOwn(MODES, system) ? MODES[system as keyof DemoFaults] : null;
    if (!modes) throw new ConfigError('DEMO_FAULTS', `names an unknown system "${system}" (known: ${Object.keys(MODES).join(', ')})`);
    if (!isObject(faults)) throw new ConfigError('DEMO_FAULTS', `${system} must be an object of fault modes`);
    for (const [key, value] of Object.entries(faults)) {
      if (!Object.hasOwn(modes, key)) throw new ConfigError('DEMO_FAULTS', `${system}.${key} is not a fault mode (known: ${Object.keys(modes).join(', ')})`);
      const flag = modes[key] === 'flag';
      const ok = flag ? typeof value === 'boolean' : Number.isSafeInteger(value) && (value as number) > 0;
      if (!ok) throw new ConfigError('DEMO_FAULTS', `${system}.${key} must be ${flag ? 'true or false' : 'a whole number above 0'}`);
    }
  }
  return parsed as DemoFaults;
}
