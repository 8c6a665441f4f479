import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { execute } from './support/graphql-client';
import { startTestHub, type TestHub } from './support/test-hub';

/** The README's examples: each ```graphql block and the ```json answer after it. */
function readmeExamples(): Array<{ operation: string; answer: unknown }> {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const examples: Array<{ operation: string; answer: unknown }> = [];
  const pattern = /```graphql\n([\s\S]*?)```\s*```json\n([\s\S]*?)```/g;
  for (let m = pattern.exec(readme); m; m = pattern.exec(readme)) examples.push({ operation: m[1].trim(), answer: JSON.parse(m[2]) });
  return examples;
}

const examples = readmeExamples();
let t: TestHub;

beforeAll(async () => {
  // The README speaks of the default demo world; its captures are only needed for one vehicle.
  t = await startTestHub('readme', { seed: 20211, size: 1, captureFilter: (c) => c.plateNumber === '苏EW5690' });
}, 120_000);
afterAll(async () => { await t?.close(); });

describe('README examples', () => {
  it('there are examples, and every one is also a codegen operation', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const operations = fs.readFileSync(path.join(projectRoot, 'test/operations/readme.graphql'), 'utf8');
    for (const { operation } of examples) expect(operations).toContain(operation);
  });

  it.each(examples.map((e) => [e.operation.split('\n')[0], e] as const))('%s answers what the README says', async (_name, example) => {
    const result = await execute(t.hub.graphqlUrl, example.operation);
    expect(JSON.parse(result.raw)).toEqual(example.answer);
  });
});
