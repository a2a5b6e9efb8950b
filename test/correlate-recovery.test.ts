import { describe, expect, test } from 'vitest';
import { classifyError } from '../src/core/contracts.js';
import { componentSignal } from '../src/core/correlate/signal-scope.js';
import { recoverySignal, recoveryTimes } from '../src/core/correlate/signal-recovery.js';
import { errorWindow, indexErrors, vendorErrorStats } from '../src/core/correlate/signals.js';
import type { MinuteCount } from '../src/core/correlate/types.js';
import { minuteOf } from '../src/core/series.js';

const at = (hhmm: string): string => `2024-06-11T${hhmm}:00.000Z`;
const ms = (hhmm: string): number => Date.parse(at(hhmm));

function errors(code: string, from: string, to: string, perMin: number): MinuteCount[] {
  const status = /^HTTP_(\d{3})$/.exec(code);
  const errorClass = classifyError(status ? { status: Number(status[1]) } : { code });
  const out: MinuteCount[] = [];
  for (let m = minuteOf(at(from)); m <= minuteOf(at(to)); m++)
    out.push({
      minute: m,
      series: { service: 'web', vendor: '', region: 'us-east-1', code, errorClass },
      count: perMin,
    });
  return out;
}

const update = (hhmm: string, status: string, body: string) => ({ at: at(hhmm), status, body });

describe('recovering together', () => {
  test("the vendor's recovery: fixes, mitigation and monitoring count; promises and negations do not", () => {
    const times = recoveryTimes(
      {
        updates: [
          update('10:05', 'investigating', 'We are investigating errors.'),
          update('10:20', 'identified', 'We will deploy a fix once it is tested.'),
          update('10:31', 'identified', 'A fix has been implemented and errors are recovering.'),
          update('10:40', 'monitoring', 'We are monitoring.'),
        ],
        resolvedAt: at('11:10'),
      },
      ms('12:00'),
    );
    expect(times).toEqual([ms('10:31'), ms('10:40'), ms('11:10')]);
  });

  test('our errors ending within 5 min of the recovery weigh for the vendor; 6 min apart, or before it began, do not', () => {
    const v = {
      startedAt: at('10:05'),
      resolvedAt: null,
      updates: [update('10:31', 'identified', 'Mitigation is in place.')],
    };
    const now = ms('11:00');
    expect(recoverySignal('edgeco', v, minuteOf(at('10:34')), now, now)).toMatchObject({
      name: 'recovery',
      value: 0.8,
    });
    expect(recoverySignal('edgeco', v, minuteOf(at('10:37')), now, now)).toBeNull();
    expect(recoverySignal('edgeco', v, null, now, now)).toBeNull();
    expect(
      recoverySignal('edgeco', { ...v, startedAt: at('10:40') }, minuteOf(at('10:32')), now, now),
    ).toBeNull();
  });

  test('a rise is over after three quiet minutes past its last high minute, and not while it goes on', () => {
    const base = errors('HTTP_503', '08:30', '10:03', 0.3);
    const rise = errors('HTTP_503', '10:04', '10:33', 20);
    const ended = vendorErrorStats(
      indexErrors(
        [...base, ...rise, ...errors('HTTP_503', '10:34', '10:50', 0.3)],
        errorWindow(ms('10:08'), ms('10:50')),
      ),
      'web',
      'edgeco',
    );
    expect(ended.untagged.level.endedAt).toBe(minuteOf(at('10:34')));
    const going = vendorErrorStats(
      indexErrors([...base, ...rise], errorWindow(ms('10:08'), ms('10:33'))),
      'web',
      'edgeco',
    );
    expect(going.untagged.level.endedAt).toBeNull();
  });
});

describe('components that do not name products', () => {
  test("a vendor's whole network is no veto, whatever we call our part of it", () => {
    const s = componentSignal('cloudflare', ['Cloudflare Sites and Services / Network'], ['Spectrum']);
    expect(s).toMatchObject({ value: 0 });
    expect(s.veto).toBeUndefined();
  });

  test('components named after places leave it to the regions; a product elsewhere still vetoes', () => {
    const places = ['LAX', 'IAD'];
    const s = componentSignal(
      'flyio',
      ['Regional Availability / LAX - Los Angeles', 'Regional Availability / IAD - Ashburn'],
      ['private networking'],
      false,
      places,
    );
    expect(s).toMatchObject({ value: 0 });
    expect(s.evidence).toContain('name places');
    const mixed = componentSignal(
      'flyio',
      ['Regional Availability / LAX - Los Angeles', 'Dashboard'],
      ['private networking'],
      false,
      places,
    );
    expect(mixed).toMatchObject({ value: -1, veto: true });
  });
});
