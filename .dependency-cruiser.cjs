/**
 * The layering, checked on every `npm test` (type-only imports count: a type import is a
 * dependency the next refactoring has to respect too). From the bottom up:
 *   the contract's kernel (connectors/contract/canonical, connectors/contract/identifiers)
 *   →  the connector contract  →  connector packages (connectors/<system>, importing nothing of src)
 *   errors, config, logger, telemetry, db  →  read-kit  →  domains  →  auth, admission  →  access  →  audit
 *   →  access-control (the one façade over them)  →  graphql (composition)
 *   →  http, app, main;  src/demo (world, simulators, fault switches) above all of it, reached by
 *   the demo, the tests and the benches, and by main only through one dynamic import.
 * src/metrics (the Prometheus registry) stands apart: it imports nothing of the hub, the composition feeds it.
 * `known` exceptions are listed by path so that no new one can come in unnoticed.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No file cycle, type imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment: 'No two folders import each other, type imports included: layers depend one way.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kit-is-under-the-domains',
      severity: 'error',
      comment: 'The read kit is what domains are built from: it knows no domain, composition, access, sync or HTTP.',
      from: { path: '^src/read-kit/' },
      to: { path: '^src/(domains|graphql|access|audit|sync|http|auth|admission|demo|ingest)/|^src/(app|main|worker)\\.ts$' },
    },
    {
      name: 'db-is-under-the-kit',
      severity: 'error',
      comment: 'The database layer is given its entities (openDatabase(config, model)); it knows nothing above it.',
      from: { path: '^src/db/' },
      to: { path: '^src/(read-kit|domains|graphql|access|audit|sync|http)/' },
    },
    {
      name: 'only-the-read-gateway-holds-the-read-client',
      severity: 'error',
      comment:
        'Requests read the database through the read gateway alone, which opens the read pool (see test/access/gateway-owns-tables.test.ts for the SQL text).',
      from: { path: '^src/', pathNot: '^src/db/|^src/read-kit/rows/read-gateway\\.ts$' },
      to: { path: '^src/db/sql-client\\.ts$' },
    },
    {
      name: 'only-the-read-gateway-writes-row-scopes',
      severity: 'error',
      comment:
        "The caller's row scope is added to statements by the read gateway, never by hand (the test comparing it with the in-memory judgement reads the SQL itself).",
      from: { pathNot: ['^src/read-kit/rows/read-gateway\\.ts$', '^test/access/row-scope-memory-sql\\.test\\.ts$'] },
      to: { path: '^src/read-kit/rows/row-scope-sql\\.ts$' },
    },
    {
      name: 'table-metadata-is-the-read-gateways',
      severity: 'error',
      comment: "Tables and columns are read from the ORM's metadata once, by the read gateway: nothing else names them.",
      from: { path: '^src/', pathNot: '^src/read-kit/rows/' },
      to: { path: '^src/read-kit/rows/table-catalogue\\.ts$' },
    },
    {
      name: 'repositories-state-conditions-and-intent',
      severity: 'error',
      comment: 'A repository says what it wants of the read gateway; it builds no query and holds no connection.',
      from: { path: '\\.repository\\.ts$' },
      to: { path: '^src/db/|^node_modules/(@mikro-orm|pg|knex)/' },
    },
    {
      name: 'the-orm-maps-entities-and-migrates',
      severity: 'error',
      comment: 'The ORM declares entities and runs migrations; only the database layer and the read gateway (its metadata) use it beyond that.',
      from: { path: '^src/', pathNot: '\\.entity\\.ts$|^src/domains/common/|^src/migrations/|^src/db/|^src/read-kit/rows/' },
      to: { path: '^node_modules/@mikro-orm/' },
    },
    {
      name: 'domains-know-no-composition-access-or-transport',
      severity: 'error',
      comment: 'A domain imports the kit, never the schema composition, access control or the HTTP layer.',
      from: { path: '^src/domains/' },
      to: { path: '^src/(graphql|access|http)/' },
    },
    {
      name: 'domains-know-no-sync-internals',
      severity: 'error',
      comment: "Domains are read and written by the sync, never the other way round (the operators' sync API lives in src/sync/operator).",
      from: { path: '^src/domains/' },
      to: { path: '^src/sync/' },
    },
    {
      name: 'domains-meet-through-their-index',
      severity: 'error',
      comment: 'Another domain is used through its index.ts only (domains/common is the shared vocabulary every domain builds on).',
      from: { path: '^src/domains/([^/]+)/' },
      to: { path: '^src/domains/[^/]+/', pathNot: ['^src/domains/$1/', '^src/domains/[^/]+/index\\.ts$', '^src/domains/common/'] },
    },
    {
      name: 'the-hub-meets-domains-through-their-index',
      severity: 'error',
      comment: 'Outside the domains, a domain is used through its index.ts only (domains/common is the shared vocabulary).',
      from: { pathNot: '^src/domains/' },
      to: { path: '^src/domains/[^/]+/', pathNot: ['^src/domains/[^/]+/index\\.ts$', '^src/domains/common/'] },
    },
    {
      name: 'access-knows-no-domain',
      severity: 'error',
      comment: 'Access reads domain facts from the schema, the agreements and the kit, never a domain module.',
      from: { path: '^src/access/' },
      to: { path: '^src/(domains|graphql|sync|http)/' },
    },
    {
      name: 'access-control-is-the-facade',
      severity: 'error',
      comment:
        'src/access-control assembles authentication, agreements, admission and the audit for the composition ' +
        '(createAccessControl); like access it knows no domain, composition, sync or HTTP.',
      from: { path: '^src/access-control/' },
      to: { path: '^src/(domains|graphql|sync|http)/' },
    },
    {
      name: 'policy-parts-stay-under-their-facade',
      severity: 'error',
      comment: 'What the façade assembles never reaches back up to it: only the composition (app.ts) uses src/access-control.',
      from: { path: '^src/', pathNot: '^src/(access-control/|app\\.ts$)' },
      to: { path: '^src/access-control/' },
    },
    {
      name: 'metrics-know-nothing-they-measure',
      severity: 'error',
      comment:
        'src/metrics holds the registry and what it measures declared once; instrumented code is handed narrow methods (meterRequest, tokenVerified…) and the composition its sources, so it imports nothing of the hub.',
      from: { path: '^src/metrics/' },
      to: { path: '^(src|connectors)/', pathNot: '^src/metrics/' },
    },
    {
      name: 'connectors-stay-outside-the-hub',
      severity: 'error',
      comment: "Connectors fetch and map; what they share with the hub (records, codes, identifiers) is the contract's kernel in connectors/contract.",
      from: { path: '^connectors/' },
      to: { path: '^src/' },
    },
    {
      name: 'the-kernel-is-a-leaf',
      severity: 'error',
      comment: 'The canonical records and codes and the identifier rules depend on nothing but each other: both sides import them.',
      from: { path: '^connectors/contract/(canonical|identifiers)/' },
      to: { path: '^(src|connectors|test)/', pathNot: '^connectors/contract/(canonical|identifiers)/' },
    },
    {
      name: 'connector-packages-meet-through-the-contract',
      severity: 'error',
      comment: 'A connector package imports the contract, never another package.',
      from: { path: '^connectors/([^/]+)/' },
      to: { path: '^connectors/', pathNot: ['^connectors/$1/', '^connectors/contract/'] },
    },
    {
      name: 'the-hub-meets-connectors-through-their-index',
      severity: 'error',
      comment: "The hub uses the contract and each connector package's index.ts (its definition), never a package's internals.",
      from: { path: '^src/', pathNot: '^src/demo/' },
      to: { path: '^connectors/', pathNot: ['^connectors/contract/', '^connectors/[^/]+/index\\.ts$'] },
    },
    {
      name: 'the-demo-serves-the-wire-formats',
      severity: 'error',
      comment: "A simulator serves its system's wire format (connectors/<system>/*-format.ts), the one the connector reads; nothing else of a package.",
      from: { path: '^src/demo/' },
      to: { path: '^connectors/', pathNot: ['^connectors/contract/', '^connectors/[^/]+/index\\.ts$', '^connectors/[^/]+/[^/]+-format\\.ts$'] },
    },
    {
      name: 'production-never-imports-the-demo',
      severity: 'error',
      comment: 'The world generator, the simulators and their fault switches are for the demo, the tests and the benches only.',
      from: { path: '^(src|connectors)/', pathNot: ['^src/demo/', '^src/main\\.ts$', '^src/cli/world\\.ts$'] },
      to: { path: '^src/demo/' },
    },
    {
      name: 'main-enters-the-demo-by-one-door',
      severity: 'error',
      comment: 'main (and `xietong world load`) reach the demo only through src/demo/index.ts ...',
      from: { path: '^src/(main|cli/world)\\.ts$' },
      to: { path: '^src/demo/', pathNot: '^src/demo/index\\.ts$' },
    },
    {
      name: 'main-enters-the-demo-only-when-asked',
      severity: 'error',
      comment: '... and only by a dynamic import, taken with --demo (or by that command): a production start does not load it.',
      from: { path: '^src/(main|cli/world)\\.ts$' },
      to: { path: '^src/demo/index\\.ts$', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'the-client-reaches-the-hub-over-http',
      severity: 'error',
      comment:
        "The typed client (src/client) is what an agency's system runs: it speaks to the hub over HTTP and shares only the OAuth " +
        "client side of auth: the protocol's vocabulary, signing an assertion, the token request.",
      from: { path: '^src/client/', pathNot: '^src/client/example\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/client/', '^src/auth/(oauth-protocol|sign-client-assertion|token-client)\\.ts$'] },
    },
    {
      name: 'the-client-example-signs-as-the-demo',
      severity: 'error',
      comment: "The client's runnable example may also sign with the development keys the demo hands out, read from the data directory (config).",
      from: { path: '^src/client/example\\.ts$' },
      to: {
        path: '^src/',
        pathNot: ['^src/client/', '^src/auth/(oauth-protocol|sign-client-assertion|token-client|dev-keys|agencies)\\.ts$', '^src/config\\.ts$'],
      },
    },
    {
      name: 'telemetry-is-a-leaf',
      severity: 'error',
      comment: 'Tracing is started before the hub is loaded (src/main.ts): it knows only the configuration and the logger.',
      from: { path: '^src/telemetry/' },
      to: { path: '^src/', pathNot: '^src/(telemetry/|config\\.ts$|logger\\.ts$)' },
    },
    {
      name: 'the-tracing-sdk-is-telemetrys',
      severity: 'error',
      comment: 'The OpenTelemetry SDK, exporters and instrumentations are set up in src/telemetry alone; the rest of the hub makes spans through its API.',
      from: { pathNot: '^src/telemetry/' },
      to: { path: '^node_modules/@opentelemetry/', pathNot: '^node_modules/@opentelemetry/api/' },
    },
    {
      name: 'entry-points-start-tracing-first',
      severity: 'error',
      comment:
        'The instrumentations patch pg, graphql, ioredis and http as they are required: an entry point that traces loads ' +
        'the hub by dynamic import, after startTracing (types aside).',
      from: { path: '^src/(main|worker)\\.ts$' },
      to: {
        path: '^src/|^node_modules/',
        pathNot: ['^src/(process-lifecycle|logger|config)\\.ts$', '^src/telemetry/index\\.ts$', '^node_modules/reflect-metadata/'],
        dependencyTypesNot: ['dynamic-import', 'type-only'],
      },
    },
    {
      name: 'connector-test-helpers-are-for-tests',
      severity: 'error',
      comment: "connectors/contract/testing (fixture reading, mapping assertions) serves the connectors' tests, never a connector.",
      from: { pathNot: ['\\.test\\.ts$', '^test/'] },
      to: { path: '^connectors/contract/testing/' },
    },
    {
      name: 'nothing-imports-tests',
      severity: 'error',
      comment: 'Production code never depends on test code.',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Packages stay in the graph (not followed), so that rules can say who may import the ORM or `pg`.
    exclude: { path: '^dist/' },
    // Type-only imports count as dependencies (the cycle check above relies on it).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
