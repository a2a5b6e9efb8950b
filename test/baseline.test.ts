import { describe, expect, test } from 'vitest';
import {
  baselineAt,
  baselineOf,
  baselines,
  classWeights,
  commonRegion,
  indexCells,
  rateVsBaseline,
  regionOfLabel,
  spikeThreshold,
  type MinuteCounts,
} from '../src/core/detect/baseline.js';
import { classifyError } from '../src/core/contracts.js';
import type { Series } from '../src/core/series.js';

const T0 = Math.floor(Date.parse('2024-04-04T20:00:00Z') / 60_000);

function series(over: Partial<Series>): Series {
  return {
    service: 'api',
    vendor: 'x',
    region: 'eu-west-1',
    code: 'HTTP_502',
    errorClass: 'server',
    ...over,
  };
}

describe('baseline statistics', () => {
  test('baselineOf() gives median, MAD and mean of a window', () => {
    expect(baselineOf([1, 2, 2, 3, 10])).toEqual({ median: 2, mad: 1, mean: 3.6, minutes: 5 });
    expect(baselineOf([1, 2, 3, 4])).toMatchObject({ median: 2.5, mad: 1 });
    expect(baselineOf([])).toEqual({ median: 0, mad: 0, mean: 0, minutes: 0 });
  });

  test('baselineAt() uses only the minutes before the one judged', () => {
    const values = [2, 2, 2, 2, 100];
    expect(baselineAt(values, 4, 60)).toMatchObject({ median: 2, minutes: 4 });
    expect(baselineAt(values, 4, 2)).toMatchObject({ median: 2, minutes: 2 });
  });

  test('the median ignores a spike shorter than half the window', () => {
    const window = Array.from({ length: 60 }, (_, i) => (i >= 40 && i < 52 ? 80 : 2));
    const b = baselineOf(window);
    expect(b.median).toBe(2);
    expect(b.mad).toBe(0);
    expect(b.mean).toBeGreaterThan(17); // the mean would not: why the detector uses the median
  });

  test('spikeThreshold() is the highest of factor, margin, MAD and absolute floor', () => {
    const bar = { factor: 4, above: 10, minRate: 10, madK: 4 };
    expect(spikeThreshold({ median: 2, mad: 0, mean: 2, minutes: 60 }, bar)).toBe(12); // median + above
    expect(spikeThreshold({ median: 20, mad: 0, mean: 20, minutes: 60 }, bar)).toBe(80); // factor
    expect(spikeThreshold({ median: 0, mad: 0, mean: 0, minutes: 60 }, bar)).toBe(10); // minRate
    expect(spikeThreshold({ median: 20, mad: 20, mean: 20, minutes: 60 }, bar)).toBeCloseTo(
      20 + 4 * 1.4826 * 20,
    );
  });

  test('rateVsBaseline() floors a silent baseline at one error a minute', () => {
    expect(rateVsBaseline(160, { median: 4 })).toBe(40);
    expect(rateVsBaseline(6, 0)).toBe(6);
    expect(rateVsBaseline(1, 3)).toBe(0.3);
  });
});

describe('what counts against a vendor', () => {
  test('client errors count nothing, unclassified codes half, 5xx, timeouts, resets and 429s fully', () => {
    expect(classWeights[classifyError({ status: 401 })]).toBe(0);
    expect(classWeights[classifyError({ code: 'INVALID_CREDENTIALS' })]).toBe(0);
    expect(classWeights[classifyError({ status: 422 })]).toBe(0);
    expect(classWeights[classifyError({ code: '1026' })]).toBe(0.5);
    expect(classWeights[classifyError({ status: 503 })]).toBe(1);
    expect(classWeights[classifyError({ code: 'ETIMEDOUT' })]).toBe(1);
    expect(classWeights[classifyError({ code: 'ECONNRESET' })]).toBe(1);
    expect(classWeights[classifyError({ status: 429 })]).toBe(1);
  });

  test('indexCells() sums classes of one service, vendor and region with their weights', () => {
    const minutes: MinuteCounts[] = [
      {
        minute: T0,
        counts: [
          { series: series({ code: 'HTTP_502' }), count: 10 },
          { series: series({ code: 'ETIMEDOUT', errorClass: 'timeout' }), count: 4 },
          { series: series({ code: 'HTTP_401', errorClass: 'client' }), count: 50 },
          { series: series({ code: '1026', errorClass: 'unknown' }), count: 10 },
          // The same region written as a canonical id lands in the same cell.
          { series: series({ region: 'aws:eu-west-1' }), count: 1 },
        ],
      },
    ];
    const { cells } = indexCells(minutes, T0 - 1, T0);
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ service: 'api', vendor: 'x', region: 'aws:eu-west-1' });
    expect(Array.from(cells[0]!.values)).toEqual([0, 10 + 4 + 5 + 1]);
  });

  test('a bucket of client errors only makes no cell at all', () => {
    const minutes: MinuteCounts[] = [
      { minute: T0, counts: [{ series: series({ code: 'HTTP_403', errorClass: 'client' }), count: 500 }] },
    ];
    expect(indexCells(minutes, T0, T0).cells).toEqual([]);
  });
});

describe('regions', () => {
  test('regionOfLabel() canonicalizes what callers write; unreadable or empty is global', () => {
    expect(regionOfLabel('eu-west-1')).toBe('aws:eu-west-1');
    expect(regionOfLabel('Europe')).toBe('macro:europe');
    expect(regionOfLabel('')).toBe('global');
    expect(regionOfLabel('rack 7b')).toBe('global');
  });

  test('commonRegion() is the most specific region containing all', () => {
    expect(commonRegion(['aws:eu-west-1'])).toBe('aws:eu-west-1');
    expect(commonRegion(['aws:eu-west-1', 'aws:eu-central-1'])).toBe('macro:europe');
    expect(commonRegion(['aws:eu-central-1', 'gcp:europe-west3'])).toBe('city:frankfurt');
    expect(commonRegion(['aws:eu-west-1', 'aws:us-east-1'])).toBe('global');
    expect(commonRegion([])).toBe('global');
  });
});

describe('baselines()', () => {
  // 60 minutes at 2/min for a service in eu-west-1 and 3/min for one in eu-central-1, then the judged
  // minute at 20 and 30; the minute being filled (30 more) must be left out.
  const minutes: MinuteCounts[] = [];
  for (let m = T0 - 60; m <= T0 + 1; m++) {
    const late = m >= T0;
    minutes.push({
      minute: m,
      counts: [
        { series: series({ service: 'a', region: 'eu-west-1' }), count: late ? 20 : 2 },
        { series: series({ service: 'b', region: 'eu-central-1' }), count: late ? 30 : 3 },
        { series: series({ service: 'b', vendor: '', region: 'eu-central-1' }), count: 1 },
      ],
    });
  }
  const result = baselines({ minutes, now: new Date((T0 + 1) * 60_000 + 10_000) });

  test('judges the last complete minute against the 60 before it', () => {
    expect(result.minute).toBe(T0);
    const a = result.vendorRegion.find((r) => r.vendor === 'x' && r.region === 'aws:eu-west-1');
    expect(a).toMatchObject({ ratePerMin: 20, ratio: 10, baseline: { median: 2, minutes: 60 } });
  });

  test('services in eu-west-1 and eu-central-1 both count toward Europe and global', () => {
    const europe = result.vendorRegion.find((r) => r.vendor === 'x' && r.region === 'macro:europe');
    expect(europe).toMatchObject({ ratePerMin: 50, baseline: { median: 5 } });
    const global = result.vendorRegion.find((r) => r.vendor === 'x' && r.region === 'global');
    expect(global?.ratePerMin).toBe(50);
    expect(result.vendorRegion.some((r) => r.vendor === '')).toBe(false);
  });

  test('per service counts every vendor, including errors with no vendor named', () => {
    const b = result.service.find((r) => r.service === 'b');
    expect(b).toMatchObject({ ratePerMin: 31, baseline: { median: 4 } });
  });
});
