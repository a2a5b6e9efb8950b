import { describe, expect, test } from 'vitest';
import { parseTimeline } from '../src/core/time/timeline.js';

describe('parseTimeline()', () => {
  test('a Statuspage incident page gives one entry per update, oldest first, with its label', () => {
    const page = [
      'Elevated errors',
      'Incident Report for Example',
      'Resolved',
      'This incident has been resolved.',
      'Posted Mar 10, 2024 - 03:15 EDT',
      'Investigating',
      'We are investigating elevated errors.',
      'Posted Mar 09, 2024 - 23:50 EST',
      'This incident affected: API.',
    ].join('\n');
    expect(parseTimeline(page)).toEqual([
      {
        at: '2024-03-10T04:50:00.000Z',
        text: 'Investigating: We are investigating elevated errors.',
        status: 'investigating',
      },
      // 03:15 on the night New York springs forward is already EDT: the label and the rules agree.
      {
        at: '2024-03-10T07:15:00.000Z',
        text: 'Resolved: This incident has been resolved.',
        status: 'resolved',
      },
    ]);
  });

  test("times inside an update are read against that update's post and zone", () => {
    const page = [
      'Identified',
      'A restart is needed. The maintenance will begin @ 2:00pm CST and last 15 minutes.',
      'We will post another update at 2:45.',
      'Posted Jan 29, 2024 - 19:32 UTC',
    ].join('\n');
    expect(parseTimeline(page)).toEqual([
      expect.objectContaining({ at: '2024-01-29T19:32:00.000Z', status: 'identified' }),
      {
        at: '2024-01-29T20:00:00.000Z',
        text: 'The maintenance will begin @ 2:00pm CST and last 15 minutes.',
      },
      // No zone written: the CST just before it carries; 2:45 is the afternoon, after the post.
      { at: '2024-01-29T20:45:00.000Z', text: 'We will post another update at 2:45.' },
    ]);
  });

  test('a prose postmortem carries the date and zone forward and keeps each sentence', () => {
    const text = [
      'On 3/1/2024, 11:40pm Pacific Time, a deploy started.',
      'At 11:55 PT, errors rose. At 12:20 PT, the deploy was rolled back.',
      'Impact window (11:55 PT to 12:20 PT): calls failed with 503.',
    ].join('\n\n');
    expect(parseTimeline(text)).toEqual([
      { at: '2024-03-02T07:40:00.000Z', text: 'On 3/1/2024, 11:40pm Pacific Time, a deploy started.' },
      { at: '2024-03-02T07:55:00.000Z', text: 'At 11:55 PT, errors rose.' },
      {
        at: '2024-03-02T07:55:00.000Z',
        end: '2024-03-02T08:20:00.000Z',
        text: 'Impact window (11:55 PT to 12:20 PT): calls failed with 503.',
      },
      // Past midnight: 12:20 after 11:55 pm is the next day's 00:20, not the noon before.
      { at: '2024-03-02T08:20:00.000Z', text: 'At 12:20 PT, the deploy was rolled back.' },
    ]);
  });

  test('dates without a clock time frame the times after them but are not entries', () => {
    const text = 'Thursday, January 25, 2024\n• At approximately 9:33am EST, customers reported errors.';
    expect(parseTimeline(text)).toEqual([
      { at: '2024-01-25T14:33:00.000Z', text: 'At approximately 9:33am EST, customers reported errors.' },
    ]);
  });

  test('the reference dates year-less times; a text with no dates gives no entries', () => {
    expect(
      parseTimeline('Aug 11, 09:35 UTC: errors began.', { reference: new Date('2023-08-17T00:00:00Z') }),
    ).toEqual([{ at: '2023-08-11T09:35:00.000Z', text: 'Aug 11, 09:35 UTC: errors began.' }]);
    expect(parseTimeline('Aug 11, 09:35 UTC: errors began.')).toEqual([]);
    expect(parseTimeline('We are investigating.')).toEqual([]);
  });

  test('a zone hint reads times written without a zone', () => {
    expect(parseTimeline('Jan 5, 2024 10:00: errors began.', { zoneHint: 'Asia/Kolkata' })).toEqual([
      { at: '2024-01-05T04:30:00.000Z', text: 'Jan 5, 2024 10:00: errors began.' },
    ]);
  });
});
