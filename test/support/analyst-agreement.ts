import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { parseAgreements, type Agreement } from '../../src/access/agreements';
import { projectRoot } from '../../src/config';
import { COMMITTED_AGENCIES } from './committed-agencies';

/**
 * One agreement in force for the market regulator's analysts, granting exactly `fields` (the
 * agreements file's notation, e.g. `{ Vehicle: { '*': 'full', ratedTotalMassKg: 'none' } }`),
 * checked against `schema` as the hub checks its file.
 */
export function analystAgreement(schema: GraphQLSchema, fields: Record<string, Record<string, string>>): Agreement {
  const [agreement] = parseAgreements(
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
          fields,
        },
      ],
    },
    schema,
    undefined,
    path.join(projectRoot, 'schema', 'policy'),
  );
  return agreement;
}
