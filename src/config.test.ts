import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ databaseUrl: null, redisUrl: null, port: 4000, host: '127.0.0.1', logLevel: 'info', demoSize: 1 });
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@h:5432/db',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: '8080',
      LOG_LEVEL: 'DEBUG',
      DEMO_SIZE: '0.05',
      DEMO_SEED: '42',
      EMBEDDED_PG_PORT: '6000',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://u@h:5432/db',
      redisUrl: 'redis://127.0.0.1:6379',
      port: 8080,
      logLevel: 'debug',
      demoSize: 0.05,
      demoSeed: 42,
      embeddedPgPort: 6000,
    });
  });

  it('reads the token settings, with their defaults', () => {
    expect(loadConfig({}).oauth).toEqual({ issuer: null, accessTokenTtlSeconds: 600, revocationPollMs: 500 });
    expect(loadConfig({ OAUTH_ISSUER: 'https://hub.example.gov.cn/', ACCESS_TOKEN_TTL_SECONDS: '120', TOKEN_REVOCATION_POLL_MS: '100' }).oauth).toEqual({
      issuer: 'https://hub.example.gov.cn',
      accessTokenTtlSeconds: 120,
      revocationPollMs: 100,
    });
  });

  it('reads the metrics token, and none by default (loopback scrapes only)', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: ' 0123456789abcdef-prometheus ' }).metricsToken).toBe('0123456789abcdef-prometheus');
    // A secret is not repeated in the error (which lands in logs).
    expect(() => loadConfig({ METRICS_TOKEN: 'secret-but-short'.slice(0, 12) })).toThrow(/^((?!secret).)*$/);
  });

  it('turns GraphiQL on outside production unless told otherwise', () => {
    expect(loadConfig({}).graphiql).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).graphiql).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'on' }).graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: 'OFF' }).graphiql).toBe(false);
  });

  it('writes JSON log lines unless told to write them for humans (pino-pretty is installed here)', () => {
    expect(loadConfig({}).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'Pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty, got "xml"/);
  });

  it('traces only when an OTLP endpoint is set, to its /v1/traces, over protobuf unless JSON is asked for', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.gov.cn/otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'HTTP/JSON' }).tracing).toEqual({
      tracesUrl: 'https://otel.example.gov.cn/otlp/v1/traces',
      protocol: 'http/json',
    });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      new ConfigError('OTEL_EXPORTER_OTLP_PROTOCOL', 'must be one of http/protobuf, http/json, got "grpc"'),
    );
  });

  it("keeps the demo's fault modes as text, for the demo to read", () => {
    expect(loadConfig({}).demoFaults).toBeNull();
    expect(loadConfig({ DEMO_FAULTS: '  ' }).demoFaults).toBeNull();
    expect(loadConfig({ DEMO_FAULTS: ' {"transport":{"outage":3}} ' }).demoFaults).toBe('{"transport":{"outage":3}}');
  });

  it("names the hub's federation namespace after its agency unless told", () => {
    expect(loadConfig({}).cooperation.federationNamespace).toBe('suzhou');
    expect(loadConfig({ HUB_AGENCY: 'shanghai-transport' }).cooperation.federationNamespace).toBe('shanghai');
    expect(loadConfig({ HUB_AGENCY: 'shanghai-transport', FEDERATION_NAMESPACE: 'sh' }).cooperation.federationNamespace).toBe('sh');
  });

  it.each([
    ['FEDERATION_NAMESPACE', 'Sh_1', /FEDERATION_NAMESPACE must be lower-case letters and digits starting with a letter/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['DATABASE_URL', 'not a url', /DATABASE_URL is not a URL/],
    ['REDIS_URL', 'http://x', /REDIS_URL must start with redis:\/\//],
    ['PORT', '70000', /PORT must be a whole number from 0 to 65535, got "70000"/],
    ['PORT', 'abc', /PORT must be a whole number/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of error, warn, info, debug/],
    ['DEMO_SIZE', '0', /DEMO_SIZE must be a number from 0.001 to 10/],
    ['OAUTH_ISSUER', 'hub.example', /OAUTH_ISSUER is not a URL/],
    ['OAUTH_ISSUER', 'https://hub.example/?x=1', /OAUTH_ISSUER must have no query or fragment/],
    ['ACCESS_TOKEN_TTL_SECONDS', '5', /ACCESS_TOKEN_TTL_SECONDS must be a whole number from 30 to 86400/],
    ['TOKEN_REVOCATION_POLL_MS', '2000', /TOKEN_REVOCATION_POLL_MS must be a whole number from 20 to 500/],
    ['GRAPHIQL', 'yes', /GRAPHIQL must be on or off, got "yes"/],
    ['METRICS_TOKEN', 'short', /METRICS_TOKEN must be 16 to 256 visible ASCII characters without spaces/],
    ['METRICS_TOKEN', 'sixteen or more but spaced', /METRICS_TOKEN must be 16 to 256/],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4317', /OTEL_EXPORTER_OTLP_ENDPOINT must start with http:\/\/ or https:\/\//],
  ])('refuses %s=%s with one line naming the variable', (name, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(name);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});
