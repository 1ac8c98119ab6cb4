/**
 * Task schedules (reference §5.1): `'<num> { HOURS | MINUTES | SECONDS }'` (also singular forms and the
 * `'10 m'` shorthand the docs show) and `'USING CRON <min> <hour> <dom> <month> <dow> <time_zone>'`.
 * The cron form requires a time zone. For interval schedules the base time is the time the task is resumed.
 */
import { SnowflakeSqlError } from '../errors.js';

export type Schedule =
  | { kind: 'interval'; ms: number }
  | { kind: 'cron'; minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>; domAny: boolean; dowAny: boolean; timeZone: string };

const UNITS: Record<string, number> = { S: 1000, SECOND: 1000, SECONDS: 1000, M: 60_000, MINUTE: 60_000, MINUTES: 60_000, H: 3_600_000, HOUR: 3_600_000, HOURS: 3_600_000 };
const DOW_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Not in the reference: the error Snowflake gives for a malformed SCHEDULE (text UNCONFIRMED). */
function invalidSchedule(text: string): SnowflakeSqlError {
  return new SnowflakeSqlError('002061', '22023', `SQL compilation error:\ninvalid value [${text}] for parameter 'SCHEDULE'`);
}

export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  // Every form in the docs has a space between the number and the unit ('10 m' included); '10m' is in none: refused.
  const interval = /^(\d+)\s+([A-Za-z]+)$/.exec(trimmed);
  if (interval) {
    const unit = UNITS[interval[2]!.toUpperCase()];
    const n = Number(interval[1]);
    if (!unit || n < 1) throw invalidSchedule(text);
    return { kind: 'interval', ms: n * unit };
  }
  const cron = /^USING\s+CRON\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/i.exec(trimmed);
  if (!cron) throw invalidSchedule(text);
  const timeZone = cron[6]!;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw invalidSchedule(text);
  }
  const field = (i: number, min: number, max: number, names: string[] = [], nameBase = 0) => {
    const set = cronField(cron[i]!, min, max, names, nameBase);
    if (!set) throw invalidSchedule(text);
    return set;
  };
  const dow = field(5, 0, 7, DOW_NAMES);
  if (dow.has(7)) dow.add(0);
  return { kind: 'cron', minute: field(1, 0, 59), hour: field(2, 0, 23), dom: field(3, 1, 31), month: field(4, 1, 12, MONTH_NAMES, 1), dow, domAny: cron[3] === '*', dowAny: cron[5] === '*', timeZone };
}

function cronField(text: string, min: number, max: number, names: string[], nameBase: number): Set<number> | null {
  const set = new Set<number>();
  const value = (v: string) => {
    const named = names.indexOf(v.toUpperCase());
    return named >= 0 ? named + nameBase : /^\d+$/.test(v) ? Number(v) : NaN;
  };
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const from = m[1] === '*' ? min : value(m[1]!);
    const to = m[2] !== undefined ? value(m[2]) : m[1] === '*' || m[3] !== undefined ? max : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (![from, to, step].every(Number.isFinite) || from < min || to > max || from > to || step < 1) return null;
    for (let v = from; v <= to; v += step) set.add(v);
  }
  return set;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoned(date: Date, timeZone: string): { minute: number; hour: number; dom: number; month: number; dow: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
  return { minute: Number(parts.minute), hour: Number(parts.hour), dom: Number(parts.day), month: Number(parts.month), dow: DOW_NAMES.indexOf(String(parts.weekday).toUpperCase()) };
}

/** The first scheduled time strictly after `after` (cron: whole minutes; interval: base + k·interval). */
export function nextRun(schedule: Schedule, after: Date, base: Date): Date {
  if (schedule.kind === 'interval') {
    const k = Math.floor((after.getTime() - base.getTime()) / schedule.ms) + 1;
    return new Date(base.getTime() + Math.max(1, k) * schedule.ms);
  }
  let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const limit = t + 366 * 86_400_000;
  while (t < limit) {
    const z = zoned(new Date(t), schedule.timeZone);
    // Standard cron: when both day fields are restricted, either one matching is enough.
    const dayOk = schedule.domAny || schedule.dowAny ? schedule.dom.has(z.dom) && schedule.dow.has(z.dow) : schedule.dom.has(z.dom) || schedule.dow.has(z.dow);
    if (!schedule.month.has(z.month) || !dayOk || !schedule.hour.has(z.hour)) {
      t += (60 - z.minute) * 60_000; // next whole hour
      continue;
    }
    if (schedule.minute.has(z.minute)) return new Date(t);
    t += 60_000;
  }
  throw new Error('cron schedule never fires within a year');
}
