import { afterAll, describe, expect, it } from 'vitest';
import { statuspageProvider } from '../providers/statuspage.js';
import { createDetectContext } from '../src/http/detect.js';
import { createHttpClient } from '../src/http/client.js';
import { hasSharedFixtures, readOwn, readShared } from './support/fixtures.js';
import { startVendorServer } from './support/vendor-server.js';

const http = createHttpClient({
  timeoutMs: 2000,
  maxBodyBytes: 2 * 1024 * 1024,
  userAgent: 'upcause-test',
  allowPrivateNetworks: true,
});
afterAll(() => http.close());

/** Serves `pages` by exact path (404 HTML elsewhere) and runs the Statuspage detector on `path`. */
async function detectOn(pages: Record<string, string>, path = '') {
  const server = await startVendorServer((req, res) => {
    const page = pages[req.url ?? ''];
    if (page === undefined)
      return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404</html>');
    res.writeHead(200, { 'content-type': page.startsWith('{') ? 'application/json' : 'text/html' }).end(page);
  });
  try {
    const detection = await statuspageProvider.detect!(createDetectContext(http, `${server.baseUrl}${path}`));
    return { detection, baseUrl: server.baseUrl, requests: server.requests.map((r) => r.path) };
  } finally {
    await server.close();
  }
}

describe('statuspageProvider.detect()', () => {
  it('recognizes summary.json with a 12-character page id at 0.95, named after the page', async () => {
    const { detection, baseUrl } = await detectOn({
      '/api/v2/summary.json': await readOwn('statuspage/summary-from-docs.json'),
    });
    expect(detection).toEqual({
      provider: 'statuspage',
      confidence: 0.95,
      url: baseUrl,
      name: 'Acme Video',
      evidence: ['/api/v2/summary.json answered in Statuspage shape with page id ac3m3v1d30x1'],
    });
  });

  it.skipIf(!hasSharedFixtures)('recognizes the recorded GitHub summary (page kctbh9vrtdwd)', async () => {
    const { detection } = await detectOn({
      '/api/v2/summary.json': await readShared('real/statuspage/githubstatus_summary_2026-07-31.json'),
    });
    expect(detection).toMatchObject({ provider: 'statuspage', confidence: 0.95, name: 'GitHub' });
  });

  it.skipIf(!hasSharedFixtures)(
    "leaves incident.io's Statuspage-compatible summary (ULIDs) to its own provider",
    async () => {
      const { detection } = await detectOn({
        '/api/v2/summary.json': await readShared(
          'real/incidentio/openai_statuspage_compat_summary_2026-07-09.json',
        ),
        '/': '<html><body>Powered by incident.io</body></html>',
      });
      expect(detection).toBeNull();
    },
  );

  it('returns null for ULID ids even without the shared fixtures', async () => {
    const summary = JSON.stringify({
      page: { id: '01JMDK9XYNY6RXSED6SDWW50WY', name: 'X' },
      components: [{ id: '01JMXBRMFE4MAP2BHSJNZ787WX', name: 'API', status: 'operational' }],
      status: { indicator: 'none' },
    });
    expect((await detectOn({ '/api/v2/summary.json': summary })).detection).toBeNull();
  });

  it('finds the API under the page path of a sub-page and polls from there', async () => {
    const summary = await readOwn('statuspage/summary-from-docs.json');
    const { detection, baseUrl } = await detectOn(
      { '/eu-hosting/api/v2/summary.json': summary },
      '/eu-hosting',
    );
    expect(detection).toMatchObject({ confidence: 0.95, url: `${baseUrl}/eu-hosting` });
  });

  it('falls back to the origin when the page URL points below the page', async () => {
    const summary = await readOwn('statuspage/summary-from-docs.json');
    const { detection, baseUrl, requests } = await detectOn(
      { '/api/v2/summary.json': summary },
      '/incidents/rec0rd1ngeu1',
    );
    expect(detection).toMatchObject({ confidence: 0.95, url: baseUrl });
    expect(requests).toEqual(['/incidents/rec0rd1ngeu1/api/v2/summary.json', '/api/v2/summary.json']);
  });

  it('gives a Statuspage-shaped imitator with another id 0.5', async () => {
    const summary = JSON.stringify({
      page: { id: 'page-42', name: 'Imitator' },
      status: { indicator: 'none' },
    });
    const { detection } = await detectOn({ '/api/v2/summary.json': summary });
    expect(detection).toMatchObject({ provider: 'statuspage', confidence: 0.5, name: 'Imitator' });
  });

  it('leaves a page with Statuspage markup to the HTML and feed readers when summary.json does not answer', async () => {
    const home = await readOwn('statuspage-html/index-from-docs.html');
    // 404, an HTML page with 200, and JSON of another shape: the API this provider polls is not there.
    expect((await detectOn({ '/': home })).detection).toBeNull();
    expect(
      (await detectOn({ '/': home, '/api/v2/summary.json': '<html>Sign in</html>' })).detection,
    ).toBeNull();
    expect(
      (await detectOn({ '/': home, '/api/v2/summary.json': '{"error":"not found"}' })).detection,
    ).toBeNull();
  });

  it('returns null for a server that answers 404 everywhere, a JSON API of another shape and a plain page', async () => {
    expect((await detectOn({})).detection).toBeNull();
    expect(
      (await detectOn({ '/api/v2/summary.json': '{"status":"ok","active_incidents":[]}' })).detection,
    ).toBeNull();
    expect(
      (await detectOn({ '/api/v2/summary.json': '<html>login</html>', '/': '<html>Welcome</html>' }))
        .detection,
    ).toBeNull();
  });
});
