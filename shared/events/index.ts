/** Public surface of the event payload (worker and wizard preview import from here). */
export * from './types.js';
export * from './rules.js';
export { eventAttributeValue, jsonValue, type EventValue, type EventObject } from './values.js';
export { createEventTransform, type EventTransform } from './transform.js';
export { validateEventColumns } from './columns.js';
export { EventOperationBuilder, eventWindow } from './operations.js';
