import { describe, expect, test } from 'vitest';
import { classifyError, type ErrorClass } from '../src/core/contracts.js';

describe('classifyError() reads the class from the code when no status came with it', () => {
  const cases: [string, ErrorClass][] = [
    ['HTTP_503', 'server'],
    ['HTTP_5XX', 'server'],
    ['http_5xx', 'server'],
    ['S3_503', 'server'],
    ['UPSTREAM_502', 'server'],
    ['503', 'server'],
    ['SERVICE_UNAVAILABLE', 'server'],
    ['BAD_GATEWAY', 'server'],
    ['UNAVAILABLE', 'server'],
    ['GRPC_14', 'server'],
    ['SMTP_421', 'server'],
    ['SMTP 451', 'server'],
    ['SMTP_550', 'client'],
    ['ETIMEDOUT', 'timeout'],
    ['DEADLINE_EXCEEDED', 'timeout'],
    ['GATEWAY_TIMEOUT', 'timeout'],
    ['ECONNRESET', 'network'],
    ['ECONNREFUSED', 'network'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'network'],
    ['CERT_HAS_EXPIRED', 'network'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'network'],
    ['RESOURCE_EXHAUSTED', 'rate-limit'],
    ['TOO_MANY_REQUESTS', 'rate-limit'],
    ['HTTP_4XX', 'client'],
    ['PERMISSION_DENIED', 'client'],
    ['UNAUTHENTICATED', 'client'],
    ['INVALID_APP_KEY', 'client'],
    ['1026', 'unknown'],
    ['RTMP_START_FAILED', 'unknown'],
  ];
  test.each(cases)('%s is %s', (code, expected) => {
    expect(classifyError({ code })).toBe(expected);
  });

  test('a status, when there is one, decides over the code', () => {
    expect(classifyError({ status: 401, code: 'HTTP_503' })).toBe('client');
    expect(classifyError({ status: 504, code: 'INVALID' })).toBe('timeout');
  });
});
