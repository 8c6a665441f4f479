import type { Page } from '../../read-kit/pagination';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { AssistanceRequest } from './assistance-request.entity';
import type { CooperationDirection, CooperationKind, DeliveryStatus } from './cooperation-codes';
import { CooperationMessage } from './cooperation-message.entity';
import {
  assistanceRequestOrderings,
  cooperationMessageOrderings,
  jointCaseOrderings,
  recognisedCreditDecisionOrderings,
  recognisedInspectionResultOrderings,
} from './cooperation.orderings';
import { JointCase } from './joint-case.entity';
import { RecognisedCreditDecision } from './recognised-credit-decision.entity';
import { RecognisedInspectionResult } from './recognised-inspection-result.entity';

interface PageAt {
  first?: number | null;
  after?: string | null;
}

/**
 * Queries over what this hub exchanged with its peers. Each record names the two agencies it
 * passed between (`parties`), and only they read it: every query is held to the caller's agency.
 */
export class CooperationRepository {
  constructor(private readonly scope: ReadScope) {}

  messagesOf(
    agency: string,
    filter: { direction?: CooperationDirection | null; status?: DeliveryStatus | null; kind?: CooperationKind | null },
    page: PageAt,
  ): Promise<Page<CooperationMessage>> {
    return this.scope.reads.page(
      CooperationMessage,
      { parties: { has: agency }, direction: filter.direction, status: filter.status, kind: filter.kind },
      { ordering: cooperationMessageOrderings.ordering('CREATED_DESC'), ...page },
    );
  }

  /** One message by id; the caller must have checked it is a party (the live event names both). */
  async messageById(id: string): Promise<CooperationMessage | null> {
    const [message] = await this.scope.reads.byKeys(CooperationMessage, ['id'], [[id]]);
    return message ?? null;
  }

  assistanceRequestsOf(agency: string, page: PageAt): Promise<Page<AssistanceRequest>> {
    return this.scope.reads.page(AssistanceRequest, { parties: { has: agency } }, { ordering: assistanceRequestOrderings.ordering('REQUESTED_DESC'), ...page });
  }

  jointCasesOf(agency: string, page: PageAt): Promise<Page<JointCase>> {
    return this.scope.reads.page(JointCase, { members: { has: agency } }, { ordering: jointCaseOrderings.ordering('CREATED_DESC'), ...page });
  }

  recognisedCreditDecisionsOf(agency: string, creditCode: string | null, page: PageAt): Promise<Page<RecognisedCreditDecision>> {
    return this.scope.reads.page(
      RecognisedCreditDecision,
      { parties: { has: agency }, creditCode },
      { ordering: recognisedCreditDecisionOrderings.ordering('RECOGNISED_DESC'), ...page },
    );
  }

  recognisedInspectionResultsOf(agency: string, uscc: string | null, page: PageAt): Promise<Page<RecognisedInspectionResult>> {
    return this.scope.reads.page(
      RecognisedInspectionResult,
      { parties: { has: agency }, uscc },
      { ordering: recognisedInspectionResultOrderings.ordering('RECOGNISED_DESC'), ...page },
    );
  }
}
