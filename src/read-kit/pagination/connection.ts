import { Arg, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../fields/classification';
import { countCap, DEFAULT_COUNT_CAP, MAX_COUNT_CAP } from './page-args';

@ObjectType({ description: 'Relay page information.', simpleResolvers: true })
export class PageInfo {
  @Classified(Classification.PUBLIC)
  @Field()
  hasNextPage!: boolean;

  @Classified(Classification.PUBLIC)
  @Field({ description: 'Always false: these connections page forwards only.' })
  hasPreviousPage!: boolean;

  @Classified(Classification.PUBLIC)
  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Classified(Classification.PUBLIC)
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType({ description: 'Rows matching a filter, counted up to a cap.', simpleResolvers: true })
export class RowCount {
  @Classified(Classification.PUBLIC)
  @Field(() => Int, { description: 'Rows matching, at most the cap.' })
  value!: number;

  @Classified(Classification.PUBLIC)
  @Field({ description: 'False when more rows match than the cap: `value` is then the cap.' })
  exact!: boolean;
}

/**
 * Counts what a filter matches, reading at most `atMost` rows when given (the count is then at
 * most `atMost`); without it, every matching row.
 */
export type Counter = (atMost?: number) => Promise<number>;

/** A page of rows as the repositories return it; counts run only when `totalCount` or `count` is asked. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
  countUpTo: (cap: number) => Promise<RowCount>;
}

/** The Relay connection and edge types for a node type, named `<name>Connection` / `<name>Edge`. */
export function connectionType<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Classified(Classification.PUBLIC)
    @Field()
    cursor!: string;

    @Classified(Classification.PUBLIC)
    @Field(() => Node)
    node!: T;
  }

  // `simpleResolvers` leaves graphql-js's default resolver in place, which calls a function
  // property: `totalCount` is that function, so the COUNT query runs only when selected.
  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class Connection {
    @Classified(Classification.PUBLIC)
    @Field(() => [Edge])
    edges!: Edge[];

    @Classified(Classification.PUBLIC)
    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Classified(Classification.PUBLIC)
    @Field(() => Int, {
      description:
        'Rows matching the filter, over all pages: exact, so it reads every matching row and is priced by how many the statistics estimate (see `count` for a capped count).',
    })
    totalCount!: () => Promise<number>;

    // Resolved with the page as `this` (type-graphql calls an object type's methods on the source).
    @Classified(Classification.PUBLIC)
    @Field(() => RowCount, {
      description: `Rows matching the filter, counting stops after \`upTo\` (default ${DEFAULT_COUNT_CAP}, at most ${MAX_COUNT_CAP}): cheap where an exact number is not needed.`,
    })
    count(@Arg('upTo', () => Int, { nullable: true, defaultValue: DEFAULT_COUNT_CAP }) upTo: number | null): Promise<RowCount> {
      return (this as unknown as Page<T>).countUpTo(countCap(upTo));
    }
  }
  return Connection;
}

/**
 * An edge whose cursor is sealed when first read: graphql-js reads it only where the operation
 * selects `cursor` (or `pageInfo`'s start or end cursor), and a page of 500 rows nobody pages
 * through would otherwise pay 500 seals.
 */
class Edge<R, T> {
  private sealed: string | null = null;

  constructor(
    private readonly row: R,
    readonly node: T,
    private readonly cursorOf: (row: R) => string,
  ) {}

  get cursor(): string {
    return (this.sealed ??= this.cursorOf(this.row));
  }
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only says there is a next page.
 * `map` turns a fetched row into the node served, where the cursor is read from the row as fetched.
 */
export function toPage<R, T = R>(rows: R[], limit: number, cursorOf: (row: R) => string, count: Counter, map?: (row: R) => T): Page<T> {
  const hasNextPage = rows.length > limit;
  const fetched = hasNextPage ? rows.slice(0, limit) : rows;
  const edges = fetched.map((row) => new Edge(row, map ? map(row) : (row as unknown as T), cursorOf));
  let counted: Promise<number> | null = null;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? null;
      },
    },
    totalCount: () => (counted ??= count()),
    async countUpTo(cap) {
      // One row past the cap says whether there are more.
      const n = await count(cap + 1);
      return { value: Math.min(n, cap), exact: n <= cap };
    },
  };
}
