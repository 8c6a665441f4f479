import { domain } from '../../read-kit/domain-descriptor';
import { ClueEvent } from './clue-event.entity';
import { ClueEvidence } from './clue-evidence.entity';
import { Clue } from './clue.entity';
import { createClueLoaders } from './clue.loaders';
import { clueOrderings } from './clue.orderings';
import { clueRelations } from './clue.relations';
import { ClueRepository } from './clue.repository';
import { ClueResolver } from './clue.resolver';
import { ClueStatsResolver } from './clue-stats.resolver';
import { ClueWorkflowResolver } from './clue-workflow.resolver';
import { ClueLiveResolver, clueRaisedTopic } from './clue-live.resolver';

export { Clue, ClueEvent, ClueEvidence };
export {
  CAPTURE_DERIVED_KINDS,
  ClueAction,
  ClueDismissalReason,
  ClueEvidenceKind,
  ClueKind,
  ClueSeverity,
  ClueStatus,
  ClueSubjectType,
  ClueWindow,
} from './clue-codes';
export { CLUE_TRANSITIONS, transitionOf } from './clue-transitions';
export { ClueWorkflowError, type ClueRefusal } from './clue.errors';
export type { ClueLoaders } from './clue.loaders';
export type { ClueContext } from './clue.resolver';
export { MAX_CLUE_WINDOW_DAYS } from './clue.args';
export { ClueWorkflow } from './clue.writes';
export type { ClueWorkflowContext } from './clue-workflow.resolver';
export { clueRaisedTopic, type ClueLiveContext } from './clue-live.resolver';

/**
 * Supervision clues: hub-native records (provenance system HUB) derived by src/supervision from the
 * synced data, read by their queries and moved by the workflow's mutations (`ClueWorkflowResolver`,
 * whose writes are `ClueWorkflow`, clue.writes.ts).
 */
export const clueDomain = domain({
  name: 'clue',
  entities: [Clue, ClueEvidence, ClueEvent],
  resolvers: [ClueResolver, ClueWorkflowResolver, ClueLiveResolver, ClueStatsResolver],
  loaders: (scope) => createClueLoaders(new ClueRepository(scope)),
  relations: clueRelations,
  orderings: [clueOrderings],
  liveTopics: [clueRaisedTopic],
});
