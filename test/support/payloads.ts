import { hasSharedFixtures, readOwn, readShared } from './fixtures.js';

/**
 * A Statuspage summary + incidents pair to serve from a local server: the recorded GitHub payloads
 * when the shared fixtures are present, else the repo's own small ones written from the API docs.
 */
export async function statuspagePayloads(): Promise<{ summary: string; incidents: string; source: string }> {
  if (hasSharedFixtures) {
    return {
      summary: await readShared('real/statuspage/githubstatus_summary_2026-07-31.json'),
      incidents: await readShared('real/statuspage/githubstatus_incidents_2026-07-31.json'),
      source: 'recorded GitHub payloads',
    };
  }
  return {
    summary: await readOwn('statuspage/summary-from-docs.json'),
    incidents: await readOwn('statuspage/incidents-from-docs.json'),
    source: 'payloads written from the Statuspage API docs',
  };
}
