import { createLogger, errorFields, repeatedWarning, scrub } from './logger';

function collect(level: 'error' | 'debug' = 'debug') {
  const lines: string[] = [];
  return { logger: createLogger({ destinations: [{ level, write: (line) => lines.push(line) }] }), lines };
}

describe('the logger', () => {
  it('writes one JSON object per line, with the level as a word, a time, the bindings and the fields', () => {
    const { logger, lines } = collect();
    logger.child({ component: 'sync' }).info({ runId: 3 }, 'sync run finished');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      pid: process.pid,
      hostname: expect.any(String),
      component: 'sync',
      runId: 3,
      msg: 'sync run finished',
    });
  });

  it('writes each destination the lines at or above its level', () => {
    const all: string[] = [];
    const errors: string[] = [];
    const logger = createLogger({
      destinations: [
        { level: 'debug', write: (l) => all.push(l) },
        { level: 'error', write: (l) => errors.push(l) },
      ],
    });
    logger.debug('a');
    logger.error('b');
    expect(all.map((l) => JSON.parse(l).msg)).toEqual(['a', 'b']);
    expect(errors.map((l) => JSON.parse(l).msg)).toEqual(['b']);
  });

  it('censors personal keys at the top level and one level down', () => {
    const { logger, lines } = collect();
    logger.info({ plateNumber: '苏E12345', vehicle: { idNumber: '320502199001011234', axles: 3 }, variables: { p: 'x' } }, 'x');
    expect(JSON.parse(lines[0])).toMatchObject({ plateNumber: '[redacted]', vehicle: { idNumber: '[redacted]', axles: 3 }, variables: '[redacted]' });
  });

  it("logs an error's class, code, message and stack, scrubbed, and none of a driver's row details", () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint (苏E12345) for 320502199001011234, 13912345678'), {
      code: '23505',
      detail: 'Key (plate_number)=(苏E12345) already exists.',
      parameters: ['苏E12345'],
    });
    const fields = errorFields(new Error('upsert failed', { cause: driverError }));
    expect(fields).toMatchObject({ type: 'Error', message: 'upsert failed', cause: { type: 'Error', code: '23505' } });
    const text = JSON.stringify(fields);
    expect(text).not.toMatch(/苏|E12345|320502199001011234|13912345678|detail|parameters/);
    expect((fields.cause as { message: string }).message).toBe('duplicate key value violates unique constraint ([redacted]) for [redacted], [redacted]');
  });

  it('scrubs what looks personal from text the hub did not write, and leaves the rest', () => {
    expect(scrub('relation "audit_event" does not exist')).toBe('relation "audit_event" does not exist');
    expect(scrub('Key (plate)=(苏E12345, 张三) 11010519491231002X tel 13912345678 at line 12345678901234')).toBe(
      'Key (plate)=([redacted], [redacted]) [redacted] tel [redacted] at line 12345678901234',
    );
  });

  it('writes a warning repeated in a tight loop once per interval, saying how many it held back', () => {
    const { logger, lines } = collect();
    const now = jest.spyOn(Date, 'now');
    try {
      const warn = repeatedWarning(logger, 'worker error', 1000);
      now.mockReturnValue(10_000);
      for (let i = 0; i < 500; i++) warn({ queue: 'exports' });
      now.mockReturnValue(11_000);
      warn({ queue: 'exports' });
      expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
        expect.objectContaining({ level: 'warn', msg: 'worker error', queue: 'exports' }),
        expect.objectContaining({ msg: 'worker error', repeated: 499 }),
      ]);
      expect(JSON.parse(lines[0])).not.toHaveProperty('repeated');
    } finally {
      now.mockRestore();
    }
  });
});
