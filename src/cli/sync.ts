import { Argument, Command, Option } from 'commander';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { HubConfig } from '../config';
import type { HubClient } from '../client/hub-client';
import type { SyncRunStateFragment, SyncStatusQuery, TriggerSyncMutation } from '../client/generated/graphql';
import { ClientError } from '../client/client-error';
import type { SyncJobData } from '../sync/sync-job';
import { SyncMode } from '../sync/state/sync-vocabulary';
import { clientAssertion, cliErrorOf, hubUrl, withHubConnection, type HubConnectionOptions } from './hub-connection';
import { withHubDatabase } from './open-database';
import { report } from './output';
import { textTable } from './text-table';
import { configuredLogger } from '../logger';
import { startTracing } from '../telemetry';

interface OperatorOptions extends HubConnectionOptions {
  role: string;
  purpose: string;
  json?: boolean;
}

/**
 * Runs `use` with a typed client signed in as the operator: a token from the hub's token endpoint
 * for `--role` (the bureau's administrator by default), each request declaring `--purpose`. So an
 * operator's action is authorised by the agreements and audited like any other request.
 */
async function asOperator<T>(config: HubConfig, options: OperatorOptions, use: (client: HubClient) => Promise<T>): Promise<T> {
  const hub = hubUrl(config, options.hub);
  const assertion = clientAssertion(config, options);
  // graphql (to print the documents) is loaded only by the commands that send them.
  const [{ AccessTokens }, { HubClient }] = await Promise.all([import('../client/access-token'), import('../client/hub-client')]);
  const client = new HubClient(hub, new AccessTokens(hub, assertion, `role:${options.role}`), { purpose: options.purpose });
  try {
    return await use(client);
  } catch (error) {
    throw error instanceof ClientError ? cliErrorOf(error, hub, options) : error;
  }
}

/** A subcommand that acts as the operator over GraphQL. */
function operatorCommand(name: string, description: string): Command {
  return withHubConnection(new Command(name).description(description), {
    default: 'suzhou-transport',
    why: 'the bureau that runs the hub',
  })
    .option('--role <role>', 'the role to claim; its agreement must grant the operation', 'administrator')
    .option('--purpose <purpose>', 'the purpose each request declares', 'hub-operations')
    .option('--json', 'print what the hub answered as JSON');
}

const time = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '-');

function runState(run: SyncRunStateFragment | null): string {
  if (!run) return '-';
  const progress = run.status === 'RUNNING' && run.progress !== null ? ` ${Math.round(run.progress * 100)}%` : '';
  return `#${run.id} ${run.mode} ${run.status}${progress}`;
}

function statusTable({ connectors }: SyncStatusQuery): string {
  const rows = connectors.flatMap((connector) =>
    connector.streams.map((s) => [
      connector.system,
      s.stream,
      time(s.lastSuccessAt),
      s.lagSeconds === null ? '-' : `${s.lagSeconds} s`,
      time(s.nextRunAt),
      runState(s.lastRun),
      runState(s.currentRun),
      s.needsAttention ?? '',
    ]),
  );
  return textTable(['SYSTEM', 'STREAM', 'LAST SUCCESS', 'LAG', 'NEXT RUN', 'LAST RUN', 'CURRENT RUN', 'NEEDS ATTENTION'], rows);
}

function triggered(answer: TriggerSyncMutation['triggerSync'], released?: number): string {
  const { run } = answer;
  const what = `run ${run.id} (${run.system} ${run.stream} ${run.mode})`;
  const freed = released === undefined ? '' : `released ${released} quarantined records; `;
  return answer.alreadyRunning ? `${freed}${what} was already ${run.status.toLowerCase()}: no second run started` : `${freed}queued ${what}`;
}

const systemArgument = () => new Argument('<system>', 'the upstream system').choices(Object.values(SourceSystem));

/**
 * `xietong sync`: the operator's view and control of the sync. `status`, `trigger` and `retry` go
 * through the running hub's GraphQL API as the bureau's administrator (there is no reading of the
 * database behind the agreements' back: with the hub down, status exits 3); `schedules` is the
 * deployment step that registers the schedules in the queues.
 */
export function syncCommand(config: () => HubConfig): Command {
  const sync = new Command('sync').description('watch and steer the sync of the upstream systems');
  sync.addCommand(
    operatorCommand('status', "each upstream system's streams: last success, lag, next run, last and current run").action((options: OperatorOptions) =>
      asOperator(config(), options, async (client) => {
        const { SyncStatusDocument } = await import('../client/generated/graphql');
        const status = await client.request(SyncStatusDocument, {});
        report(options, status, () => statusTable(status));
      }),
    ),
  );
  sync.addCommand(
    operatorCommand('trigger', 'queue a run of one stream now (or see the one already queued or running)')
      .addArgument(systemArgument())
      .argument('<stream>', 'the stream, e.g. vehicles (see sync status)')
      .addOption(
        new Option('--mode <mode>', 'INCREMENTAL reads from the cursor; FULL reads a whole snapshot')
          .choices(Object.values(SyncMode))
          .default(SyncMode.INCREMENTAL),
      )
      .action((system: SourceSystem, stream: string, options: OperatorOptions & { mode: SyncMode }) =>
        asOperator(config(), options, async (client) => {
          const { TriggerSyncDocument } = await import('../client/generated/graphql');
          const { triggerSync } = await client.request(TriggerSyncDocument, { system, stream, mode: options.mode });
          report(options, triggerSync, () => triggered(triggerSync));
        }),
      ),
  );
  sync.addCommand(
    operatorCommand('retry', "release a stream's quarantined records and queue a FULL run that reads them again")
      .addArgument(systemArgument())
      .argument('<stream>', 'the stream, e.g. vehicles (see sync status)')
      .action((system: SourceSystem, stream: string, options: OperatorOptions) =>
        asOperator(config(), options, async (client) => {
          const { RetryQuarantinedDocument } = await import('../client/generated/graphql');
          const { retryQuarantined } = await client.request(RetryQuarantinedDocument, { system, stream });
          report(options, retryQuarantined, () => triggered(retryQuarantined, retryQuarantined.released));
        }),
      ),
  );
  sync.addCommand(
    new Command('schedules')
      .description("register the configured systems' sync schedules in the queues (once per deployment; removes the rest)")
      .option('--json', 'print the counts as JSON')
      .action(async (options: { json?: boolean }) => {
        const settings = config();
        // Each schedule's trace starts at its registration and its runs continue it. Tracing starts
        // before the queues and the database are loaded (registerSchedules' imports): it patches them.
        const tracing = await startTracing(settings.tracing, 'xietong-sync-schedules', configuredLogger(settings));
        try {
          await registerSchedules(settings, options);
        } finally {
          await tracing.shutdown();
        }
      }),
  );
  return sync;
}

/** `xietong sync schedules`: one schedule per stream of each configured system, and the nightly reconciliations. */
async function registerSchedules(config: HubConfig, options: { json?: boolean }): Promise<void> {
  const [{ queueBackend }, { queueNameOf }, { connectorsFromConfig }, runtime] = await Promise.all([
    import('../sync/queue-backend'),
    import('../sync/sync-job'),
    import('../sync/connector-registry'),
    import('../sync/sync-runtime'),
  ]);
  await withHubDatabase(config, async (db) => {
    const backend = queueBackend(config, db.url);
    const connectors = connectorsFromConfig(config);
    // Every system's queue, so the schedules of a system no longer configured are removed too.
    const queues = new Map(Object.values(SourceSystem).map((system) => [system, backend.createQueue<SyncJobData>(queueNameOf(system))]));
    try {
      const { incremental, reconciliations } = await runtime.registerSchedules(db.url, queues, connectors, config.syncIntervalSeconds);
      report(
        options,
        { incremental, reconciliations, everySeconds: config.syncIntervalSeconds },
        () =>
          `registered ${incremental} stream schedules every ${config.syncIntervalSeconds} s and ${reconciliations} nightly reconciliations (03:00 Asia/Shanghai)`,
      );
    } finally {
      await Promise.all([...queues.values()].map((q) => q.close()));
      for (const connector of connectors.values()) await connector.close();
    }
  });
}
