/** A Statuspage imitation for benchmarks, run as its own process; sends its base URL to the parent. */
import { createHash } from 'node:crypto';
import { startVendorServer } from '../support/vendor-server.js';
import { statuspagePayloads } from '../support/payloads.js';

const payloads = await statuspagePayloads();
const files: Record<string, string> = {
  '/api/v2/summary.json': payloads.summary,
  '/api/v2/incidents.json': payloads.incidents,
};
const etags = Object.fromEntries(
  Object.entries(files).map(([p, b]) => [p, `"${createHash('sha1').update(b).digest('hex')}"`]),
);

const server = await startVendorServer((req, res) => {
  const path = (req.url ?? '').replace(/^\/v\d+/, '');
  const body = files[path];
  if (!body) return res.writeHead(404).end();
  if (req.headers['if-none-match'] === etags[path]) return res.writeHead(304, { etag: etags[path] }).end();
  res.writeHead(200, { 'content-type': 'application/json', etag: etags[path] }).end(body);
});
process.send?.(server.baseUrl);
