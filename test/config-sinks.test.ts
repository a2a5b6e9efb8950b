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
            secret: 'a-secret-of-16-chars',
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
        secret: 'a-secret-of-16-chars',
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
    expect(message).toContain('sinks[0].secret: expected a secret of at least 16 characters');
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
        { type: 'webhook', name: 'hook', url: 'https://h.example.com', secret: 'a-secret-of-16-chars' },
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
    ).toContain('sinks[0].secret: a whsec_ secret must be whsec_ followed by base64');
    expect(
      configError({
        ...base,
        sinks: [{ type: 'slack', name: 's', url: 'https://hooks.slack.com/x', channel: '#ops' }],
      }),
    ).toMatch(/sinks\[0\]: .*channel/);
  });
});
