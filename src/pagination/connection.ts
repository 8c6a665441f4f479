import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../graphql/classification';

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

/** A page of rows as the repositories return it; `count` runs only when `totalCount` is asked. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
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
    @Field(() => Int, { description: 'Rows matching the filter, over all pages.' })
    totalCount!: () => Promise<number>;
  }
  return Connection;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says there is a next page. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string, count: () => Promise<number>): Page<T> {
  const hasNextPage = rows.length > limit;
  const nodes = hasNextPage ? rows.slice(0, limit) : rows;
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  let counted: Promise<number> | null = null;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (counted ??= count()),
  };
}
