/**
 * Values exactly as snowflake-sdk hands them to us: built with the driver's own SfTimestamp class (the one
 * its column converters use, snowflake-sdk.md §3.4), not hand-made Dates.
 */
import { createRequire } from 'node:module';

interface SfTimestampCtor {
  new (epochSeconds: number, nanoSeconds: number, scale: number, timezone: string | number, format: string): {
    toSfDate(): Date;
  };
}

const require = createRequire(import.meta.url);
const SfTimestamp = require('snowflake-sdk/dist/lib/connection/result/sf_timestamp') as SfTimestampCtor;

/** DATE: the wire value is days since 1970-01-01; the driver builds UTC midnight. */
export function driverDate(days: number): Date {
  return new SfTimestamp(days * 86400, 0, 0, 'UTC', 'YYYY-MM-DD').toSfDate();
}

/** TIMESTAMP_NTZ: wall clock read as UTC. */
export function driverNtz(epochSeconds: number, nanos = 0): Date {
  return new SfTimestamp(epochSeconds, nanos, 9, 'UTC', 'YYYY-MM-DD HH24:MI:SS.FF3').toSfDate();
}

/** TIMESTAMP_LTZ: the instant, shown in the session TIMEZONE. */
export function driverLtz(epochSeconds: number, sessionTimezone: string, nanos = 0): Date {
  return new SfTimestamp(epochSeconds, nanos, 9, sessionTimezone, 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM').toSfDate();
}

/** TIMESTAMP_TZ: the instant plus the offset (minutes) it was written with. */
export function driverTz(epochSeconds: number, offsetMinutes: number, nanos = 0): Date {
  return new SfTimestamp(epochSeconds, nanos, 9, offsetMinutes, 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM').toSfDate();
}

/** The driver's text form of a value (what JSON.stringify and fetchAsString-like renderings give). */
export function driverText(value: Date): string {
  return JSON.parse(JSON.stringify(value)) as string;
}
