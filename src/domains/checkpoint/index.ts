import { domain } from '../../read-kit/domain-descriptor';
import { CheckpointCapture } from './checkpoint-capture.entity';
import { Checkpoint } from './checkpoint.entity';
import { createCheckpointLoaders } from './checkpoint.loaders';
import { captureOrderings } from './checkpoint.orderings';
import { checkpointRelations } from './checkpoint.relations';
import { CheckpointRepository } from './checkpoint.repository';
import { CheckpointCaptureResolver, CheckpointResolver } from './checkpoint.resolver';
import { CheckpointStatsResolver } from './checkpoint-stats.resolver';

export { Checkpoint, CheckpointCapture };
export type { CheckpointLoaders } from './checkpoint.loaders';
export type { CheckpointContext } from './checkpoint.resolver';
export { MAX_CAPTURE_WINDOW_DAYS } from './checkpoint.args';
/** How captures aggregate (units, measures, rollup): what `bench:reports` times the base-table fallback of. */
export { captureAggregate, CAPTURE_GROUPS } from './checkpoint.stats';
/** Captures newest first: what test/api/combined-reads.test.ts pages by. */
export { CAPTURE_ORDERING } from './checkpoint.orderings';

/** Public-security road checkpoints and their captures. */
export const checkpointDomain = domain({
  name: 'checkpoint',
  entities: [Checkpoint, CheckpointCapture],
  resolvers: [CheckpointResolver, CheckpointCaptureResolver, CheckpointStatsResolver],
  loaders: (scope) => createCheckpointLoaders(new CheckpointRepository(scope)),
  relations: checkpointRelations,
  orderings: [captureOrderings],
});
