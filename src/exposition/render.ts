/**
 * `render()`: the one entry point every server path uses. It negotiates the format from an
 * Accept header, collects the registry and encodes the snapshot.
 */
import { REGISTRY, type Registry } from '../registry.js';
import type { MetricFamily } from './model.js';
import { type Format, negotiate } from './negotiate.js';
import { renderOpenMetrics } from './openmetrics.js';
import { renderProtobuf } from './protobuf.js';
import { renderText } from './text.js';

/**
 * A rendered exposition: the body (a string for the text formats, bytes for protobuf) and the
 * Content-Type to send it with.
 */
export interface Rendered {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly format: Format;
}

/**
 * Collects `registry` (default REGISTRY) and renders it in the format `accept` asks for: text
 * 0.0.4 (also when absent), OpenMetrics 1.0, or delimited protobuf (a Uint8Array body). Rejects
 * with the registry's CollectError when a collector fails.
 */
export async function render(registry: Registry = REGISTRY, accept?: string | null): Promise<Rendered> {
  const format = negotiate(accept, { formats: ['text', 'openmetrics', 'protobuf'] });
  const families = await registry.collect();
  return { body: encode(families, format), contentType: format.contentType, format };
}

/** Encodes collected families in a negotiated format. */
export function encode(families: readonly MetricFamily[], format: Format): string | Uint8Array {
  switch (format.kind) {
    case 'openmetrics':
      return renderOpenMetrics(families, format.escaping);
    case 'text':
      return renderText(families, format.escaping);
    case 'protobuf':
      return renderProtobuf(families, format.escaping);
  }
}
