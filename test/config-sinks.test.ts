import { describe, expect, test } from 'vitest';
import { parseConfig } from '../src/config.js';
import { ConfigError } from '../src/core/errors.js';

function configError(raw: unknown): string {
  try {
    parseConfig(raw, {}, 'upcause.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const base = { vendors: [] };
/** A Standard Webhooks secret: whsec_ and the base64 of 24 or more key bytes. */
const secret = `whsec_${Buffer.from('a-webhook-key-of-32-bytes-012345').toString('base64')}`;

describe('config: sinks', () => {
  test('no sinks section means no sinks', () => {
    expect(parseConfig(base, {}, 'x').sinks).toEqual([]);
  });

  test('all four sink types parse; API URLs default and lose a trailing slash; minVerdict is kept', () => {
    const config = parseConfig(
      {
        ...base,
        sinks: [
          {
            type: 'webhook',
            name: 'ops-hook',
            url: 'https://hooks.example.com/upcause',
            secret,
          },
          {
            type: 'slack',
            name: 'slack-incidents',
            url: 'https://hooks.slack.com/services/T0/B0/X',
            minVerdict: 'upstream',
          },
          { type: 'pagerduty', name: 'pd', token: 'u+token', from: 'oncall@example.com' },
          { type: 'opsgenie', name: 'og-eu', apiKey: 'key', apiUrl: 'https://api.eu.opsgenie.com/' },
        ],
      },
      {},
      'x',
    );
    expect(config.sinks).toEqual([
      {
        type: 'webhook',
        name: 'ops-hook',
        url: 'https://hooks.example.com/upcause',
        secret,
        events: ['annotation'],
      },
      {
        type: 'slack',
        name: 'slack-incidents',
        url: 'https://hooks.slack.com/services/T0/B0/X',
        minVerdict: 'upstream',
        events: ['annotation'],
      },
      {
        type: 'pagerduty',
        name: 'pd',
        token: 'u+token',
        from: 'oncall@example.com',
        apiUrl: 'https://api.pagerduty.com',
        events: ['annotation'],
      },
      {
        type: 'opsgenie',
        name: 'og-eu',
        apiKey: 'key',
        apiUrl: 'https://api.eu.opsgenie.com',
        events: ['annotation'],
      },
    ]);
    expect(Object.isFrozen(config.sinks[0])).toBe(true);
  });

  test('errors name the sink and key: short secret, unknown type, bad email, bad URL, bad minVerdict', () => {
    const message = configError({
      ...base,
      sinks: [
        { type: 'webhook', name: 'hook', url: 'https://h.example.com', secret: 'too-short' },
        { type: 'slack', name: 'slack-1', url: 'https://hooks.slack.com/services/x' },
        { type: 'teams', name: 'teams' },
        { type: 'pagerduty', name: 'pd', token: 't', from: 'not-an-email' },
        { type: 'slack', name: 'slack', url: 'file:///etc/passwd' },
        { type: 'opsgenie', name: 'og', apiKey: 'k', minVerdict: 'vendor' },
      ],
    });
    expect(message).toContain('sinks[0].secret: expected a Standard Webhooks secret: whsec_ followed by');
    expect(message).not.toContain('sinks[1]');
    expect(message).toContain(
      'sinks[2].type: expected type to be one of webhook, slack, pagerduty, opsgenie',
    );
    expect(message).toContain('sinks[3].from: expected the email of a PagerDuty user');
    expect(message).toContain('sinks[4].url: expected an http(s) URL');
    expect(message).toMatch(/sinks\[5\]\.minVerdict: .*"upstream"/);
  });

  test('two sinks with the same name are refused, naming the second', () => {
    const message = configError({
      ...base,
      sinks: [
        { type: 'webhook', name: 'hook', url: 'https://h.example.com', secret },
        { type: 'slack', name: 'hook', url: 'https://hooks.slack.com/services/x' },
      ],
    });
    expect(message).toBe(
      'invalid configuration in upcause.yaml:\n  sinks[1].name: "hook" is used by another sink',
    );
  });

  test('a whsec_ webhook secret must carry base64 key bytes; unknown keys are refused', () => {
    expect(
      configError({
        ...base,
        sinks: [
          { type: 'webhook', name: 'h', url: 'https://h.example.com', secret: 'whsec_not base64 at all!!' },
        ],
      }),
    ).toContain('sinks[0].secret: a whsec_ secret must be whsec_ followed by standard base64');
    expect(
      configError({
        ...base,
        sinks: [{ type: 'slack', name: 's', url: 'https://hooks.slack.com/x', channel: '#ops' }],
      }),
    ).toMatch(/sinks\[0\]: .*channel/);
  });

  const webhookWith = (value: unknown) => ({
    ...base,
    sinks: [{ type: 'webhook', name: 'h', url: 'https://h.example.com', secret: value }],
  });

  test('a webhook secret may be the base64 without whsec_, or a list of secrets while rotating', () => {
    const bare = secret.slice('whsec_'.length);
    expect(parseConfig(webhookWith(bare), {}, 'x').sinks[0]).toMatchObject({ secret: bare });
    const other = `whsec_${Buffer.from('the-next-webhook-key-of-32-bytes').toString('base64')}`;
    expect(parseConfig(webhookWith([secret, other]), {}, 'x').sinks[0]).toMatchObject({
      secret: [secret, other],
    });
  });

  test('a bad webhook secret is explained: the old plain form with its migration, hex, a short key, a bad list entry', () => {
    const plain = configError(webhookWith('a-plain-passphrase-secret'));
    expect(plain).toContain('sinks[0].secret: expected a Standard Webhooks secret');
    expect(plain).toContain('to keep that key, write whsec_ followed by the old secret in base64');
    expect(configError(webhookWith('0123456789abcdef0123456789abcdef0123456789abcdef'))).toContain(
      'sinks[0].secret: this secret looks like hex',
    );
    const short = `whsec_${Buffer.alloc(16, 7).toString('base64')}`;
    expect(configError(webhookWith(short))).toContain(
      "sinks[0].secret: the secret's key is 16 bytes; Standard Webhooks asks for at least 24",
    );
    const list = configError(webhookWith([secret, 'whsec_!!']));
    expect(list).toContain('sinks[0].secret[1]: a whsec_ secret must be');
    expect(list).not.toContain('secret[0]');
    expect(configError(webhookWith([]))).toContain('sinks[0].secret: expected at least one secret');
    expect(configError(webhookWith(42))).toContain('sinks[0].secret: expected a secret (whsec_…) or a list');
  });
});
