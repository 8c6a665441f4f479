import { domain } from '../../read-kit/domain-descriptor';
import { AssistanceRequest } from './assistance-request.entity';
import { CooperationMessage } from './cooperation-message.entity';
import {
  assistanceRequestOrderings,
  cooperationMessageOrderings,
  jointCaseOrderings,
  recognisedCreditDecisionOrderings,
  recognisedInspectionResultOrderings,
} from './cooperation.orderings';
import { CooperationResolver, cooperationChangedTopic } from './cooperation.resolver';
import { JointCase } from './joint-case.entity';
import { RecognisedCreditDecision } from './recognised-credit-decision.entity';
import { RecognisedInspectionResult } from './recognised-inspection-result.entity';

export { AssistanceRequest, CooperationMessage, JointCase, RecognisedCreditDecision, RecognisedInspectionResult };
export { JointCaseLink } from './joint-case.entity';
export { AssistanceStatus, CooperationDirection, CooperationKind, DeliveryStatus } from './cooperation-codes';
export { CooperationWrites, type PeerRef, type CooperationActor } from './cooperation.writes';
export { CooperationError, type CooperationRefusal } from './cooperation.errors';
export { receivedMessage } from './cooperation-content';
export { PEER_READING, cooperationChangedTopic, type CooperationContext, type CooperationServices } from './cooperation.resolver';
export { MAX_SHARED_EVIDENCE, clueAsReceiverSees, CLUE_SHARE_PROPERTIES, EVIDENCE_SHARE_PROPERTIES } from './clue-share';

/**
 * Yangtze Delta cooperation (长三角) between peer bureaus' hubs, hub-native (provenance HUB; what
 * a peer sent is `PEER:<agency>`, see cooperation.writes.ts): the
 * outbox and inbox of messages (`CooperationMessage`), assistance requests, joint cases and
 * recognised credit decisions and inspection results. The messages are carried by src/sync/peer-delivery.ts.
 */
export const cooperationDomain = domain({
  name: 'cooperation',
  entities: [CooperationMessage, AssistanceRequest, JointCase, RecognisedCreditDecision, RecognisedInspectionResult],
  resolvers: [CooperationResolver],
  relations: [],
  orderings: [
    cooperationMessageOrderings,
    assistanceRequestOrderings,
    jointCaseOrderings,
    recognisedCreditDecisionOrderings,
    recognisedInspectionResultOrderings,
  ],
  liveTopics: [cooperationChangedTopic],
});
