import { classifyError } from '../../src/core/contracts.js';
import type { MinuteCount } from '../../src/core/correlate/types.js';
import { minuteOf } from '../../src/core/series.js';

/**
 * A scorer-test error builder for one day and region: `errors(service, vendor, code, from, to, perMin)`
 * gives `perMin` errors of `code` (`HTTP_503` reads as status 503) every minute from `from` to `to`
 * (hh:mm, inclusive), classified as the ingest worker classifies them.
 */
export function minuteErrors(at: (hhmm: string) => string, region: string) {
  return (service: string, vendor: string, code: string, from: string, to: string, perMin: number) => {
    const status = /^HTTP_(\d{3})$/.exec(code);
    const errorClass = classifyError(status ? { status: Number(status[1]) } : { code });
    const out: MinuteCount[] = [];
    for (let m = minuteOf(at(from)); m <= minuteOf(at(to)); m++)
      out.push({ minute: m, series: { service, vendor, region, code, errorClass }, count: perMin });
    return out;
  };
}
