/**
 * Content negotiation from a scrape's Accept header, after client_golang's `NegotiateAccept`:
 * entries are tried in order of q-value (ties keep header order) and the first supported one
 * wins; nothing supported means text 0.0.4. The Prometheus 3 `escaping=` parameter decides how
 * names outside the legacy set are exposed (`underscores` when absent or unknown) and is echoed
 * in the response Content-Type.
 */
import { ESCAPING_SCHEMES, type EscapingScheme } from '../model/names.js';
import { OPENMETRICS_CONTENT_TYPE } from './openmetrics.js';
import { TEXT_1_0_0_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './text.js';

export type { EscapingScheme } from '../model/names.js';

export type FormatKind = 'text' | 'openmetrics' | 'protobuf';

/** The outcome of negotiation: which writer to use and the Content-Type to answer with. */
export interface Format {
  readonly kind: FormatKind;
  readonly contentType: string;
  readonly escaping: EscapingScheme;
}

export const PROTOBUF_CONTENT_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

interface AcceptEntry {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
}

/** Options of `negotiate`. */
export interface NegotiateOptions {
  /** Formats the caller can produce. Default: all three. */
  readonly formats?: readonly FormatKind[];
}

/**
 * Picks the exposition format for an Accept header. A missing or empty header, or one that
 * names nothing supported, gives text 0.0.4.
 */
export function negotiate(accept?: string | null, options: NegotiateOptions = {}): Format {
  const formats = options.formats ?? ['text', 'openmetrics', 'protobuf'];
  for (const entry of parseAccept(accept ?? '')) {
    const escaping = escapingOf(entry);
    if (
      entry.type === 'application/vnd.google.protobuf' &&
      formats.includes('protobuf') &&
      entry.params.get('proto') === 'io.prometheus.client.MetricFamily' &&
      entry.params.get('encoding') === 'delimited'
    ) {
      return { kind: 'protobuf', contentType: `${PROTOBUF_CONTENT_TYPE}; escaping=${escaping}`, escaping };
    }
    const version = entry.params.get('version');
    if (entry.type === 'application/openmetrics-text' && formats.includes('openmetrics')) {
      // Without a version client_golang answers 0.0.1 (the same writer); other versions are not offered.
      if (version === '1.0.0' || version === '0.0.1' || version === undefined) {
        const contentType =
          version === '1.0.0'
            ? OPENMETRICS_CONTENT_TYPE
            : 'application/openmetrics-text; version=0.0.1; charset=utf-8';
        return { kind: 'openmetrics', contentType: `${contentType}; escaping=${escaping}`, escaping };
      }
    }
    if (entry.type === 'text/plain' && formats.includes('text')) {
      if (version === undefined || version === '0.0.4') return textFormat(TEXT_CONTENT_TYPE, escaping);
      if (version === '1.0.0') return textFormat(TEXT_1_0_0_CONTENT_TYPE, escaping);
    }
  }
  return textFormat(TEXT_CONTENT_TYPE, 'underscores');
}

function textFormat(contentType: string, escaping: EscapingScheme): Format {
  return { kind: 'text', contentType: `${contentType}; escaping=${escaping}`, escaping };
}

function escapingOf(entry: AcceptEntry): EscapingScheme {
  const value = entry.params.get('escaping');
  return value !== undefined && (ESCAPING_SCHEMES as readonly string[]).includes(value)
    ? (value as EscapingScheme)
    : 'underscores';
}

/** Parses an Accept header into entries with q > 0, highest q first, ties in header order. */
export function parseAccept(header: string): AcceptEntry[] {
  const entries: AcceptEntry[] = [];
  for (const part of header.split(',')) {
    const [rawType, ...rawParams] = part.split(';');
    const type = rawType!.trim().toLowerCase();
    if (type === '') continue;
    const params = new Map<string, string>();
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      let value = p.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      params.set(key, value);
    }
    const rawQ = params.get('q');
    const q = rawQ === undefined ? 1 : Number(rawQ);
    if (!(q > 0 && q <= 1)) continue;
    entries.push({ type, params, q });
  }
  return entries.sort((a, b) => b.q - a.q);
}
