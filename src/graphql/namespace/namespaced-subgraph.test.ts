import { BadRequestError } from '../../errors';
import { FederationNamespace } from './federation-namespace';
import { NamespacedSubgraph, type NamespacedOperation } from './namespaced-subgraph';

/** A hub's subgraph in small: an entity, a type of its own, a root field. */
const SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { vehicles(first: Int): VehicleConnection! }
type VehicleConnection { nodes: [Vehicle!]! totalCount: Int! }
type Vehicle @key(fields: "plateNumber") { plateNumber: String! vin: String! }
`;
const subgraph = () => new NamespacedSubgraph(new FederationNamespace('sz', SDL), SDL, 10_000);
const translated = (outcome: ReturnType<NamespacedSubgraph['translate']>) => {
  if (!outcome || outcome instanceof BadRequestError) throw new Error(`not translated: ${String(outcome)}`);
  return outcome;
};

describe('NamespacedSubgraph', () => {
  it('translates a repeated operation once, and two different texts each on its own', () => {
    const namespaced = subgraph();
    const text = '{ sz_vehicles(first: 2) { nodes { plateNumber sz_vin } } }';
    const first = translated(namespaced.translate(text, undefined));
    expect(first.query).toContain('sz_vin: vin');
    expect(namespaced.translate(text, undefined)).toBe(first);
    // The same operation written otherwise is another text: translated again, to the same operation.
    const spaced = translated(namespaced.translate(text.replace(/ /g, '  '), undefined));
    expect(spaced).not.toBe(first);
    expect(spaced.query).toBe(first.query);
    const other = translated(namespaced.translate('{ sz_vehicles { totalCount } }', undefined));
    expect(other).not.toBe(first);
    expect(other.query).not.toBe(first.query);
    expect(namespaced.translate(text, undefined)).toBe(first);
  });

  it('keeps apart one text asked for two of its operations: each answer is put back along its own', () => {
    const namespaced = subgraph();
    const text = 'query A { sz_vehicles { __typename } } query B { sz_vehicles { nodes { __typename } } }';
    const a = translated(namespaced.translate(text, 'A'));
    const b = translated(namespaced.translate(text, 'B'));
    expect(b).not.toBe(a);
    expect(namespaced.translate(text, 'A')).toBe(a);
    expect(JSON.parse(a.answer('{"data":{"sz_vehicles":{"__typename":"VehicleConnection"}}}'))).toEqual({
      data: { sz_vehicles: { __typename: 'sz_VehicleConnection' } },
    });
    expect(JSON.parse(b.answer('{"data":{"sz_vehicles":{"nodes":[{"__typename":"Vehicle"}]}}}'))).toEqual({
      data: { sz_vehicles: { nodes: [{ __typename: 'Vehicle' }] } },
    });
  });

  it('keeps the 500 texts last asked, dropping the least recently asked', () => {
    const namespaced = subgraph();
    const textOf = (i: number) => `query Q${i} { sz_vehicles { totalCount } }`;
    const kept = translated(namespaced.translate(textOf(0), undefined));
    const dropped = translated(namespaced.translate(textOf(1), undefined));
    for (let i = 2; i < 500; i++) namespaced.translate(textOf(i), undefined);
    expect(namespaced.translate(textOf(0), undefined)).toBe(kept);
    namespaced.translate(textOf(500), undefined);
    expect(namespaced.translate(textOf(0), undefined)).toBe(kept);
    expect(namespaced.translate(textOf(1), undefined)).not.toBe(dropped);
  });

  it('refuses a repeated invalid operation each time with its problems, and leaves a text that does not parse to the hub', () => {
    const namespaced = subgraph();
    for (let i = 0; i < 2; i++) {
      const refusal = namespaced.translate('{ vehicles { totalCount } }', undefined);
      expect(refusal).toBeInstanceOf(BadRequestError);
      expect((refusal as BadRequestError).message).toMatch(/^Not an operation of this hub's subgraph under namespace sz: Cannot query field "vehicles"/);
      expect(namespaced.translate('{ sz_vehicles {', undefined)).toBeNull();
    }
  });

  it("answers with the hub's answer as it is when it holds no type name, and renames those it holds", () => {
    const namespaced = subgraph();
    const plain: NamespacedOperation = translated(namespaced.translate('{ sz_vehicles { nodes { sz_vin } } }', undefined));
    const body = '{"data":{"sz_vehicles":{"nodes":[{"sz_vin":"LSVAU2180N2183294"}]}}}\n';
    expect(plain.answer(body)).toBe(body);
    const typed = translated(namespaced.translate('{ sz_vehicles { __typename nodes { __typename } } }', undefined));
    expect(typed.answer('{"data":{"sz_vehicles":{"__typename":"VehicleConnection","nodes":[{"__typename":"Vehicle"}]}}}\n')).toBe(
      '{"data":{"sz_vehicles":{"__typename":"sz_VehicleConnection","nodes":[{"__typename":"Vehicle"}]}}}\n',
    );
  });
});
