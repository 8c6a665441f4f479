import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { devIssuer, devPrivateJwk, mintDevClientAssertion, mintDevToken, requestAccessToken, TOKEN_PATH } from '../../src/auth';
import { loadAgencies } from '../../src/access/agreements';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld, type World } from '../../src/demo/world';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { subscribeLive } from '../support/live-subscriber';
import { startNodeProcess, type NodeProcess } from '../support/node-process';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';
import { freePort, until } from '../support/eventually';

/**
 * Yangtze Delta cooperation between two real hub processes, Suzhou and Shanghai, each with its
 * own database, data directory (hub key and client keys) and peer configuration, delivering to
 * each other over GraphQL with client-credentials tokens from the other's token endpoint, on the
 * queue backend the run is configured with (Redis when REDIS_URL is set, else PostgreSQL).
 */

const config = loadConfig({});
const agencies = loadAgencies(config.agreementsFile);
const suzhouDb = freshDatabaseUrl('coop_suzhou');
const shanghaiDb = freshDatabaseUrl('coop_shanghai');
const suzhouDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-suzhou-'));
const shanghaiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-shanghai-'));
const clients: Client[] = [];

let world: World;
let suzhouPort: number;
let shanghaiPort: number;
let suzhou: NodeProcess;
let shanghai: NodeProcess;
const suzhouUrl = () => `http://127.0.0.1:${suzhouPort}/graphql`;
const shanghaiUrl = () => `http://127.0.0.1:${shanghaiPort}/graphql`;

/** The peers entry by which `fromDir`'s hub reaches the hub at `port`: its client there is the development client the peer made for `asAgency`. */
function peerEntry(id: string, agency: string, port: number, peerDir: string, asAgency: string) {
  devPrivateJwk(peerDir, asAgency);
  return {
    id,
    agency,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    tokenUrl: `http://127.0.0.1:${port}${TOKEN_PATH}`,
    clientId: devIssuer(asAgency),
    keyFile: path.join(peerDir, 'keys', 'dev', `${asAgency}.jwk.json`),
  };
}

function hubEnv(databaseUrl: string, dataDir: string, port: number, hubAgency: string, peers: unknown[]): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    QUEUE_PREFIX: `coop_${hubAgency.split('-')[0]}_${process.pid}`,
    PORT: String(port),
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    XIETONG_DATA_DIR: dataDir,
    HUB_AGENCY: hubAgency,
    PEERS: JSON.stringify(peers),
    PEER_RETRY_MS: '300',
    HUB_EVENT_POLL_MS: '100',
  };
}

async function startShanghai(): Promise<NodeProcess> {
  const process = startNodeProcess(
    'src/main.js',
    [],
    hubEnv(shanghaiDb, shanghaiDir, shanghaiPort, 'shanghai-transport', [peerEntry('suzhou', 'suzhou-transport', suzhouPort, suzhouDir, 'shanghai-transport')]),
  );
  await process.waitForOutput(/GraphQL at (http:\/\/\S+)/, 120);
  return process;
}

const SUZHOU_OFFICER = { agency: 'suzhou-transport', roles: ['officer'], divisions: ['31', '32', '33', '34'] };
const SHANGHAI_OFFICER = { agency: 'shanghai-transport', roles: ['officer'] };

async function headers(dataDir: string, caller: { agency: string; roles: string[]; divisions?: string[] }, purpose: string) {
  return { authorization: `Bearer ${await mintDevToken(dataDir, agencies, caller)}`, 'x-purpose': purpose };
}
const asSuzhouOfficer = () => headers(suzhouDir, SUZHOU_OFFICER, 'case-investigation');
/** A Shanghai officer at Shanghai's own hub, or at ours (each hub trusts its own development keys). */
const asShanghaiOfficer = (dataDir: string) => headers(dataDir, SHANGHAI_OFFICER, 'cross-region-enforcement');

interface GraphQLAnswer {
  status: number;
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

async function gql(url: string, head: Record<string, string>, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...head }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, ...((await response.json()) as object) };
}

const MESSAGES = `query($direction: CooperationDirection) { cooperationMessages(direction: $direction, first: 100) {
  edges { node { id direction kind localAgency peerAgency idempotencyKey subjectRef content status attempts lastError deliveredAt } } } }`;
const messages = async (url: string, head: Record<string, string>, direction?: string) =>
  ((await gql(url, head, MESSAGES, { direction })).data?.cooperationMessages.edges ?? []).map((e: { node: Record<string, any> }) => e.node);

const ASSISTANCE = `{ assistanceRequests(first: 50) { edges { node { id direction requesterAgency assistingAgency subject question dueDate status answer } } } }`;
const assistance = async (url: string, head: Record<string, string>) =>
  ((await gql(url, head, ASSISTANCE)).data?.assistanceRequests.edges ?? []).map((e: { node: Record<string, any> }) => e.node);

let shareable: { id: string; plate: string | null };
let outOfScope: { id: string; plate: string };

beforeAll(async () => {
  // Suzhou's hub holds a small world and the clues derived from it; Shanghai's starts empty.
  const { logger } = testLogger();
  const db = await openDatabase(loadConfig({ DATABASE_URL: suzhouDb }), entityModelOf(HUB_DOMAINS), logger);
  world = generateWorld({ seed: 7, size: 0.01 });
  await loadWorld(db.pool, world);
  await deriveClues(db.pool, loadClueRules(config.clueRulesFile));
  const { rows } = await db.pool.query<{ id: string; plate_number: string | null }>(
    `select id, plate_number from clue where deleted_at is null order by (plate_number like '沪%') desc, (plate_number is null) desc, id`,
  );
  await db.close();
  const first = rows[0];
  shareable = { id: first.id, plate: first.plate_number };
  const foreign = rows.find((r) => r.plate_number && !r.plate_number.startsWith('沪'))!;
  outOfScope = { id: foreign.id, plate: foreign.plate_number! };
  suzhouPort = await freePort();
  shanghaiPort = await freePort();
  suzhou = startNodeProcess(
    'src/main.js',
    [],
    hubEnv(suzhouDb, suzhouDir, suzhouPort, 'suzhou-transport', [peerEntry('shanghai', 'shanghai-transport', shanghaiPort, shanghaiDir, 'suzhou-transport')]),
  );
  await suzhou.waitForOutput(/GraphQL at (http:\/\/\S+)/, 120);
  shanghai = await startShanghai();
}, 300_000);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await suzhou?.stop();
  await shanghai?.stop();
  await dropDatabase(suzhouDb).catch(() => undefined);
  await dropDatabase(shanghaiDb).catch(() => undefined);
  fs.rmSync(suzhouDir, { recursive: true, force: true });
  fs.rmSync(shanghaiDir, { recursive: true, force: true });
}, 60_000);

describe('Yangtze Delta cooperation between two hub processes', () => {
  it("shares a clue from Suzhou into Shanghai's inbox, shaped by Shanghai's agreement, and tells Shanghai's subscribers", async () => {
    const live = await subscribeLive(
      clients,
      shanghaiUrl(),
      (await asShanghaiOfficer(shanghaiDir)).authorization,
      'cross-region-enforcement',
      'subscription { cooperationChanged { id direction kind peerAgency subjectRef } }',
    );
    expect(live.errors).toEqual([]);
    const shared = await gql(suzhouUrl(), await asSuzhouOfficer(), 'mutation($clue: String!) { shareClue(peer: "shanghai", clueId: $clue) { id } }', {
      clue: shareable.id,
    });
    expect(shared.errors).toBeUndefined();
    const messageId = shared.data!.shareClue.id as string;

    const inbox = await until('the clue in Shanghai’s inbox', async () =>
      (await messages(shanghaiUrl(), await asShanghaiOfficer(shanghaiDir), 'INBOUND')).find((m: Record<string, any>) => m.idempotencyKey === messageId),
    );
    expect(inbox).toMatchObject({
      direction: 'INBOUND',
      kind: 'CLUE_SHARED',
      localAgency: 'shanghai-transport',
      peerAgency: 'suzhou-transport',
      subjectRef: shareable.id,
      status: 'RECEIVED',
    });
    const content = JSON.parse(inbox.content as string);
    expect(content.clue.id).toBe(shareable.id);
    expect(content.shapedBy).toBe('CSJ-SH-2026-01');
    // Only evidence about vehicles Shanghai's agreement covers, and never a capture's time.
    for (const item of content.evidence) {
      if (item.plateNumber) expect(item.plateNumber).toMatch(/^沪/);
      if (item.kind === 'CAPTURE') expect(item.observedAt).toBeUndefined();
    }
    const outbox = await until('the share acknowledged', async () =>
      (await messages(suzhouUrl(), await asSuzhouOfficer(), 'OUTBOUND')).find((m: Record<string, any>) => m.id === messageId && m.status === 'DELIVERED'),
    );
    expect(outbox).toMatchObject({ kind: 'CLUE_SHARED', peerAgency: 'shanghai-transport', attempts: 1, lastError: null });
    await until('the live event', async () =>
      live.received.find((r) => (r.data?.cooperationChanged as { subjectRef?: string } | null)?.subjectRef === shareable.id),
    );
  }, 90_000);

  it('refuses a share to an unknown peer, or of a clue about a vehicle outside the receiver’s agreement, with a typed error and no message', async () => {
    const head = await asSuzhouOfficer();
    const before = (await messages(suzhouUrl(), head, 'OUTBOUND')).length;
    const unknown = await gql(suzhouUrl(), head, 'mutation($clue: String!) { shareClue(peer: "beijing", clueId: $clue) { id } }', { clue: shareable.id });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'peer' });
    const foreign = await gql(suzhouUrl(), head, 'mutation($clue: String!) { shareClue(peer: "shanghai", clueId: $clue) { id } }', { clue: outOfScope.id });
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'clueId' });
    const missing = await gql(suzhouUrl(), head, 'mutation { shareClue(peer: "shanghai", clueId: "no-such-clue") { id } }');
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const unknownAnswer = await gql(
      shanghaiUrl(),
      await asShanghaiOfficer(shanghaiDir),
      'mutation { answerAssistance(id: "no-such-request", answer: "?") { id } }',
    );
    expect(unknownAnswer.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await messages(suzhouUrl(), head, 'OUTBOUND')).length).toBe(before);
    expect(JSON.stringify([unknown, foreign, missing, unknownAnswer])).not.toMatch(/ at |select |insert /i);
  }, 60_000);

  it('asks Shanghai for assistance; the answer given in Shanghai is seen in Suzhou', async () => {
    const due = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
    const asked = await gql(
      suzhouUrl(),
      await asSuzhouOfficer(),
      'mutation($due: LocalDate!) { requestAssistance(peer: "shanghai", subject: "沪A12345", question: "Who operated this vehicle on 2026-11-20?", dueDate: $due) { id } }',
      { due },
    );
    expect(asked.errors).toBeUndefined();
    const id = asked.data!.requestAssistance.id as string;
    const incoming = await until('the request in Shanghai', async () =>
      (await assistance(shanghaiUrl(), await asShanghaiOfficer(shanghaiDir))).find((r: Record<string, any>) => r.id === id),
    );
    expect(incoming).toMatchObject({
      direction: 'INBOUND',
      requesterAgency: 'suzhou-transport',
      assistingAgency: 'shanghai-transport',
      status: 'OPEN',
      dueDate: due,
    });

    const answered = await gql(
      shanghaiUrl(),
      await asShanghaiOfficer(shanghaiDir),
      'mutation($id: String!) { answerAssistance(id: $id, answer: "Operated by 上海某运输公司; permit checked.") { id } }',
      { id },
    );
    expect(answered.errors).toBeUndefined();
    const again = await gql(
      shanghaiUrl(),
      await asShanghaiOfficer(shanghaiDir),
      'mutation($id: String!) { answerAssistance(id: $id, answer: "twice") { id } }',
      { id },
    );
    expect(again.errors?.[0].extensions?.code).toBe('ILLEGAL_TRANSITION');
    // A Shanghai officer at our hub cannot answer in our name.
    const inOurName = await gql(suzhouUrl(), await asShanghaiOfficer(suzhouDir), 'mutation($id: String!) { answerAssistance(id: $id, answer: "x") { id } }', {
      id,
    });
    expect(inOurName.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);

    const seen = await until('the answer in Suzhou', async () =>
      (await assistance(suzhouUrl(), await asSuzhouOfficer())).find((r: Record<string, any>) => r.id === id && r.status === 'ANSWERED'),
    );
    expect(seen).toMatchObject({ direction: 'OUTBOUND', answer: 'Operated by 上海某运输公司; permit checked.' });
  }, 90_000);

  it('opens a joint case with Shanghai and sends a credit decision it recognises', async () => {
    const openCase = world.enforcementCases.find((c) => c.vehiclePlateNumber?.startsWith('沪')) ?? world.enforcementCases[0];
    const joint = await gql(
      suzhouUrl(),
      await asSuzhouOfficer(),
      'mutation($case: String!) { createJointCase(title: "沪苏跨省非法营运联合办案", members: ["shanghai"], caseNumbers: [$case]) { id } }',
      { case: openCase.caseNumber },
    );
    expect(joint.errors).toBeUndefined();
    const jointId = joint.data!.createJointCase.id as string;
    const held = await until('the joint case in Shanghai', async () => {
      const answer = await gql(
        shanghaiUrl(),
        await asShanghaiOfficer(shanghaiDir),
        '{ jointCases { edges { node { id title leadAgency members linkedCases { agency caseNumber } } } } }',
      );
      return answer.data?.jointCases.edges.map((e: { node: Record<string, any> }) => e.node).find((c: Record<string, any>) => c.id === jointId);
    });
    expect(held).toMatchObject({
      leadAgency: 'suzhou-transport',
      members: ['suzhou-transport', 'shanghai-transport'],
      linkedCases: [{ agency: 'suzhou-transport', caseNumber: openCase.caseNumber }],
    });

    const entry = world.creditListEntries[0];
    const decision = await gql(
      suzhouUrl(),
      await asSuzhouOfficer(),
      'mutation($id: String!) { shareCreditDecision(peer: "shanghai", listEntryId: $id) { id } }',
      { id: entry.sourceId },
    );
    expect(decision.errors).toBeUndefined();
    const recognised = await until('the decision recognised in Shanghai', async () => {
      const answer = await gql(
        shanghaiUrl(),
        await asShanghaiOfficer(shanghaiDir),
        '{ recognisedCreditDecisions { edges { node { issuingAgency creditCode listType recognised } } } }',
      );
      return answer.data?.recognisedCreditDecisions.edges
        .map((e: { node: Record<string, any> }) => e.node)
        .find((d: Record<string, any>) => d.creditCode === entry.subjectUscc);
    });
    expect(recognised).toMatchObject({ issuingAgency: 'suzhou-transport', recognised: true });
  }, 90_000);

  it('with Shanghai stopped, a share waits in the outbox and is delivered exactly once when Shanghai returns', async () => {
    await shanghai.stop();
    const shared = await gql(
      suzhouUrl(),
      await asSuzhouOfficer(),
      'mutation($due: LocalDate!) { requestAssistance(peer: "shanghai", subject: "沪B99999", question: "Sent while you were down", dueDate: $due) { id } }',
      { due: new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10) },
    );
    expect(shared.errors).toBeUndefined();
    const requestId = shared.data!.requestAssistance.id as string;
    const waiting = await until('a failed attempt', async () =>
      (await messages(suzhouUrl(), await asSuzhouOfficer(), 'OUTBOUND')).find((m: Record<string, any>) => m.subjectRef === requestId && m.attempts >= 2),
    );
    expect(waiting).toMatchObject({ status: 'PENDING', lastError: expect.stringMatching(/unreachable|no token/) });

    shanghai = await startShanghai();
    const delivered = await until('the delivery after the return', async () =>
      (await messages(suzhouUrl(), await asSuzhouOfficer(), 'OUTBOUND')).find(
        (m: Record<string, any>) => m.subjectRef === requestId && m.status === 'DELIVERED',
      ),
    );
    // Delivered again by hand, as a retry after a lost acknowledgement would: Shanghai keeps it once.
    const assertion = mintDevClientAssertion(shanghaiDir, 'suzhou-transport', `http://127.0.0.1:${shanghaiPort}${TOKEN_PATH}`);
    const token = await requestAccessToken(`http://127.0.0.1:${shanghaiPort}${TOKEN_PATH}`, assertion, 'role:peer-hub');
    const original = JSON.parse(delivered.content as string);
    const redelivered = await gql(
      shanghaiUrl(),
      { authorization: `Bearer ${token.access_token}`, 'x-purpose': 'cross-region-enforcement' },
      'mutation($key: String!, $ref: String!, $content: String!) { receivePeerMessage(idempotencyKey: $key, kind: ASSISTANCE_REQUESTED, subjectRef: $ref, content: $content) { messageId duplicate } }',
      { key: delivered.id, ref: requestId, content: JSON.stringify(original) },
    );
    expect(redelivered.data?.receivePeerMessage.duplicate).toBe(true);
    const inbox = (await messages(shanghaiUrl(), await asShanghaiOfficer(shanghaiDir), 'INBOUND')).filter(
      (m: Record<string, any>) => m.idempotencyKey === delivered.id,
    );
    expect(inbox).toHaveLength(1);
    const requests = (await assistance(shanghaiUrl(), await asShanghaiOfficer(shanghaiDir))).filter((r: Record<string, any>) => r.id === requestId);
    expect(requests).toHaveLength(1);
  }, 120_000);

  it('still shows a Shanghai officer only 沪 vehicles of ours', async () => {
    const answer = await gql(suzhouUrl(), await asShanghaiOfficer(suzhouDir), '{ vehicles(first: 100) { totalCount edges { node { plateNumber } } } }');
    expect(answer.errors).toBeUndefined();
    const plates = answer.data!.vehicles.edges.map((e: { node: { plateNumber: string } }) => e.node.plateNumber);
    expect(plates.length).toBeGreaterThan(0);
    expect(plates.every((p: string) => p.startsWith('沪'))).toBe(true);
    expect(answer.data!.vehicles.totalCount).toBe(world.vehicles.filter((v) => v.plateNumber.startsWith('沪')).length);
  }, 30_000);
});
