/**
 * The sandbox's view of the project's profiles after accepted calls. Upsert semantics (§1.1): an operation
 * creates the profile if no profile matches its identifier. Omitted keys keep their value, `null` deletes.
 */
import { ARRAY_MAX_ITEMS } from './attributes.js';
import { eventKey } from './events.js';
import type { ParsedOperation } from './operations.js';
import type { Identifiers, PartialError, StoredAttribute, StoredProfile } from './types.js';

const identifierKey = (identifiers: Identifiers): string =>
  'custom_id' in identifiers ? `custom_id:${identifiers.custom_id}` : `installation:${identifiers.installation}`;

const cloneAttribute = (attribute: StoredAttribute): StoredAttribute =>
  attribute.type === 'array' ? { type: 'array', value: [...attribute.value] } : { ...attribute };

export class ProfileStore {
  private readonly profiles = new Map<string, StoredProfile>();
  /** How many times each event key was accepted (1 = once; more = duplicates, e.g. resent after a crash). */
  private readonly eventKeys = new Map<string, number>();

  /** Applies the valid edits of one operation; returns the partial errors found while applying. */
  apply(operation: ParsedOperation, now: Date): PartialError[] {
    const time = now.toISOString();
    const key = identifierKey(operation.identifiers);
    let profile = this.profiles.get(key);
    if (!profile) {
      profile = { identifiers: { ...operation.identifiers }, attributes: {}, events: [], createdAt: time, updatedAt: time, updates: 0 };
      this.profiles.set(key, profile);
    }
    const errors: PartialError[] = [];
    for (const edit of operation.edits) {
      if (edit.kind === 'set') {
        profile.attributes[edit.name] = cloneAttribute(edit.attribute);
      } else if (edit.kind === 'delete') {
        delete profile.attributes[edit.name];
      } else {
        const problem = applyArrayEdit(profile, edit.name, edit.add, edit.remove);
        if (problem) errors.push({ category: 'attribute', bulk_index: operation.index, attribute: edit.name, reason: problem });
      }
    }
    for (const event of operation.events) {
      const key = eventKey('custom_id' in operation.identifiers ? operation.identifiers.custom_id : operation.identifiers.installation, event);
      profile.events.push({ key, ...event, receivedAt: time });
      this.eventKeys.set(key, (this.eventKeys.get(key) ?? 0) + 1);
    }
    profile.updatedAt = time;
    profile.updates += 1;
    return errors;
  }

  get(customId: string): StoredProfile | undefined {
    const profile = this.profiles.get(identifierKey({ custom_id: customId }));
    return profile ? structuredClone(profile) : undefined;
  }

  /** Deep copies, in first-creation order, so callers cannot alter the sandbox's state. */
  list(): StoredProfile[] {
    return [...this.profiles.values()].map((profile) => structuredClone(profile));
  }

  get size(): number {
    return this.profiles.size;
  }

  /** Events accepted in all, distinct keys, and the extra copies (total − distinct). */
  eventSummary(): { total: number; distinct: number; duplicates: number; duplicatedKeys: string[] } {
    let total = 0;
    const duplicatedKeys: string[] = [];
    for (const [key, count] of this.eventKeys) {
      total += count;
      if (count > 1 && duplicatedKeys.length < 100) duplicatedKeys.push(key);
    }
    return { total, distinct: this.eventKeys.size, duplicates: total - this.eventKeys.size, duplicatedKeys };
  }

  clear(): void {
    this.eventKeys.clear();
    this.profiles.clear();
  }
}

/**
 * `$add` appends the values not already present, `$remove` drops them. Stricter readings of undocumented
 * cases: editing a non-array attribute is an error, a result over 25 items is an error (nothing changes),
 * and removing the last item deletes the attribute (an empty array is not a valid value, §3.5).
 */
function applyArrayEdit(profile: StoredProfile, name: string, add: string[], remove: string[]): string | null {
  const current = profile.attributes[name];
  if (current && current.type !== 'array') return `cannot edit '${name}' as an array: it holds a ${current.type}`;
  const next = current ? [...current.value] : [];
  for (const value of add) if (!next.includes(value)) next.push(value);
  const result = next.filter((value) => !remove.includes(value));
  if (result.length > ARRAY_MAX_ITEMS) return `array would have more than ${ARRAY_MAX_ITEMS} items (${result.length})`;
  if (result.length === 0) delete profile.attributes[name];
  else profile.attributes[name] = { type: 'array', value: result };
  return null;
}
