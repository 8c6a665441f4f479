import { mintDevToken, type AgencyRegistry } from '../auth';
import { CaseStatus } from '../../connectors/contract/canonical/codes';
import type { CrimeCatalogue } from '../domains/case-transfer';
import type { World } from './world';

/** The stages the demo leaves one transfer at each of, in the order of the workflow. */
const STAGES = ['PREPARED', 'INVITED', 'SUBMITTED', 'ACKNOWLEDGED', 'FILED', 'NOT_FILED', 'RETURNED'] as const;
type Stage = (typeof STAGES)[number];

const TRANSPORT = (division: string) => ({ agency: 'suzhou-transport', roles: ['officer'], subject: 'demo.transfer-officer', divisions: [division] });
const POLICE = { agency: 'suzhou-psb', roles: ['case-officer'], subject: 'demo.case-officer', divisions: ['3205'] };
const PURPOSE = 'case-transfer';

const CHANGE = 'transferId status version';
const STEPS = {
  prepare: `mutation DemoPrepare($n: String!) { prepareCaseTransfer(caseNumber: $n) { ${CHANGE} } }`,
  attach: `mutation DemoAttach($id: String!, $code: String!, $ref: String!) { attachTransferEvidence(id: $id, evidenceCode: $code, documentRef: $ref) { ${CHANGE} } }`,
  invite: `mutation DemoInvite($id: String!) { inviteEarlyInvolvement(id: $id) { ${CHANGE} } }`,
  submit: `mutation DemoSubmit($id: String!) { submitCaseTransfer(id: $id) { ${CHANGE} } }`,
  acknowledge: `mutation DemoAcknowledge($id: String!, $unit: String!) { acknowledgeTransfer(id: $id, receivingUnit: $unit) { ${CHANGE} } }`,
  decide: `mutation DemoDecide($id: String!, $d: TransferDecision!, $r: String) { decideTransfer(id: $id, decision: $d, reason: $r) { ${CHANGE} } }`,
  list: `query DemoTransfers { caseTransfers(first: 20) { totalCount edges { node { caseNumber status } } } }`,
};

/**
 * The cases of the world the demo transfers: untransferred ones whose violation is in the crime
 * catalogue at or above its threshold, by case number (deterministic from the world's seed).
 */
export function transferableCases(world: World, catalogue: CrimeCatalogue) {
  return (
    world.enforcementCases
      // A closed case is no less a suspected crime: 以罚代刑 is what the transfer rules forbid.
      .filter((c) => c.status !== CaseStatus.TRANSFERRED && !c.transferredToPolice)
      .filter((c) => {
        const entry = catalogue.entryOf(c.violationCode);
        return entry !== null && (c.penaltyAmountYuan ?? 0) >= entry.minPenaltyYuan;
      })
      .sort((a, b) => (a.caseNumber < b.caseNumber ? -1 : 1))
      .slice(0, STAGES.length)
  );
}

/**
 * Leaves one transfer at each stage of 两法衔接 through the hub's API, as the transport bureau's
 * officers and the police's case officers do (granted, audited, announced live): prepared, opened
 * to consultation, submitted, acknowledged, filed (立案), not filed (不立案), returned (退回).
 * Unless the hub holds transfers already (a restart). Answers what to print.
 */
export async function showTransfers(world: World, catalogue: CrimeCatalogue, dataDir: string, agencies: AgencyRegistry, graphqlUrl: string): Promise<string> {
  const post = async <T>(caller: Parameters<typeof mintDevToken>[2], query: string, variables: Record<string, unknown> = {}) => {
    const token = await mintDevToken(dataDir, agencies, caller);
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': PURPOSE },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data!;
  };
  const city = TRANSPORT('3205');
  type Listed = { caseTransfers: { totalCount: number; edges: Array<{ node: { caseNumber: string; status: string } }> } };
  let listed = await post<Listed>(city, STEPS.list);
  if (listed.caseTransfers.totalCount === 0) {
    const cases = transferableCases(world, catalogue);
    for (const [i, kase] of cases.entries())
      await advance(post, kase.caseNumber, kase.divisionCode, catalogue.entryOf(kase.violationCode)!.evidence, STAGES[i]);
    listed = await post<Listed>(city, STEPS.list);
  }
  return [
    '',
    `Case transfers (两法衔接): ${listed.caseTransfers.totalCount} in the hub, one at each stage:`,
    ...listed.caseTransfers.edges.map(({ node }) => `  ${node.caseNumber}  ${node.status}`),
    '  Read them as a transport officer (purpose case-transfer): { caseTransfers(first: 10) { edges { node { caseNumber status policeSight history { action at } evidence { code present } } } } }',
    '  and the police only see those sent or opened to them; untransferredCases lists 有案不移.',
    '',
  ].join('\n');
}

type Post = <T>(caller: Parameters<typeof mintDevToken>[2], query: string, variables?: Record<string, unknown>) => Promise<T>;

async function advance(
  post: Post,
  caseNumber: string,
  division: string,
  evidence: ReadonlyArray<{ code: string; required: boolean }>,
  stage: Stage,
): Promise<void> {
  const officer = TRANSPORT(division);
  const { prepareCaseTransfer } = await post<{ prepareCaseTransfer: { transferId: string } }>(officer, STEPS.prepare, { n: caseNumber });
  const id = prepareCaseTransfer.transferId;
  const required = evidence.filter((e) => e.required);
  // A prepared one keeps an item missing: its checklist shows what blocks the submission.
  for (const item of stage === 'PREPARED' ? required.slice(1) : required) {
    await post(officer, STEPS.attach, { id, code: item.code, ref: `dms://transport/${caseNumber}/${item.code}.pdf` });
  }
  if (stage === 'PREPARED') return;
  if (stage === 'INVITED') {
    await post(officer, STEPS.invite, { id });
    return;
  }
  await post(officer, STEPS.submit, { id });
  if (stage === 'SUBMITTED') return;
  await post(POLICE, STEPS.acknowledge, { id, unit: '苏州市公安局食品药品和环境犯罪侦查支队' });
  if (stage === 'ACKNOWLEDGED') return;
  const reasons: Partial<Record<Stage, string>> = { NOT_FILED: '经审查，尚未达到刑事立案追诉标准', RETURNED: '证据不足，请补充鉴定意见' };
  await post(POLICE, STEPS.decide, { id, d: stage, r: reasons[stage] ?? null });
}
