import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { execute } from './support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from './support/test-hub';

interface Example {
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
    examples.push({ name: /^(query|mutation) \w+/m.exec(operation)?.[0] ?? operation, operation, caller: callerOf(operation), answer: JSON.parse(m[2]) });
  }
  return examples;
}

const examples = readmeExamples();
let t: TestHub;

beforeAll(async () => {
  // The README speaks of the default demo world; its captures are only needed for one vehicle.
  t = await startTestHub('readme', { seed: 20211, size: 1, captureFilter: (c) => c.plateNumber === '苏E30185F' });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('README examples', () => {
  it('there are examples, and every one is also a codegen operation', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const operations = fs.readFileSync(path.join(projectRoot, 'test/operations/readme.graphql'), 'utf8');
    for (const { operation } of examples) expect(operations).toContain(operation);
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s answers what the README says', async (_name, example) => {
    const result = await execute(t.hub.graphqlUrl, example.operation, {}, await t.headersAs(example.caller));
    expect(JSON.parse(result.raw)).toEqual(example.answer);
  });
});
