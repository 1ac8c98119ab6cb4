/**
 * What arrived in the Batch sandbox, read through its inspection routes (GET /_sandbox/profiles and /stats, as a
 * user of `npm run sandbox` would): a compact table of a few profiles with their typed attributes, and counts.
 */
import type { SandboxStats, StoredAttribute, StoredProfile } from '../batch/index.js';

/** Attributes shown as columns (the others are listed with their types under the table). */
const COLUMNS = ['email', 'lifetime_value', 'signup_date', 'is_subscribed', 'tags'];
const MAX_CELL = 34;

export interface ShownProfile {
  id: string;
  note: string;
}

export async function fetchProfiles(apiUrl: string): Promise<StoredProfile[]> {
  const response = await fetch(`${apiUrl}/_sandbox/profiles`);
  if (!response.ok) throw new Error(`GET /_sandbox/profiles answered ${response.status}`);
  return (await response.json()) as StoredProfile[];
}

export async function fetchStats(apiUrl: string): Promise<SandboxStats> {
  const response = await fetch(`${apiUrl}/_sandbox/stats`);
  if (!response.ok) throw new Error(`GET /_sandbox/stats answered ${response.status}`);
  return (await response.json()) as SandboxStats;
}

export const customId = (p: StoredProfile): string => ('custom_id' in p.identifiers ? p.identifiers.custom_id : p.identifiers.installation);

function cell(attribute: StoredAttribute | undefined): string {
  if (!attribute) return '–';
  const text = Array.isArray(attribute.value) ? `[${attribute.value.join(', ')}]` : String(attribute.value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** The type Batch stored for each attribute name (first seen), e.g. signup_date → date. */
function typesOf(profiles: StoredProfile[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const p of profiles) for (const [name, a] of Object.entries(p.attributes)) if (!types.has(name)) types.set(name, a.type);
  return types;
}

export function renderTable(all: StoredProfile[], shown: ShownProfile[]): string[] {
  const byId = new Map(all.map((p) => [customId(p), p]));
  const types = typesOf(all);
  const header = ['custom_id', ...COLUMNS.map((c) => `${c} (${types.get(c) ?? '?'})`), ''];
  const rows = shown.map(({ id, note }) => {
    const profile = byId.get(id);
    return [id, ...COLUMNS.map((c) => (profile ? cell(profile.attributes[c]) : 'not in Batch')), note];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd();
  const others = [...types].filter(([name]) => !COLUMNS.includes(name)).map(([name, type]) => `${name} (${type})`);
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line), `other attributes: ${others.join(', ') || 'none'}`];
}

export function renderCounts(profiles: StoredProfile[], stats: SandboxStats, viewRows: number): string[] {
  const calls = stats.update.requests + stats.massUpdate.requests;
  const operations = stats.update.acceptedOperations + stats.massUpdate.acceptedOperations;
  return [
    `Profiles in the Batch sandbox: ${profiles.length} (rows in the view now: ${viewRows})`,
    `API calls: ${calls} (${stats.update.requests} to /profiles/update), operations accepted: ${operations}, partial errors: ${stats.update.partialErrors + stats.massUpdate.partialErrors}, rate-limited: ${stats.rateLimited}`,
  ];
}
