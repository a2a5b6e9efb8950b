import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOptional, mergeById, raiseForOpen } from '../providers/support.js';
import type { VendorIncident } from '../src/core/model.js';
import { createTestHttpClient } from './support/provider-checks.js';
import { startVendorServer, type VendorServer } from './support/vendor-server.js';

const incident = (over: Partial<VendorIncident>): VendorIncident => ({
  id: 'a',
  vendor: 'v',
  kind: 'incident',
  title: 't',
  status: 'investigating',
  impact: 'major',
  startedAt: '2026-03-01T10:00:00.000Z',
  postedAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  resolvedAt: null,
  scheduledFor: null,
  scheduledUntil: null,
  components: [],
  regions: [],
  updates: [],
  url: null,
  ...over,
});

describe('raiseForOpen()', () => {
  it('raises the page indicator to an open incident of worse impact, not to a resolved one', () => {
    expect(raiseForOpen('minor', [incident({})])).toBe('major');
    expect(raiseForOpen('minor', [incident({ resolvedAt: '2026-03-01T11:00:00.000Z' })])).toBe('minor');
  });

  it('counts a maintenance while in progress or verifying, not while scheduled or completed', () => {
    const m = (status: string) => incident({ kind: 'maintenance', impact: 'none', status });
    expect(raiseForOpen('operational', [m('in_progress')])).toBe('maintenance');
    expect(raiseForOpen('operational', [m('verifying')])).toBe('maintenance');
    expect(raiseForOpen('operational', [m('scheduled')])).toBe('operational');
    expect(raiseForOpen('operational', [m('completed')])).toBe('operational');
  });

  it('weighs an open incident of unknown impact as the caller says, operational by default', () => {
    expect(raiseForOpen('operational', [incident({ impact: 'unknown' })])).toBe('operational');
    expect(raiseForOpen('operational', [incident({ impact: 'unknown' })], 'unknown')).toBe('unknown');
  });
});

describe('mergeById()', () => {
  it('keeps one copy per id, the most recently updated, in first-seen order', () => {
    const old = incident({ id: 'x', title: 'old' });
    const fresh = incident({ id: 'x', title: 'new', updatedAt: '2026-03-01T12:00:00.000Z' });
    expect(mergeById([old, incident({ id: 'y' }), fresh]).map((i) => [i.id, i.title])).toEqual([
      ['x', 'new'],
      ['y', 't'],
    ]);
  });
});

describe('getOptional() against a local server', () => {
  const http = createTestHttpClient();
  let server: VendorServer;
  beforeAll(async () => {
    server = await startVendorServer((req, res) => {
      const code = Number(req.url?.slice(1));
      res.writeHead(code, { 'content-type': 'application/json' }).end(code === 200 ? '{}' : '');
    });
  });
  afterAll(async () => {
    http.close();
    await server.close();
  });
  const get = (path: string) => http.get({ baseUrl: server.baseUrl, path });

  it('gives null for an endpoint the page does not have (404 or 410) and the response otherwise', async () => {
    expect(await getOptional({ get }, '/404')).toBeNull();
    expect(await getOptional({ get }, '/410')).toBeNull();
    expect((await getOptional({ get }, '/200'))?.body).toBe('{}');
  });

  it('lets any other failure stand', async () => {
    await expect(getOptional({ get }, '/500')).rejects.toMatchObject({ kind: 'http', status: 500 });
  });
});
