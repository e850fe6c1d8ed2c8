/**
 * `aioprometheus/exposition`: the encoders and the protobuf decoder, for code that collects
 * families itself (a custom transport, a test, a proxy). Serving code wants `render()` or the
 * endpoint transports instead.
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { parseProtobuf, renderProtobuf, renderText } from 'aioprometheus/exposition';
 * const families = await new Registry().collect();
 * const text = renderText(families);
 * const decoded = parseProtobuf(renderProtobuf(families));
 * ```
 */

export type { EscapingScheme } from '../model/names.js';
export { formatCanonical, formatFloat } from './format-number.js';
export { type OpenMetricsOptions, renderOpenMetrics } from './openmetrics.js';
export { renderProtobuf } from './protobuf.js';
export { parseProtobuf } from './protobuf-decode.js';
export { renderText } from './text.js';
