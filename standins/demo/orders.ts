/**
 * The demo's second sync: `orders`, an event sync (issue 16) next to the `customers` profile sync. Its source is
 * a table of orders (one row = one event on the profile of its CUSTOMER_ID) behind a view, which the demo's
 * administrator creates empty with the target schema; `init --sync orders --kind event …` adds the sync to the
 * project (its own APPEND_ONLY stream and task, the shared pool, image, integration and secret); orders placed
 * between the two runs become Batch events
 * (`purchase`, `refund`) on the same profiles the customers sync fills. Exported so the demo's test checks that
 * exactly these events arrived.
 */
import type { StoredProfile } from '../batch/index.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

export const ORDERS_SYNC = 'orders';
export const ORDERS_TABLE = 'DEMO_DB.PUBLIC.ORDERS';
export const ORDERS_VIEW = 'DEMO_DB.PUBLIC.ORDER_EVENTS';

/** The administrator's set-up: the orders table (empty: events cannot be backfilled) and the view the sync reads. */
export async function createOrdersSource(admin: SnowflakeSession): Promise<void> {
  await admin.query(`CREATE TABLE IF NOT EXISTS ${ORDERS_TABLE} (ORDER_ID NUMBER(38,0), CUSTOMER_ID NUMBER(38,0), EVENT_NAME VARCHAR, ORDERED_AT TIMESTAMP_LTZ, AMOUNT NUMBER(10,2), CHANNEL VARCHAR)`);
  await admin.query(`CREATE OR REPLACE VIEW ${ORDERS_VIEW} AS SELECT ORDER_ID, CUSTOMER_ID, EVENT_NAME, ORDERED_AT, AMOUNT, CHANNEL FROM ${ORDERS_TABLE}`);
}

/** `init --sync orders …`: the event sync added to the project by flags, as a script would (the wizard asks the same). */
export function ordersInitArgs(projectKey: string): string[] {
  return [
    'init', '--sync', ORDERS_SYNC, '--kind', 'event', '--view', ORDERS_VIEW, '--id-column', 'CUSTOMER_ID',
    '--event-name-column', 'EVENT_NAME', '--event-time-column', 'ORDERED_AT', '--event-attribute-columns', 'ORDER_ID,AMOUNT',
    '--label-column', 'CHANNEL', '--project-key', projectKey,
  ];
}

/** Orders placed between the two runs (minutes ago, so within Batch's 24 h window). */
export const ORDERS = [
  { orderId: 5001, customerId: '7', event: 'purchase', minutesAgo: 30, amount: 129.9, channel: 'web' },
  { orderId: 5002, customerId: '7', event: 'purchase', minutesAgo: 12, amount: 18.5, channel: 'app' },
  { orderId: 5003, customerId: '1001', event: 'purchase', minutesAgo: 5, amount: 42, channel: 'web' },
  { orderId: 5001, customerId: '7', event: 'refund', minutesAgo: 2, amount: 129.9, channel: 'support' },
] as const;

export async function placeOrders(session: SnowflakeSession, say: (line: string) => void): Promise<void> {
  const rows = ORDERS.map((o) => `SELECT ${o.orderId}, ${o.customerId}, '${o.event}', DATEADD('minute', -${o.minutesAgo}, CURRENT_TIMESTAMP()), ${o.amount}, '${o.channel}'`);
  const sql = `INSERT INTO ${ORDERS_TABLE} (ORDER_ID, CUSTOMER_ID, EVENT_NAME, ORDERED_AT, AMOUNT, CHANNEL) ${rows.join(' UNION ALL ')}`;
  const result = await session.query(sql);
  say(`place ${ORDERS.length} orders (events of customers ${[...new Set(ORDERS.map((o) => o.customerId))].join(', ')}): INSERT INTO ${ORDERS_TABLE} …  → ${result.rowsAffected ?? '?'} row(s)`);
}

/** A profile's last `count` events, newest first, one line each: `name  time  attributes`. */
export function renderLastEvents(profiles: readonly StoredProfile[], ids: readonly string[], count = 3): string[] {
  const byId = new Map(profiles.map((p) => ['custom_id' in p.identifiers ? p.identifiers.custom_id : '', p]));
  const lines = ['Last events per profile (from the orders event sync):'];
  for (const id of ids) {
    const events = [...(byId.get(id)?.events ?? [])].sort((a, b) => (b.time ?? '').localeCompare(a.time ?? '')).slice(0, count);
    if (events.length === 0) lines.push(`  ${id.padEnd(5)} no event`);
    for (const [k, e] of events.entries()) {
      lines.push(`  ${(k === 0 ? id : '').padEnd(5)} ${e.name.padEnd(9)} ${e.time ?? '-'}  ${JSON.stringify(e.attributes ?? {})}`);
    }
  }
  return lines;
}
