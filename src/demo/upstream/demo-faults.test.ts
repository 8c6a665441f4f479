import { ConfigError } from '../../config';
import { parseDemoFaults } from './demo-faults';

describe('parseDemoFaults', () => {
  it('reads the fault modes per system, and none from nothing', () => {
    expect(parseDemoFaults(null)).toEqual({});
    expect(parseDemoFaults(' ')).toEqual({});
    const faults = '{"transport":{"serverErrorEvery":5,"repeatAcrossPages":true},"exchange":{"malformedEvery":40}}';
    expect(parseDemoFaults(faults)).toEqual({ transport: { serverErrorEvery: 5, repeatAcrossPages: true }, exchange: { malformedEvery: 40 } });
  });

  it.each([
    ['{transport', /DEMO_FAULTS is not JSON/],
    ['[1]', /DEMO_FAULTS must be a JSON object keyed by system/],
    ['{"police":{}}', /DEMO_FAULTS names an unknown system "police"/],
    ['{"transport":{"explode":1}}', /DEMO_FAULTS transport.explode is not a fault mode/],
    ['{"credit":{"serverErrorEvery":0}}', /DEMO_FAULTS credit.serverErrorEvery must be a whole number above 0/],
    ['{"registry":{"repeatAcrossPages":"yes"}}', /DEMO_FAULTS registry.repeatAcrossPages must be true or false/],
    ['{"exchange":{"serverErrorEvery":3}}', /DEMO_FAULTS exchange.serverErrorEvery is not a fault mode \(known: malformedEvery, lateEvery\)/],
    ['{"toString":{}}', /DEMO_FAULTS names an unknown system "toString"/],
    ['{"credit":{"toString":1}}', /DEMO_FAULTS credit.toString is not a fault mode/],
  ])('refuses DEMO_FAULTS=%s with one line naming the variable', (value, message) => {
    let thrown: unknown;
    try {
      parseDemoFaults(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe('DEMO_FAULTS');
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});
