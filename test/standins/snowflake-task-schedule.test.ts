/** Task schedules (reference §5.1): interval forms, cron with a time zone, and the errors for bad ones. */
import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule } from '../../standins/snowflake/engine/tasks/schedule.js';

const at = (iso: string) => new Date(iso);

describe('task schedules', () => {
  it('parses the interval forms the docs show and counts from the resume time', () => {
    for (const [text, ms] of [['60 MINUTE', 3_600_000], ['5 MINUTES', 300_000], ['15 SECONDS', 15_000], ['10 m', 600_000], ['1 HOUR', 3_600_000]] as const) {
      expect(parseSchedule(text), text).toEqual({ kind: 'interval', ms });
    }
    const base = at('2026-01-01T10:00:00Z');
    const every = parseSchedule('60 MINUTE');
    expect(nextRun(every, base, base)).toEqual(at('2026-01-01T11:00:00Z'));
    expect(nextRun(every, at('2026-01-01T12:30:00Z'), base)).toEqual(at('2026-01-01T13:00:00Z'));
  });

  it('finds the next cron time in UTC and in another time zone', () => {
    const hourly = parseSchedule('USING CRON 7 * * * * UTC');
    expect(nextRun(hourly, at('2026-03-10T10:07:00Z'), at('2026-03-10T00:00:00Z'))).toEqual(at('2026-03-10T11:07:00Z'));
    expect(nextRun(hourly, at('2026-03-10T10:06:59Z'), at('2026-03-10T00:00:00Z'))).toEqual(at('2026-03-10T10:07:00Z'));
    // 9:18 on Sundays in Los Angeles (docs example): Sunday 2026-03-15 is PDT (UTC-7).
    const la = parseSchedule('USING CRON 18 9-17 * * SUN America/Los_Angeles');
    expect(nextRun(la, at('2026-03-11T00:00:00Z'), at('2026-03-11T00:00:00Z'))).toEqual(at('2026-03-15T16:18:00Z'));
    const steps = parseSchedule('USING CRON */15 2 1 JAN,FEB * UTC');
    expect(nextRun(steps, at('2026-01-01T02:15:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(at('2026-01-01T02:30:00Z'));
    expect(nextRun(steps, at('2026-01-01T02:45:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(at('2026-02-01T02:00:00Z'));
  });

  it('refuses schedules Snowflake refuses: no time zone, bad fields, bad units', () => {
    for (const text of ['USING CRON 7 * * * *', 'USING CRON 61 * * * * UTC', 'USING CRON 7 * * * * Mars/Base', '0 MINUTES', '5 DAYS', 'hourly', '10m']) {
      expect(() => parseSchedule(text), text).toThrow(expect.objectContaining({ code: '002061' }));
    }
  });
});
