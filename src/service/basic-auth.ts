/**
 * HTTP basic authentication for the Service, as Prometheus' exporter-toolkit does it: a map of
 * user names to bcrypt hashes, checked on every request.
 *
 * bcrypt comes from the optional peer dependency `bcryptjs`, loaded only when `basicAuth` is
 * configured. Verifying a cost-10 hash takes tens of milliseconds of CPU, and Prometheus sends
 * the same credentials on every scrape, so a successful check is remembered as a keyed digest
 * of the password and later requests compare digests in constant time. Wrong passwords are
 * never remembered: each one pays the full bcrypt cost. An unknown user is checked against a
 * dummy hash of the same cost, so response times do not reveal which users exist.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BasicAuthUnavailableError, ServiceOptionError } from './errors.js';

/** `$2a$`, `$2b$` or `$2y$`, a two-digit cost, then 53 characters of salt and hash. */
const BCRYPT_HASH = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

interface Bcrypt {
  compare(password: string, hash: string): Promise<boolean>;
  hash(password: string, rounds: number): Promise<string>;
}

/** Checks `Authorization: Basic …` headers against configured users. */
export class BasicAuthenticator {
  readonly #users: ReadonlyMap<string, string>;
  readonly #bcrypt: Bcrypt;
  readonly #dummyHash: string;
  /** Per-process key of the remembered digests, so they are useless outside this process. */
  readonly #key = randomBytes(32);
  readonly #verified = new Map<string, Buffer>();

  private constructor(users: ReadonlyMap<string, string>, bcrypt: Bcrypt, dummyHash: string) {
    this.#users = users;
    this.#bcrypt = bcrypt;
    this.#dummyHash = dummyHash;
  }

  /**
   * Checks the user table (ServiceOptionError for a hash that is not bcrypt) and loads
   * bcryptjs (BasicAuthUnavailableError when it is not installed).
   */
  static async create(users: Readonly<Record<string, string>>): Promise<BasicAuthenticator> {
    const table = checkUsers(users);
    const bcrypt = await loadBcrypt();
    const costs = [...table.values()].map((hash) => Number(BCRYPT_HASH.exec(hash)![1]));
    const dummyHash = await bcrypt.hash(randomBytes(16).toString('hex'), Math.max(...costs));
    return new BasicAuthenticator(table, bcrypt, dummyHash);
  }

  /** Whether the Authorization header carries a configured user's password. */
  async check(authorization: string | undefined): Promise<boolean> {
    const credentials = parseBasic(authorization);
    if (credentials === undefined) return false;
    const { user, password } = credentials;
    const digest = createHmac('sha256', this.#key).update(`${user}\0${password}`).digest();
    const remembered = this.#verified.get(user);
    if (remembered !== undefined && timingSafeEqual(remembered, digest)) return true;
    const hash = this.#users.get(user);
    const ok = await this.#bcrypt.compare(password, hash ?? this.#dummyHash);
    if (!ok || hash === undefined) return false;
    this.#verified.set(user, digest);
    return true;
  }
}

export function checkUsers(users: Readonly<Record<string, string>>): Map<string, string> {
  if (typeof users !== 'object' || users === null) {
    throw new ServiceOptionError('basicAuth.users', users, 'an object of user names to bcrypt hashes');
  }
  const table = new Map<string, string>();
  for (const [user, hash] of Object.entries(users)) {
    if (user === '' || user.includes(':')) {
      throw new ServiceOptionError('basicAuth.users', user, 'user names that are not empty and have no ":"');
    }
    if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) {
      throw new ServiceOptionError(
        `basicAuth.users[${JSON.stringify(user)}]`,
        hash,
        'a bcrypt hash ($2a$, $2b$ or $2y$)',
      );
    }
    table.set(user, hash);
  }
  if (table.size === 0) throw new ServiceOptionError('basicAuth.users', users, 'at least one user');
  return table;
}

async function loadBcrypt(): Promise<Bcrypt> {
  try {
    const loaded = (await import('bcryptjs')) as Partial<Bcrypt> & { default?: Partial<Bcrypt> };
    const api = typeof loaded.compare === 'function' ? loaded : loaded.default;
    if (typeof api?.compare !== 'function' || typeof api.hash !== 'function') throw new Error('no compare()');
    return { compare: api.compare.bind(api), hash: api.hash.bind(api) } as Bcrypt;
  } catch (cause) {
    throw new BasicAuthUnavailableError(cause);
  }
}

/** User and password of a Basic Authorization header (RFC 7617), or undefined. */
function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
