import type { InternalIncident } from '../../src/core/contracts.js';
import type { InputConfig } from '../../src/core/correlate/select-input.js';

// The story the annotator tests share: backstage's Go Live button starts resetting at T0, in
// Europe, where backstage records and streams through 100ms.

/** When our incident starts. */
export const T0 = '2024-04-04T20:31:00.000Z';

/** `minutes` after `iso`. */
export const at = (iso: string, minutes = 0) => new Date(Date.parse(iso) + minutes * 60_000);

/** backstage in eu-west-1, depending on 100ms for recording and RTMP streaming. */
export const backstageOn100ms: InputConfig['services'][number] = {
  name: 'backstage',
  regions: ['eu-west-1'],
  dependsOn: [{ vendor: '100ms', components: ['Recording', 'RTMP Streaming'] }],
};

/** backstage's Go Live incident INC-4211, open from T0 in Europe. */
export function goLiveIncident(over: Partial<InternalIncident> = {}): InternalIncident {
  return {
    id: 'INC-4211',
    service: 'backstage',
    title: 'Go Live button resets',
    startedAt: T0,
    resolvedAt: null,
    regions: ['eu'],
    customers: [],
    ...over,
  };
}
