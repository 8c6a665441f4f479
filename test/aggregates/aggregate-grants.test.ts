import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { parseAgreements } from '../../src/access/agreements';
import { projectRoot } from '../../src/config';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { COMMITTED_AGENCIES } from '../support/committed-agencies';

/** The agreements' `aggregates` grants are checked where the agreements are loaded: a bad one stops the hub. */

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildHubSchema(HUB_PARTS);
});

const withAggregates = (aggregates: unknown) =>
  parseAgreements(
    {
      purposes: ['statistics'],
      agencies: COMMITTED_AGENCIES,
      agreements: [
        {
          id: 'T',
          title: 't',
          consumer: { agency: 'suzhou-amr', roles: ['analyst'] },
          legalBasis: 'b',
          purposes: ['statistics'],
          validFrom: '2026-01-01T00:00:00+08:00',
          validUntil: '2030-01-01T00:00:00+08:00',
          introspection: false,
          fields: { Query: { captureStats: 'full' } },
          aggregates,
        },
      ],
    },
    schema,
    undefined,
    path.join(projectRoot, 'schema', 'policy'),
  )[0];

describe('aggregate grants in the agreements file', () => {
  it('reads the fields and k, k defaulting to 5', () => {
    const agreement = withAggregates({ CheckpointCapture: { fields: ['capturedAt', 'checkpointCode'] }, Weighing: { fields: ['measuredAt'], k: 12 } });
    expect(agreement.aggregates.get('CheckpointCapture')).toEqual({ fields: new Set(['capturedAt', 'checkpointCode']), k: 5 });
    expect(agreement.aggregates.get('Weighing')?.k).toBe(12);
    expect(withAggregates(undefined).aggregates.size).toBe(0);
  });

  it.each([
    [{ NoSuchType: { fields: ['x'] } }, /no such object type NoSuchType/],
    [{ CheckpointCapture: { fields: ['speed'] } }, /no field CheckpointCapture.speed/],
    [{ CheckpointCapture: { fields: ['capturedAt'], k: 1 } }, /k must be a whole number from 2/],
    [{ CheckpointCapture: { fields: ['capturedAt'], k: 2.5 } }, /k must be a whole number from 2/],
    [{ CheckpointCapture: { fields: [], rows: true } }, /unknown rows/],
    [{ CheckpointCapture: { fields: 'capturedAt' } }, /must be a list of non-empty strings/],
  ])('refuses %j', (aggregates, message) => {
    expect(() => withAggregates(aggregates)).toThrow(message);
  });
});
