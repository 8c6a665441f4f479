import fs from 'node:fs';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { HUB_AUDIENCE, mintDevClientAssertion } from '../src/auth';
import { AccessTokens, HubClient } from '../src/client';
import * as clientDocuments from '../src/client/generated/graphql';
import { loadConfig, projectRoot } from '../src/config';
import { generateWorld } from '../src/demo/world';
import { deriveClues } from '../src/supervision/clue-derivation';
import { loadClueRules } from '../src/supervision/clue-rules';
import { loadRiskGradeRules } from '../src/supervision/risk-grade-rules';
import { gradeEnterprises } from '../src/supervision/risk-grading';
import { startTestHub, type TestCaller, type TestHub } from './support/test-hub';

interface Example {
  /** The operation's name, e.g. ReadmeEnterprise360: its typed document is `ReadmeEnterprise360Document`. */
  name: string;
  operation: string;
  caller: TestCaller;
  answer: unknown;
}

/**
 * The caller an example's first line names, e.g. `# as suzhou-transport officer (divisions 31 32),
 * purpose case-investigation, case 苏E交执〔2022〕00001号`: the test calls exactly as the README says.
 */
function callerOf(operation: string): TestCaller {
  const line = /^# as ([\w-]+) ([\w-]+)(?: \(divisions ([\d ]+)\))?(?:, purpose ([\w-]+))?(?:, case (\S+))?$/.exec(operation.split('\n')[0]);
  if (!line) throw new Error(`README example does not start with "# as <agency> <role>…": ${operation.split('\n')[0]}`);
  const [, agency, role, divisions, purpose, caseNumber] = line;
  return { agency, roles: [role], divisions: divisions?.split(' '), purpose, caseNumber };
}

/** The README's examples: each ```graphql block and the ```json answer after it. */
function readmeExamples(): Example[] {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const examples: Example[] = [];
  const pattern = /```graphql\n([\s\S]*?)```\s*```json\n([\s\S]*?)```/g;
  for (let m = pattern.exec(readme); m; m = pattern.exec(readme)) {
    const operation = m[1].trim();
    examples.push({ name: /^(?:query|mutation) (\w+)/m.exec(operation)?.[1] ?? operation, operation, caller: callerOf(operation), answer: JSON.parse(m[2]) });
  }
  return examples;
}

const examples = readmeExamples();
let t: TestHub;

beforeAll(async () => {
  // The README speaks of the default demo world. Its captures are needed for one vehicle, and for
  // the clues: those of the plates the world planted its patterns on (the only ones any capture-derived rule finds).
  const { planted } = generateWorld({ seed: 20211, size: 1 });
  const plates = new Set([
    '苏E48886D',
    ...[...planted.blackCabs, ...planted.stationVisitors, ...planted.clonedPlates, ...planted.stillRunningOutOfForce].map((p) => p.plateNumber),
  ]);
  t = await startTestHub('readme', { seed: 20211, size: 1, captureFilter: (c) => plates.has(c.plateNumber) });
  // As the demo does at start: the clues, then the risk grades the README shows.
  await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile), { full: true });
  await gradeEnterprises(t.hub.db.pool, loadRiskGradeRules(loadConfig({}).riskGradeRulesFile), { full: true });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

/** The typed client as the README tells a caller to use it: a token from the token endpoint, the purpose and case declared. */
function clientAs({ agency, roles, divisions, purpose, caseNumber }: TestCaller): HubClient {
  const scope = [...roles.map((role) => `role:${role}`), ...(divisions ?? []).map((d) => `division:${d}`)].join(' ');
  const dataDir = loadConfig({}).dataDir;
  return new HubClient(t.hub.url, new AccessTokens(t.hub.url, () => mintDevClientAssertion(dataDir, agency, HUB_AUDIENCE), scope), { purpose, caseNumber });
}

describe('README examples', () => {
  it('there are examples, and every one is a client operation (schema/operations/readme.graphql, typed in src/client/generated)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const operations = fs.readFileSync(path.join(projectRoot, 'schema/operations/readme.graphql'), 'utf8');
    for (const { operation, name } of examples) {
      expect(operations).toContain(operation);
      expect(clientDocuments).toHaveProperty(`${name}Document`);
    }
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s, sent with the typed client, answers what the README says', async (name, example) => {
    const document = (clientDocuments as unknown as Record<string, TypedDocumentNode<unknown, Record<string, never>>>)[`${name}Document`];
    const { body } = await clientAs(example.caller).execute(document, {});
    expect(body).toEqual(example.answer);
  });
});
