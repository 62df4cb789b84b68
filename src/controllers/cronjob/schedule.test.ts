import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInZone, mostRecentScheduleTime, parseSchedule } from './schedule.ts';

const at = (s: string): number => Date.parse(s);
const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

test('every minute, every 5 minutes, ranges with steps', () => {
  assert.equal(iso(parseSchedule('* * * * *').next(at('2026-01-01T10:00:30Z'))), '2026-01-01T10:01:00.000Z');
  assert.equal(iso(parseSchedule('*/5 * * * *').next(at('2026-01-01T10:00:00Z'))), '2026-01-01T10:05:00.000Z');
  assert.equal(iso(parseSchedule('10-20/5 * * * *').next(at('2026-01-01T10:16:00Z'))), '2026-01-01T10:20:00.000Z');
  assert.equal(iso(parseSchedule('10-20/5 * * * *').next(at('2026-01-01T10:20:00Z'))), '2026-01-01T11:10:00.000Z');
  assert.equal(iso(parseSchedule('5/20 * * * *').next(at('2026-01-01T10:46:00Z'))), '2026-01-01T11:05:00.000Z');
  assert.equal(iso(parseSchedule('0,30 9 * * *').next(at('2026-01-01T09:30:00Z'))), '2026-01-02T09:00:00.000Z');
});

test('names for months and weekdays, and the day-of-month/day-of-week rule', () => {
  // 2026-01-01 is a Thursday.
  assert.equal(iso(parseSchedule('0 0 * * MON-FRI').next(at('2026-01-02T12:00:00Z'))), '2026-01-05T00:00:00.000Z');
  assert.equal(iso(parseSchedule('0 0 1 feb *').next(at('2026-01-02T00:00:00Z'))), '2026-02-01T00:00:00.000Z');
  assert.equal(iso(parseSchedule('0 0 * * 7').next(at('2026-01-01T00:00:00Z'))), '2026-01-04T00:00:00.000Z');
  // Both restricted: either matches (the 15th or a Monday).
  assert.equal(iso(parseSchedule('0 0 15 * 1').next(at('2026-01-01T00:00:00Z'))), '2026-01-05T00:00:00.000Z');
  // Day of month restricted, weekday star: only the 15th.
  assert.equal(iso(parseSchedule('0 0 15 * *').next(at('2026-01-01T00:00:00Z'))), '2026-01-15T00:00:00.000Z');
  assert.equal(iso(parseSchedule('0 0 30 2 *').next(at('2026-01-01T00:00:00Z'))), undefined);
});

test('descriptors and @every', () => {
  const t0 = at('2026-03-10T10:20:00Z');
  assert.equal(iso(parseSchedule('@hourly').next(t0)), '2026-03-10T11:00:00.000Z');
  assert.equal(iso(parseSchedule('@daily').next(t0)), '2026-03-11T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@weekly').next(t0)), '2026-03-15T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@monthly').next(t0)), '2026-04-01T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@yearly').next(t0)), '2027-01-01T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@every 1h30m').next(t0)), '2026-03-10T11:50:00.000Z');
});

test('time zones read the wall clock of the zone', () => {
  // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
  const s = parseSchedule('0 9 * * *', 'America/New_York');
  assert.equal(iso(s.next(at('2026-01-10T00:00:00Z'))), '2026-01-10T14:00:00.000Z');
  assert.equal(iso(s.next(at('2026-07-10T00:00:00Z'))), '2026-07-10T13:00:00.000Z');
  assert.equal(iso(parseSchedule('CRON_TZ=Asia/Tokyo 0 0 * * *').next(at('2026-01-10T00:00:00Z'))), '2026-01-10T15:00:00.000Z');
  assert.equal(formatInZone(at('2026-01-10T14:00:00Z'), 'America/New_York'), '2026-01-10T09:00:00-05:00');
  assert.equal(formatInZone(at('2026-01-10T14:00:00Z')), '2026-01-10T14:00:00Z');
});

test('invalid schedules are rejected with a reason', () => {
  for (const bad of ['* * * *', '60 * * * *', '* * * * * *', '5-1 * * * *', '*/0 * * * *', '@fortnightly', 'x * * * *']) {
    assert.throws(() => parseSchedule(bad), Error, bad);
  }
  assert.throws(() => parseSchedule('* * * * *', 'Mars/Olympus'), /unknown time zone/);
});

test('mostRecentScheduleTime counts missed runs and finds the latest quickly', () => {
  const s = parseSchedule('* * * * *');
  const t0 = at('2026-01-01T00:00:00Z');
  assert.deepEqual(mostRecentScheduleTime(s, t0, t0 + 30_000), { missed: 0 });
  assert.deepEqual(mostRecentScheduleTime(s, t0, t0 + 3 * 60_000 + 5), { time: t0 + 3 * 60_000, missed: 3 });
  const far = mostRecentScheduleTime(s, t0, t0 + 30 * 86_400_000 + 90_000);
  assert.equal(far.time, t0 + 30 * 86_400_000 + 60_000);
  assert.ok(far.missed > 100);
});
