import type { SinkConfig } from '../../config.js';
import { createOpsgenieSink } from './opsgenie.js';
import { createPagerDutySink } from './pagerduty.js';
import { createSlackSink } from './slack.js';
import type { Sink, SinkHttpOptions } from './types.js';
import { createWebhookSink } from './webhook.js';

/** Builds the configured sinks (secrets stay inside them; only names reach logs). */
export function createSinks(configs: ReadonlyArray<SinkConfig>, http: SinkHttpOptions = {}): Sink[] {
  return configs.map((config) => {
    switch (config.type) {
      case 'webhook':
        return createWebhookSink(config, http);
      case 'slack':
        return createSlackSink(config, http);
      case 'pagerduty':
        return createPagerDutySink(config, http);
      case 'opsgenie':
        return createOpsgenieSink(config, http);
    }
  });
}
