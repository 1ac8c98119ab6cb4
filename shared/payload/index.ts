/** Public surface of the payload transform (worker and wizard preview import from here). */
export * from './types.js';
export { createTransform, transformRow, deleteOperation, attributeValue, type Row, type RowTransform } from './transform.js';
export { validateColumns, planColumns, findIdColumn, ATTRIBUTES_WARNING_THRESHOLD } from './columns.js';
export {
  suggestAttributeName,
  attributeNameProblem,
  isValidAttributeName,
  isMetadataColumn,
  isNativeAttribute,
  NATIVE_ATTRIBUTES,
  ATTRIBUTE_NAME_MAX,
} from './names.js';
export { customIdFrom, canonicalDecimal, CUSTOM_ID_MAX } from './custom-id.js';
export { STRING_MAX, ARRAY_MAX } from './values.js';
export { URL_MAX } from './urls.js';
export { EXCERPT_MAX, valueExcerpt } from './excerpt.js';
