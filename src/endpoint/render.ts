/**
 * `render()`: collect a registry and encode it in one piece, for callers that serve metrics
 * their own way. The metrics endpoint does the same in slices, within a deadline.
 */

import { type Format, negotiate } from '../exposition/negotiate.js';
import { renderOpenMetrics } from '../exposition/openmetrics.js';
import { renderProtobuf } from '../exposition/protobuf.js';
import { renderText } from '../exposition/text.js';
import type { MetricFamily } from '../model/family.js';
import { REGISTRY, type Registry } from '../registry.js';

/**
 * A rendered exposition: the body (a string for the text formats, bytes for protobuf) and the
 * Content-Type to send it with.
 */
export interface Rendered {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly format: Format;
}

/** Options of `render` and `encode`. */
export interface RenderOptions {
  /**
   * Write OpenMetrics `_created` samples. Default false: Prometheus without created-timestamp
   * ingestion stores each as one more series. Protobuf always carries the created timestamps.
   */
  readonly createdSamples?: boolean;
}

/**
 * Collects `registry` (default REGISTRY) and renders it in the format `accept` asks for: text
 * 0.0.4 (also when absent), OpenMetrics 1.0, or delimited protobuf (a Uint8Array body).
 *
 * @throws {CollectError} when a collector fails (the promise rejects).
 */
export async function render(
  registry: Registry = REGISTRY,
  accept?: string | null,
  options: RenderOptions = {},
): Promise<Rendered> {
  const format = negotiate(accept, { formats: ['text', 'openmetrics', 'protobuf'] });
  const families = await registry.collect();
  return { body: encode(families, format, options), contentType: format.contentType, format };
}

/** Encodes collected families in a negotiated format. */
export function encode(
  families: readonly MetricFamily[],
  format: Format,
  options: RenderOptions = {},
): string | Uint8Array {
  switch (format.kind) {
    case 'openmetrics':
      return renderOpenMetrics(families, {
        createdSamples: options.createdSamples ?? false,
        escaping: format.escaping,
      });
    case 'text':
      return renderText(families, format.escaping);
    case 'protobuf':
      return renderProtobuf(families, format.escaping);
  }
}
