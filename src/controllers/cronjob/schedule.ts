// CronJob schedules: five cron fields (ranges, steps, lists, month and day
// names), the @-descriptors, and `@every <duration>` (a skiff extension).
// Times are matched on the wall clock of an IANA time zone, read through Intl.

export type Schedule = {
  /** The first schedule time strictly after `after` (ms since epoch), or undefined if none within 5 years. */
  next(after: number): number | undefined;
};

type Field = { min: number; max: number; names?: readonly string[] };
const MINUTE_F: Field = { min: 0, max: 59 };
const HOUR_F: Field = { min: 0, max: 23 };
const DOM_F: Field = { min: 1, max: 31 };
const MONTH_F: Field = { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] };
const DOW_F: Field = { min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MINUTE_MS = 60_000;
const HORIZON_MS = 5 * 366 * 24 * 3600_000;

/** Parses a schedule; throws an Error whose message says what was wrong. `timeZone` is an IANA name (default UTC). */
export function parseSchedule(spec: string, timeZone = 'UTC'): Schedule {
  let text = spec.trim();
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text);
  if (tz) {
    timeZone = tz[1]!;
    text = tz[2]!.trim();
  }
  const zone = zoneReader(timeZone);
  if (text.startsWith('@every')) return everySchedule(text.slice(6).trim());
  const expanded = text.startsWith('@') ? DESCRIPTORS[text.toLowerCase()] : text;
  if (expanded === undefined) throw new Error(`unrecognized descriptor: ${text}`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  const minutes = parseField(parts[0]!, MINUTE_F);
  const hours = parseField(parts[1]!, HOUR_F);
  const doms = parseField(parts[2]!, DOM_F);
  const months = parseField(parts[3]!, MONTH_F);
  const dows = parseField(parts[4]!, DOW_F);
  if (dows.has(7)) dows.add(0);
  // As in cron: when both day fields are restricted, a day matching either one runs.
  const domStar = parts[2]!.startsWith('*') || parts[2] === '?';
  const dowStar = parts[4]!.startsWith('*') || parts[4] === '?';
  const dayMatches = (dom: number, dow: number): boolean =>
    domStar || dowStar ? doms.has(dom) && dows.has(dow) : doms.has(dom) || dows.has(dow);

  return {
    next(after: number): number | undefined {
      let t = Math.floor(after / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      const end = after + HORIZON_MS;
      while (t <= end) {
        const w = zone(t);
        const minutesToMidnight = (24 - w.hour) * 60 - w.minute;
        if (!months.has(w.month) || !dayMatches(w.day, w.weekday)) t += minutesToMidnight * MINUTE_MS;
        else if (!hours.has(w.hour)) t += (60 - w.minute) * MINUTE_MS;
        else if (!minutes.has(w.minute)) t += MINUTE_MS;
        else return t;
      }
      return undefined;
    },
  };
}

/** The latest schedule time in (after, now], and how many were missed in between (capped at `cap`). */
export function mostRecentScheduleTime(s: Schedule, after: number, now: number, cap = 100): { time?: number; missed: number } {
  let missed = 0;
  let latest: number | undefined;
  for (let t = s.next(after); t !== undefined && t <= now; t = s.next(t)) {
    latest = t;
    if (++missed > cap) break;
  }
  if (missed <= cap) return latest === undefined ? { missed } : { time: latest, missed };
  // Too many to walk: search backwards from now in growing windows.
  for (const span of [3600_000, 86_400_000, 32 * 86_400_000, 367 * 86_400_000, HORIZON_MS]) {
    let last: number | undefined;
    for (let t = s.next(Math.max(after, now - span)); t !== undefined && t <= now; t = s.next(t)) last = t;
    if (last !== undefined) return { time: last, missed };
  }
  return { time: latest!, missed };
}

function parseField(text: string, f: Field): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined || rangeText === undefined || rangeText === '') throw new Error(`invalid cron field: ${part}`);
    let lo: number;
    let hi: number;
    if (rangeText === '*' || rangeText === '?') [lo, hi] = [f.min, f.max === 7 ? 6 : f.max];
    else {
      const [a, b, more] = rangeText.split('-');
      if (more !== undefined) throw new Error(`invalid range: ${rangeText}`);
      lo = parseValue(a!, f);
      // `5/15` means from 5 to the end.
      hi = b !== undefined ? parseValue(b, f) : stepText !== undefined ? f.max : lo;
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0 || !/^\d+$/.test(stepText ?? '1')) throw new Error(`invalid step: ${part}`);
    if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function parseValue(text: string, f: Field): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (f === MONTH_F ? 1 : 0);
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}`);
  const v = Number(text);
  if (v < f.min || v > f.max) throw new Error(`value (${v}) out of range [${f.min}, ${f.max}]`);
  return v;
}

function everySchedule(text: string): Schedule {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 1000) throw new Error(`invalid @every duration: ${text}`);
  return { next: (after) => after + ms };
}

/** Go duration strings such as `1h30m`, `90s`, `500ms`. */
function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === 0 ? undefined : total;
}

type Wall = { month: number; day: number; weekday: number; hour: number; minute: number };

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Wall-clock reader for a zone; throws for an unknown zone. */
function zoneReader(timeZone: string): (t: number) => Wall {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return (t) => {
      const d = new Date(t);
      return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
    };
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
  } catch {
    throw new Error(`unknown time zone ${timeZone}`);
  }
  return (t) => {
    const w: Wall = { month: 0, day: 0, weekday: 0, hour: 0, minute: 0 };
    for (const p of fmt.formatToParts(t)) {
      if (p.type === 'month') w.month = Number(p.value);
      else if (p.type === 'day') w.day = Number(p.value);
      else if (p.type === 'weekday') w.weekday = WEEKDAYS[p.value] ?? 0;
      else if (p.type === 'hour') w.hour = Number(p.value);
      else if (p.type === 'minute') w.minute = Number(p.value);
    }
    return w;
  };
}

/** RFC 3339 with the zone's offset, as Kubernetes writes the scheduled-timestamp annotation. */
export function formatInZone(t: number, timeZone = 'UTC'): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(t)) p[part.type] = part.value;
  const wallMs = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
  const offMin = Math.round((wallMs - Math.floor(t / 1000) * 1000) / 60_000);
  const sign = offMin < 0 ? '-' : '+';
  const abs = Math.abs(offMin);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${p['year']}-${p['month']}-${p['day']}T${p['hour']}:${p['minute']}:${p['second']}${off}`;
}
