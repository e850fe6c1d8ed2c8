/**
 * The scrape's query string: `name[]=` parameters select the families to expose, as in
 * client_golang and client_java. Parsing is bounded, so a hostile URL costs little.
 */
import type { FormatKind } from '../exposition/negotiate.js';
import { ScrapeRequestError } from './errors.js';

/** The longest query string accepted, in characters. */
export const MAX_QUERY_LENGTH = 8192;
/** The most `&`-separated parameters accepted. */
export const MAX_QUERY_PARAMS = 256;

/** What the query string asks for. */
export interface ScrapeQuery {
  /** The family names to expose; undefined exposes every family. */
  readonly names: ReadonlySet<string> | undefined;
  /**
   * A format chosen by `format=text|openmetrics|protobuf`, which wins over the Accept header:
   * links on the status page use it, since a browser cannot set Accept for a link.
   */
  readonly format: FormatKind | undefined;
}

const NAME_PARAM = 'name[]';
const FORMAT_PARAM = 'format';
const FORMATS: readonly FormatKind[] = ['text', 'openmetrics', 'protobuf'];

/**
 * Parses the part of a request URL after `?` (without the `?`). Parameters other than `name[]`
 * and `format` are ignored, since scrape configs may add their own. Throws ScrapeRequestError for a query
 * over the bounds or with a malformed percent escape.
 */
export function parseScrapeQuery(query: string): ScrapeQuery {
  if (query === '') return { names: undefined, format: undefined };
  if (query.length > MAX_QUERY_LENGTH) {
    throw new ScrapeRequestError(
      `query string of ${query.length} characters is longer than the limit of ${MAX_QUERY_LENGTH}`,
    );
  }
  const parts = query.split('&');
  if (parts.length > MAX_QUERY_PARAMS) {
    throw new ScrapeRequestError(
      `query string has ${parts.length} parameters, more than the limit of ${MAX_QUERY_PARAMS}`,
    );
  }
  let names: Set<string> | undefined;
  let format: FormatKind | undefined;
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    if (key === NAME_PARAM) {
      names ??= new Set();
      names.add(value);
    } else if (key === FORMAT_PARAM) {
      if (!FORMATS.includes(value as FormatKind)) {
        throw new ScrapeRequestError(
          `format must be text, openmetrics or protobuf (got ${JSON.stringify(value)})`,
        );
      }
      format = value as FormatKind;
    }
  }
  return { names, format };
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new ScrapeRequestError(
      `query parameter ${JSON.stringify(component)} has a malformed percent escape`,
    );
  }
}
