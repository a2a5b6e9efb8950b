import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server saw of one request. */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/api/v2/summary.json`. */
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** A real HTTP server standing in for a vendor's status page. */
export interface VendorServer {
  /** e.g. `http://127.0.0.1:43121` (no trailing slash). */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type VendorHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Starts a node:http server on an ephemeral port that records each request, then hands it to
 * `handler`. A handler that throws answers 500. `host` defaults to 127.0.0.1.
 */
export async function startVendorServer(
  handler: VendorHandler,
  options: { host?: string } = {},
): Promise<VendorServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    try {
      handler(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`handler failed: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `http://${hostPart}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hung and keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
