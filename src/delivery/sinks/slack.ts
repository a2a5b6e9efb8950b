import type { AlertPayload } from '../../core/alerts/types.js';
import { renderSlack } from '../../core/digest/render.js';
import {
  candidateRef,
  headline,
  postJson,
  shownCandidates,
  sinkDefaults,
  type AnnotationPayload,
  type DeliveryPayload,
  type Sink,
  type SinkContext,
  type SinkHttpOptions,
} from './types.js';
import { clipText, escapeMrkdwn, slackLimits } from '../../core/slack-text.js';

/*
 * Slack incoming webhook (api.slack.com/messaging/webhooks): one Block Kit message per annotation
 * version: a header with the verdict, a section per top candidate with its confidence and evidence
 * bullets, the notes, and a context line with the incident id, version and annotatedAt. Alerts get a
 * header with an emoji by event and phase, their details, and a context line; the digest is rendered
 * by src/core/digest/render.ts.
 *
 * Slack has no idempotency key for incoming webhooks: if a worker dies after Slack's 200 and before
 * the delivery is recorded, the message is posted twice. The worker records right after the 2xx to
 * keep that window to one Redis write.
 */

/** The slack entry of the `sinks` config. */
export interface SlackSinkConfig {
  name: string;
  /** The incoming-webhook URL; it is itself the credential, so it is never logged. */
  url: string;
}

const HEADER_MAX = slackLimits.header;
const SECTION_MAX = slackLimits.section;

export { escapeMrkdwn };

const emoji: Record<AnnotationPayload['verdict'], string> = {
  upstream: ':rotating_light:',
  unclear: ':grey_question:',
  internal: ':house:',
};

/** Slack Block Kit object: only what we send. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

/** The Block Kit message for one annotation version (pure). */
export function slackMessage(payload: AnnotationPayload): { text: string; blocks: SlackBlock[] } {
  const title = `${emoji[payload.verdict]} ${payload.incident}: ${headline(payload)}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clipText(title, HEADER_MAX), emoji: true } },
  ];
  for (const c of payload.candidates.slice(0, shownCandidates)) {
    const head = `*${escapeMrkdwn(c.vendor)}*, ${escapeMrkdwn(candidateRef(c))}: confidence *${Math.round(c.confidence * 100)}%*`;
    const bullets = c.evidence.map((e) => `• ${escapeMrkdwn(e)}`);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clipText([head, ...bullets].join('\n'), SECTION_MAX) },
    });
  }
  const more = payload.candidates.length - shownCandidates;
  if (more > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `_${more} more candidate${more === 1 ? '' : 's'}_` },
    });
  }
  if (payload.notes.length > 0) {
    const notes = payload.notes.map((n) => `• ${escapeMrkdwn(n)}`).join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clipText(`*Notes*\n${notes}`, SECTION_MAX) },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: escapeMrkdwn(
          `Incident ${payload.incident} · annotation v${payload.version} · verdict since ${payload.annotatedAt} · upcause`,
        ),
      },
    ],
  });
  // `text` is the notification and screen-reader fallback.
  return { text: escapeMrkdwn(`${payload.incident}: ${headline(payload)}`), blocks };
}

const alertEmoji: Record<AlertPayload['event'], string> = {
  suspected: ':mag:',
  'vendor-incident': ':rotating_light:',
  'vendor-unreadable': ':see_no_evil:',
};
const phaseEmoji: Record<Exclude<AlertPayload['phase'], 'raised'>, string> = {
  update: ':speech_balloon:',
  recovered: ':white_check_mark:',
};
const phaseWord: Record<AlertPayload['phase'], string> = {
  raised: 'raised',
  update: 'update',
  recovered: 'recovered',
};

/** The Block Kit message for one alert (pure); every vendor word is escaped. */
export function slackAlertMessage(alert: AlertPayload): { text: string; blocks: SlackBlock[] } {
  const emojiText = alert.phase === 'raised' ? alertEmoji[alert.event] : phaseEmoji[alert.phase];
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clipText(`${emojiText} ${alert.title}`, HEADER_MAX), emoji: true },
    },
  ];
  if (alert.details.length > 0) {
    const lines = alert.details.map((d) => `• ${escapeMrkdwn(d)}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clipText(lines, SECTION_MAX) } });
  }
  if (alert.link) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `<${escapeMrkdwn(alert.link)}|Open ${escapeMrkdwn(alert.vendorName)} in upcause>`,
      },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: escapeMrkdwn(
          `${alert.event} · ${phaseWord[alert.phase]} · ${alert.vendorName} · ${alert.at} · upcause`,
        ),
      },
    ],
  });
  return { text: escapeMrkdwn(alert.title), blocks };
}

/** The Slack message of any payload. */
function messageOf(payload: DeliveryPayload): { text: string; blocks: unknown[] } {
  switch (payload.type) {
    case 'annotation':
      return slackMessage(payload);
    case 'alert':
      return slackAlertMessage(payload);
    case 'digest':
      return renderSlack(payload);
  }
}

/**
 * Answers of an incoming webhook that no retry can change (Slack's documented webhook errors): 410
 * `channel_is_archived` (the channel was archived) and 404 `no_service` (the webhook was disabled or
 * removed). The sink is disabled at once.
 */
export function slackGoneReason(status: number, body: string): string | null {
  if (status === 410 || body === 'channel_is_archived')
    return `Slack answered ${status} ${body || 'Gone'}: the webhook's channel was archived`;
  if (body === 'no_service')
    return `Slack answered ${status} no_service: the incoming webhook was disabled or removed`;
  return null;
}

/** The Slack incoming-webhook sink. */
export function createSlackSink(config: SlackSinkConfig, http: SinkHttpOptions = {}): Sink {
  return {
    name: config.name,
    type: 'slack',
    timeoutMs: http.timeoutMs ?? sinkDefaults.timeoutMs,
    async deliver(payload: DeliveryPayload, _ctx: SinkContext) {
      const { status } = await postJson(http, {
        baseUrl: config.url,
        path: '',
        body: JSON.stringify(messageOf(payload)),
        headers: {},
        what: `slack sink ${config.name}`,
        goneReason: slackGoneReason,
      });
      return { kind: 'delivered', status };
    },
  };
}
