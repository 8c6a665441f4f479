import { loadAgencies } from '../access/agreements';
import type { HubConfig } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { startSyncRuntime } from '../sync/sync-runtime';
import type { DevSignIn } from '../http/graphiql/graphiql-routes';
import { demoSignIn } from './demo-sign-in';
import { demoTokens } from './demo-tokens';
import { printWatchHits, watchRegularVehicle } from './demo-watch';
import { demoInspection } from './demo-inspections';
import { prepareDemoPeers } from './demo-peers';
import { showTransfers } from './demo-transfers';
import { loadCrimeCatalogue } from '../domains/case-transfer';
import type { Client } from 'graphql-ws';
import type { Pool } from 'pg';
import { isEmpty, loadWorld, type LoadProgress, type LoadSummary } from './load-world';
import { parseDemoFaults } from './upstream/demo-faults';
import { startDemoUpstream } from './upstream/demo-upstream';
import { generateWorld, type World } from './world';
import { CAPTURE_DERIVED_KINDS, ClueKind } from '../domains/clue';
import { deriveClues } from '../supervision/clue-derivation';
import { loadClueRules } from '../supervision/clue-rules';

/** A running demo: the simulated agency systems and the sync workers reading them. */
export interface RunningDemo {
  /** What to print once the hub serves: development tokens and how to use them (nothing when `TRUST_CONFIG_FILE` is set). */
  welcome(graphqlUrl: string): Promise<string>;
  /** Sets the demo's watch on the regularly passing plate and subscribes to its hits, printing them (`write`); answers what to print first. */
  watch(graphqlUrl: string, write: (line: string) => void): Promise<string>;
  /** Plans, draws and records the demo's random inspection through the API (once); answers what to print. */
  inspection(hubUrl: string, graphqlUrl: string): Promise<string>;
  /** The hub's configuration: with `DEMO_PEERS=on`, the demo's Shanghai hub as its peer. */
  hubConfig: HubConfig;
  /** With `DEMO_PEERS=on`: starts the Shanghai hub, shares a clue with it and answers what to print; else nothing. */
  peers(graphqlUrl: string): Promise<string>;
  /** Leaves one case transfer (两法衔接) at each stage through the API; answers what to print. */
  transfers(graphqlUrl: string): Promise<string>;
  /** The month (YYYY-MM, Beijing time) of the world's latest enforcement case: where the report pages have something to show. */
  reportMonth: string;
  /** Stops the sync workers, then the simulated systems. */
  close(): Promise<void>;
}

/** A demo whose settings were checked, ready to start over the hub's database. */
export interface Demo {
  start(db: Database, logger: Logger): Promise<RunningDemo>;
  /** GraphiQL's role picker, signing in with the development keys; null when `TRUST_CONFIG_FILE` names real issuers. */
  signIn: DevSignIn | null;
}

/**
 * The demo `npm start` runs (`main.js --demo`), and the one door into `src/demo` from the hub's
 * entry point, which imports it only then. Checks the demo's settings at once (a bad
 * `DEMO_FAULTS` throws a `ConfigError`, before anything starts); `start` fills an empty database
 * with the synthetic Suzhou world and starts simulated agency systems serving that world, with
 * in-process sync workers.
 */
export function prepareDemo(config: HubConfig): Demo {
  const faults = parseDemoFaults(config.demoFaults);
  return {
    signIn: config.trustConfigFile ? null : demoSignIn(config.dataDir),
    async start(db, logger) {
      const world = generateWorld({ seed: config.demoSeed, size: config.demoSize });
      const log = logger.child({ component: 'demo' });
      const { seed, size } = world.options;
      // The first clues come as soon as their inputs are in: the record-derived kinds once the
      // records are written (seconds), the capture-derived ones once the captures are (the long
      // part of the load), without waiting for the first sync batch to ask. Runs of one rule queue
      // on its cursor, so the sync's own derivation jobs may run alongside.
      const rules = loadClueRules(config.clueRulesFile, config.crimeCatalogueFile);
      const derivations: Promise<unknown>[] = [];
      const derive = (kinds: ClueKind[]) => {
        const started = Date.now();
        const run = deriveClues(db.pool, rules, { kinds })
          .then((runs) => log.info({ kinds, clues: runs.reduce((n, r) => n + r.written, 0), durationMs: Date.now() - started }, 'demo clues derived'))
          .catch((error: unknown) => log.error({ err: error }, 'demo clue derivation failed'));
        derivations.push(run);
      };
      const kinds = Object.values(ClueKind);
      const summary = await fillEmptyHub(
        db.pool,
        world,
        (loaded) => log.info({ seed, size, ...loaded }, 'loading the demo world; this runs once, into an empty database'),
        () => derive(kinds.filter((k) => !CAPTURE_DERIVED_KINDS.has(k))),
      );
      if (summary) {
        log.info({ records: summary.records, captures: summary.captures, durationMs: summary.milliseconds }, 'demo world loaded');
        derive(kinds.filter((k) => CAPTURE_DERIVED_KINDS.has(k)));
      }
      // The demo's agency systems serve the same world; in-process workers keep the hub in sync
      // with them (and with the live checkpoint traffic the exchange simulator writes).
      const upstream = await startDemoUpstream(world, db.url, faults);
      const syncConfig = { ...config, upstream: upstream.upstream, syncIntervalSeconds: Math.min(config.syncIntervalSeconds, 30) };
      const sync = await startSyncRuntime(syncConfig, db, logger, { schedule: true });
      let hits: Client | null = null;
      // The peer shares through the API as an officer: development keys only.
      const peers = config.demoPeers && !config.trustConfigFile ? await prepareDemoPeers(config, db, logger) : null;
      return {
        hubConfig: peers?.hubConfig ?? config,
        peers: async (graphqlUrl) => (peers ? peers.show(graphqlUrl, loadAgencies(config.agreementsFile)) : ''),
        reportMonth: new Date(Math.max(...world.enforcementCases.map((c) => Date.parse(c.occurredAt))) + 8 * 3600_000).toISOString().slice(0, 7),
        welcome: async (graphqlUrl) => (config.trustConfigFile ? '' : demoTokens(config.dataDir, loadAgencies(config.agreementsFile), graphqlUrl)),
        // With development keys only: the demo acts as a police case officer through the API.
        async watch(graphqlUrl, write) {
          if (config.trustConfigFile) return '';
          const agencies = loadAgencies(config.agreementsFile);
          const intro = await watchRegularVehicle(world, config.dataDir, agencies, graphqlUrl);
          hits = await printWatchHits(config.dataDir, agencies, graphqlUrl, write);
          return intro;
        },
        inspection: async (hubUrl, graphqlUrl) =>
          config.trustConfigFile ? '' : demoInspection(config.dataDir, loadAgencies(config.agreementsFile), hubUrl, graphqlUrl),
        transfers: async (graphqlUrl) =>
          config.trustConfigFile
            ? ''
            : showTransfers(world, loadCrimeCatalogue(config.crimeCatalogueFile), config.dataDir, loadAgencies(config.agreementsFile), graphqlUrl),
        async close() {
          await hits?.dispose();
          await peers?.close();
          await Promise.all(derivations);
          await sync.close();
          await upstream.close();
        },
      };
    },
  };
}

/**
 * Writes the synthetic world of `seed` and `size` into the hub's database if it holds no canonical
 * data yet (the demo's start, and `xietong world load`, the other door into `src/demo`); null,
 * with nothing written, when it does. The demo's simulated systems serve the world their own
 * `DEMO_SEED` and `DEMO_SIZE` name: a hub loaded with another is brought to theirs by the sync.
 */
export async function loadDemoWorld(
  pool: Pool,
  options: { seed: number; size: number },
  onProgress: (loaded: LoadProgress) => void,
): Promise<LoadSummary | null> {
  return fillEmptyHub(pool, generateWorld(options), onProgress);
}

async function fillEmptyHub(pool: Pool, world: World, onProgress: (loaded: LoadProgress) => void, onRecordsLoaded?: () => void): Promise<LoadSummary | null> {
  if (!(await isEmpty(pool))) return null;
  return loadWorld(pool, world, { onProgress, onRecordsLoaded });
}
