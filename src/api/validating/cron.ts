// Cron schedules as Kubernetes' CronJob controller parses them (standard five
// fields or a descriptor), returning the parser's error text.

const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

type Bounds = { min: number; max: number; names?: readonly string[] };

const fields: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** An error message, or undefined when the schedule parses. */
export function cronScheduleError(schedule: string): string | undefined {
  const spec = schedule.trim();
  if (spec === '') return 'empty spec string';
  if (spec.startsWith('@')) {
    if (descriptors.has(spec)) return undefined;
    if (spec.startsWith('@every ')) return /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))*$/.test(spec.slice(7).trim()) ? undefined : `failed to parse duration ${spec}`;
    return `unrecognized descriptor: ${spec}`;
  }
  let parts = spec.split(/\s+/);
  // A leading TZ= is the parser's own; Kubernetes rejects it separately.
  if (parts[0]?.startsWith('TZ=') || parts[0]?.startsWith('CRON_TZ=')) parts = parts.slice(1);
  if (parts.length !== 5) return `expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    const err = fieldError(parts[i] ?? '', fields[i] as Bounds, i === 2 || i === 4);
    if (err) return err;
  }
  return undefined;
}

function fieldError(field: string, b: Bounds, allowQuestion: boolean): string | undefined {
  for (const expr of field.split(',')) {
    const err = rangeError(expr, b, allowQuestion);
    if (err) return err;
  }
  return undefined;
}

function rangeError(expr: string, b: Bounds, allowQuestion: boolean): string | undefined {
  const [range = '', step, ...more] = expr.split('/');
  if (more.length > 0) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  if (range === '*' || (allowQuestion && range === '?')) {
    start = b.min;
    end = b.max;
  } else {
    const [lo = '', hi, ...rest] = range.split('-');
    if (rest.length > 0) return `too many hyphens: ${expr}`;
    const l = parseValue(lo, b);
    if (typeof l === 'string') return l;
    start = l;
    if (hi === undefined) end = step === undefined ? start : b.max;
    else {
      const h = parseValue(hi, b);
      if (typeof h === 'string') return h;
      end = h;
    }
  }
  if (step !== undefined) {
    const s = parseInt10(step);
    if (typeof s === 'string') return s;
    if (s <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

function parseValue(v: string, b: Bounds): number | string {
  const named = b.names?.indexOf(v.toLowerCase()) ?? -1;
  if (named >= 0) return named + b.min;
  return parseInt10(v);
}

function parseInt10(v: string): number | string {
  if (!/^\d+$/.test(v)) return `failed to parse int from ${v}: strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`;
  return Number(v);
}

/** Whether `tz` names an IANA zone this runtime knows. */
export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
