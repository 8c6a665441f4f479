import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { AuditUnavailableError } from '../errors';
import type { RequestAccess } from '../access/request-access';
import { RequestOperation } from '../read-kit/operation/request-operation';
import { RequestAudit, type Auditing } from './request-audit';

/**
 * Where the front sends the answer itself, it asks the request's audit before sending. The write
 * starts in `finish` (Apollo's last hook): nothing here reaches the log or the access, so the
 * parts it would need are absent, and a path that used them would fail the test.
 */
describe('RequestAudit before sending', () => {
  const audit = () => new RequestAudit({} as Auditing, {} as RequestAccess, new RequestOperation());

  it('refuses an answer whose pipeline began and whose event was never started (Apollo answered without its last hook), as changing nothing', async () => {
    const request = audit();
    request.deferWrite();
    request.begin({ query: '{ read }' });
    const refusal = await request.beforeSending();
    expect(refusal).toBeInstanceOf(AuditUnavailableError);
    expect(refusal?.effect).toBe('NONE');
    expect(request.outcome).toEqual({ outcome: 'ERROR', code: 'AUDIT_UNAVAILABLE', records: 0 });
  });

  it('says a mutation that ran without an event may have changed data', async () => {
    const operation = new RequestOperation();
    const document = parse('mutation { change }');
    operation.resolve(buildSchema('type Query { read: Int } type Mutation { change: Int }'), document, document.definitions[0] as OperationDefinitionNode, {});
    const request = new RequestAudit({} as Auditing, {} as RequestAccess, operation);
    request.deferWrite();
    request.begin({ query: 'mutation { change }' });
    request.executionStarted();
    expect((await request.beforeSending())?.effect).toBe('UNKNOWN');
  });

  it("lets the answer of a mutation whose event was committed with its effect leave: that event is the request's", async () => {
    const request = audit();
    request.deferWrite();
    request.begin({ query: 'mutation { change }' });
    request.committed();
    expect(await request.beforeSending()).toBeNull();
  });

  it('lets an answer Apollo gave before its pipeline began (a request it refuses as sent) leave: nothing ran', async () => {
    const request = audit();
    request.deferWrite();
    expect(await request.beforeSending()).toBeNull();
  });

  it('has nothing to say where the front does not send the answer itself', async () => {
    expect(await audit().beforeSending()).toBeNull();
  });
});
