import { describe, expect, test } from 'vitest';
import {
  ackLagText,
  alertId,
  incidentRaised,
  incidentRecovered,
  incidentUpdate,
  suspectedRaised,
  suspectedUpdate,
  unreadableRaised,
  unreadableRecovered,
  vendorLink,
  type AlertSubject,
} from '../src/core/alerts/build.js';
import { quietState, stepDamper, type DamperState } from '../src/core/alerts/damper.js';
import { incidentRelevance, isAlertable } from '../src/core/alerts/relevance.js';
import { alertPayloadSchema, type AlertPayload } from '../src/core/alerts/types.js';
import type { ServiceSpec } from '../src/core/correlate/types.js';
import type { Suspect } from '../src/core/detect/suspect.js';
import type { VendorIncident } from '../src/core/model.js';
import { slackAlertMessage } from '../src/delivery/sinks/slack.js';

const T0 = Date.parse('2024-04-04T19:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const timing = { raiseAfterMs: 10 * 60_000, settleAfterMs: 15 * 60_000 };

/** Runs the damper minute by minute over `condition(minute)`; returns what it emitted, by minute. */
function run(
  condition: (minute: number) => boolean,
  minutes: number,
  options: { since?: (minute: number) => string | null; timing?: typeof timing } = {},
) {
  let state: DamperState = { ...quietState, notified: [] };
  const emitted: Array<[number, string]> = [];
  for (let m = 0; m <= minutes; m++) {
    const active = condition(m);
    const step = stepDamper(
      state,
      { active, since: active ? (options.since?.(m) ?? null) : null },
      at(m),
      options.timing ?? timing,
    );
    state = step.state;
    if (step.emit) emitted.push([m, step.emit.phase]);
  }
  return { emitted, state };
}

describe('damper (pure)', () => {
  test('raises once the condition has held raiseAfterMs, not before', () => {
    const { emitted, state } = run(() => true, 30);
    expect(emitted).toEqual([[10, 'raised']]);
    expect(state).toMatchObject({ phase: 'firing', episodeStart: iso(0) });
  });

  test('measures from the source start when it knows one (a blind span begun before the first tick)', () => {
    const { emitted } = run(() => true, 30, { since: () => iso(-8) });
    expect(emitted).toEqual([[2, 'raised']]);
  });

  test('a condition that clears before raiseAfterMs raises nothing, and a new one starts the wait over', () => {
    const { emitted } = run((m) => m < 8 || (m >= 9 && m < 18), 40);
    expect(emitted).toEqual([]);
  });

  test('recovers once the condition has stayed clear settleAfterMs', () => {
    const { emitted, state } = run((m) => m < 20, 60);
    expect(emitted).toEqual([
      [10, 'raised'],
      [35, 'recovered'],
    ]);
    expect(state).toEqual(quietState);
  });

  test('a vendor going red and green five times in an hour yields one alert and one recovery', () => {
    // Red for 4 minutes, green for 8, five times: 0–4, 12–16, 24–28, 36–40, 48–52.
    const red = (m: number) => m < 60 && m % 12 < 4;
    const { emitted } = run(red, 120, { timing: { raiseAfterMs: 0, settleAfterMs: 15 * 60_000 } });
    expect(emitted).toEqual([
      [0, 'raised'],
      [67, 'recovered'],
    ]);
  });

  test('the recovery names the episode by its start and the last time it cleared', () => {
    let state: DamperState = { ...quietState, notified: [] };
    const steps = [
      [0, true],
      [10, true],
      [12, false],
      [14, true],
      [16, false],
      [31, false],
    ] as const;
    const emits = steps.flatMap(([m, active]) => {
      const step = stepDamper(state, { active }, at(m), timing);
      state = step.state;
      return step.emit ? [step.emit] : [];
    });
    expect(emits).toEqual([
      { phase: 'raised', episodeStart: iso(0) },
      { phase: 'recovered', episodeStart: iso(0), clearSince: iso(16) },
    ]);
  });
});

const incident = (over: Partial<VendorIncident> = {}): VendorIncident => ({
  vendor: 'twilio',
  id: 'inc-1',
  title: 'Delayed SMS delivery',
  impact: 'major',
  status: 'investigating',
  kind: 'incident',
  startedAt: iso(0),
  postedAt: iso(5),
  updatedAt: iso(5),
  resolvedAt: null,
  components: ['SMS'],
  regions: ['macro:europe'],
  updates: [],
  url: 'https://status.twilio.example/incidents/inc-1',
  ...over,
});

describe('relevance (pure)', () => {
  const usOnly: ServiceSpec = {
    name: 'notify-us',
    regions: ['us-east-1'],
    dependsOn: [{ vendor: 'twilio', components: [] }],
  };
  const euSms: ServiceSpec = {
    name: 'notify-eu',
    regions: ['eu'],
    dependsOn: [{ vendor: 'twilio', components: ['SMS*'] }],
  };
  const euVoice: ServiceSpec = {
    name: 'calls-eu',
    regions: ['eu-west-1'],
    dependsOn: [{ vendor: 'twilio', components: ['Voice'] }],
  };

  test('a US-only service does not hear about an EU-only incident', () => {
    expect(incidentRelevance(incident(), [usOnly])).toEqual({ relevant: false, services: [] });
  });

  test('an EU service depending on the matching component hears about it, with its name', () => {
    expect(incidentRelevance(incident(), [usOnly, euSms])).toEqual({
      relevant: true,
      services: ['notify-eu'],
    });
  });

  test('the component filter: a service using only Voice does not hear about an SMS incident', () => {
    expect(incidentRelevance(incident(), [euVoice]).relevant).toBe(false);
    expect(incidentRelevance(incident({ components: ['Voice (EU)'] }), [euVoice]).relevant).toBe(true);
  });

  test('an incident naming no region is relevant to every dependent service', () => {
    expect(incidentRelevance(incident({ regions: [] }), [usOnly, euSms])).toEqual({
      relevant: true,
      services: ['notify-us', 'notify-eu'],
    });
  });

  test('a vendor no service depends on is not relevant', () => {
    expect(incidentRelevance(incident({ vendor: 'stripe' }), [usOnly, euSms]).relevant).toBe(false);
  });

  test('with no services configured, every watched vendor counts', () => {
    expect(incidentRelevance(incident({ vendor: 'stripe' }), [])).toEqual({ relevant: true, services: [] });
  });

  test('maintenance and resolved incidents never alert', () => {
    const now = at(60).getTime();
    expect(isAlertable(incident(), now)).toBe(true);
    expect(isAlertable(incident({ kind: 'maintenance' }), now)).toBe(false);
    expect(isAlertable(incident({ resolvedAt: iso(30) }), now)).toBe(false);
  });

  test('an incident left open without a word for over 48 h no longer alerts', () => {
    const lastWord = 5;
    expect(isAlertable(incident(), at(lastWord + 48 * 60).getTime())).toBe(true);
    expect(isAlertable(incident(), at(lastWord + 48 * 60 + 1).getTime())).toBe(false);
    // A new update brings it back.
    expect(isAlertable(incident({ updatedAt: iso(48 * 60) }), at(lastWord + 48 * 60 + 1).getTime())).toBe(
      true,
    );
  });
});

const subject: AlertSubject = {
  vendor: 'twilio',
  vendorName: 'Twilio',
  link: vendorLink('https://upcause.example.com/', 'twilio'),
};

const suspect: Suspect = {
  id: 'sus-twilio-eu-1',
  vendor: 'twilio',
  region: 'aws:eu-west-1',
  since: iso(0),
  services: ['notify-eu', 'calls-eu'],
  rule: 'multi-service',
  ratePerMin: 80,
  baselinePerMin: 2,
  ratio: 40,
  peakPerMin: 85,
  detectedAt: iso(1),
  updatedAt: iso(1),
  lastSpikeAt: iso(1),
  closedAt: null,
  vendorIncidentId: null,
  vendorPostedAt: null,
  ackLagMinutes: null,
  regionMatch: null,
};

function valid(alert: AlertPayload): AlertPayload {
  return alertPayloadSchema.parse(alert);
}

describe('alert builders (pure)', () => {
  test('vendor-unreadable raised says since when, why and for how long, and links the console page', () => {
    const alert = valid(unreadableRaised(subject, { since: iso(0), reason: 'HTTP 500', now: at(12) }));
    expect(alert).toMatchObject({
      event: 'vendor-unreadable',
      phase: 'raised',
      id: `vendor-unreadable|twilio|${iso(0)}|raised`,
      at: iso(0),
      title: 'Twilio status page unreadable for 12 min',
      unreadableSince: iso(0),
      reason: 'HTTP 500',
      minutes: 12,
      link: 'https://upcause.example.com/vendors/twilio',
    });
    expect(alert.details[0]).toBe('Unreadable since 2024-04-04 19:00 UTC: HTTP 500');
  });

  test('vendor-unreadable recovered says how long it was unreadable in all', () => {
    const alert = valid(unreadableRecovered(subject, { since: iso(0), until: iso(95) }));
    expect(alert.title).toBe('Twilio status page readable again, after 1 h 35 min');
    expect(alert.details).toEqual([
      'Unreadable from 2024-04-04 19:00 UTC to 2024-04-04 20:35 UTC: 1 h 35 min in all.',
    ]);
    expect(alert.minutes).toBe(95);
  });

  test('vendor-incident raised names the incident and the services it touches', () => {
    const alert = valid(incidentRaised(subject, incident(), ['notify-eu'], iso(5)));
    expect(alert.title).toBe("Twilio incident: 'Delayed SMS delivery'");
    expect(alert.details).toEqual([
      'Impact major, status investigating, posted 2024-04-04 19:05 UTC',
      'Regions: Europe',
      'Components: SMS',
      'Our services depending on it: notify-eu',
      'https://status.twilio.example/incidents/inc-1',
    ]);
    expect(alert.vendorIncident).toMatchObject({ id: 'inc-1', impact: 'major', postedAt: iso(5) });
    expect(alert.services).toEqual(['notify-eu']);
  });

  test('vendor-incident update and recovery ids stay within the episode; an update per incident', () => {
    const a = incidentUpdate(subject, incident({ id: 'inc-2', title: 'SMS errors in Germany' }), [], iso(5));
    expect(valid(a).title).toBe("Twilio posted another incident: 'SMS errors in Germany'");
    expect(a.id).toBe(`vendor-incident|twilio|${iso(5)}|update|inc-2`);
    const r = valid(incidentRecovered(subject, { episodeStart: iso(5), until: iso(50), incidents: 2 }));
    expect(r.title).toBe('Twilio resolved its 2 incidents touching us');
    expect(r.id).toBe(`vendor-incident|twilio|${iso(5)}|recovered`);
  });

  test('suspected raised gives region, services, rate vs baseline and since', () => {
    const alert = valid(suspectedRaised(subject, suspect));
    expect(alert).toMatchObject({
      id: 'suspected|sus-twilio-eu-1|raised',
      at: iso(0),
      region: 'aws:eu-west-1',
      services: ['notify-eu', 'calls-eu'],
      ratePerMin: 80,
      baselinePerMin: 2,
      suspectId: 'sus-twilio-eu-1',
    });
    expect(alert.title).toMatch(/^Suspected Twilio issue in .+: our errors ×40 their baseline$/);
    expect(alert.details[0]).toBe('Errors on calls to Twilio: 80/min vs a baseline of 2/min');
    expect(alert.details).toContain('Twilio has posted nothing about it yet');
  });

  test('suspected update says when the vendor posted, relative to our errors', () => {
    const linked = { ...suspect, vendorIncidentId: 'inc-1', vendorPostedAt: iso(25), ackLagMinutes: 25 };
    const alert = valid(
      suspectedUpdate(subject, linked, incident({ postedAt: iso(25) }), {
        incident: 'inc-1',
        ackLagMinutes: 25,
      }),
    );
    expect(alert.title).toBe("Twilio posted 'Delayed SMS delivery', 25 min after our errors showed it");
    expect(alert).toMatchObject({
      phase: 'update',
      ackLagMinutes: 25,
      id: 'suspected|sus-twilio-eu-1|update|inc-1',
    });
    expect(ackLagText(-3)).toBe('3 min before our errors showed it');
    expect(ackLagText(0)).toBe('as our errors showed it');
  });

  test('ids are deterministic and bounded even for very long incident ids', () => {
    const long = 'x'.repeat(1000);
    expect(alertId('vendor-incident', 'twilio', iso(5), 'update', long)).toBe(
      alertId('vendor-incident', 'twilio', iso(5), 'update', long),
    );
    expect(alertId('vendor-incident', 'twilio', iso(5), 'update', long).length).toBeLessThanOrEqual(512);
    // Vendor text of emoji cut at either half of a pair keeps whole characters (the id reaches sinks).
    for (const pad of ['', 'x']) {
      const id = alertId('vendor-incident', 'twilio', iso(5), 'update', pad + '😀'.repeat(600));
      expect(id.length).toBeLessThanOrEqual(512);
      expect(id).toMatch(/😀#[0-9a-f]{64}$/);
      expect(id).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(vendorLink(undefined, 'twilio')).toBeNull();
  });
});

describe('Slack rendering of alerts (pure)', () => {
  test('header with the emoji of event and phase, details as bullets, the console link and a context line', () => {
    const alert = incidentRaised(
      subject,
      incident({ title: 'SMS <!channel> & <https://evil.example|click>' }),
      ['notify-eu'],
      iso(5),
    );
    const message = slackAlertMessage(alert);
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const [header, details, link, context] = message.blocks;
    expect(header?.type === 'header' && header.text.text).toMatch(/^:rotating_light: Twilio incident: /);
    // Vendor prose cannot mention a channel or make a link, in the blocks or the notification text.
    const detailsText = details?.type === 'section' ? details.text.text : '';
    expect(detailsText.split('\n')[0]).toBe(
      '• Impact major, status investigating, posted 2024-04-04 19:05 UTC',
    );
    expect(message.text).toBe(
      "Twilio incident: 'SMS &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;'",
    );
    expect(JSON.stringify(message.blocks.slice(1))).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(link?.type === 'section' && link.text.text).toBe(
      '<https://upcause.example.com/vendors/twilio|Open Twilio in upcause>',
    );
    expect(context?.type === 'context' && context.elements[0]?.text).toBe(
      `vendor-incident · raised · Twilio · ${iso(5)} · upcause`,
    );
  });

  test('a recovery shows a check mark, an update a speech balloon', () => {
    const recovered = slackAlertMessage(unreadableRecovered(subject, { since: iso(0), until: iso(20) }));
    expect(JSON.stringify(recovered.blocks[0])).toContain(
      ':white_check_mark: Twilio status page readable again',
    );
    const update = slackAlertMessage(incidentUpdate(subject, incident({ id: 'inc-2' }), [], iso(5)));
    expect(JSON.stringify(update.blocks[0])).toContain(':speech_balloon: Twilio posted another incident');
  });
});
