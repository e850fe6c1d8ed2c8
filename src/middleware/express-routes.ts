/**
 * The route template of an Express request, built from the patterns of the layers it went
 * through: `app.use('/tenant/:tid', router)` + `router.get('/items/:id')` gives
 * `/tenant/:tid/items/:id`, never the tenant id that `req.baseUrl` holds.
 *
 * Express keeps no record of the mount patterns a request passed, and it restores `req.baseUrl`
 * when an error leaves a router, so neither can be read once the response ends. Each router's
 * mount and route layers are therefore wrapped (on the layer instance, once) to note the pattern
 * when a counted request enters them and to forget it when the request leaves through `next`.
 * The template is fixed when a route starts handling the request, so the request counter, the
 * duration histogram and the exception counter all read the same value.
 *
 * Where a pattern cannot be written as a template (a RegExp mount or route, or a layer whose
 * pattern Express does not keep), the request has no template and counts under the unmatched
 * route.
 */
import { HttpInstrumentation } from './core.js';

/** Marks a request whose routing is tracked, shared by every copy of the library. */
const ROUTING = Symbol.for('aioprometheus.express.routing');
/** Marks a layer already wrapped, so a second copy of the library does not wrap it again. */
const WRAPPED = Symbol.for('aioprometheus.express.layer');

/** A mount the request is inside: the URL prefix it consumed and that prefix's template. */
interface Mount {
  readonly raw: string;
  /** Undefined once any pattern on the way could not be written as a template. */
  readonly template: string | undefined;
}

/** The routing state of one request. */
interface Routing {
  /** From the outermost (where the metrics middleware runs) to the innermost. */
  readonly mounts: Mount[];
  /** The template of the route handling the request; undefined while none is. */
  route: string | undefined;
}

type Next = (error?: unknown) => void;
type Dispatch = (this: ExpressLayer, req: RoutedRequest, res: unknown, next: Next) => unknown;

/** The parts of an Express 4 / router 2 layer this module reads. */
interface ExpressLayer {
  readonly handle?: unknown;
  readonly route?: { readonly path?: unknown } | undefined;
  /** The pattern as given (router 2, Express 5); Express 4 keeps only the compiled RegExp. */
  readonly rawPath?: unknown;
  readonly matchers?: readonly ((path: string) => unknown)[];
  readonly regexp?: { readonly fast_slash?: boolean };
  [WRAPPED]?: true;
  [method: string]: unknown;
}

interface RoutedRequest {
  baseUrl?: string;
  url?: string;
  app?: { readonly router?: unknown; readonly _router?: unknown };
  [ROUTING]?: Routing;
}

/** Router 2 names the dispatch methods in camelCase, Express 4 in snake_case. */
const DISPATCH_METHODS = ['handleRequest', 'handle_request'] as const;

/** How far each router's stack has been wrapped, so a request re-checks only new layers. */
const wrappedUpTo = new WeakMap<object, number>();

/** Starts tracking the routing of a counted request: wraps the layers of the app's router. */
export function trackRouting(req: object): void {
  const request = req as RoutedRequest;
  if (request[ROUTING] !== undefined) return;
  // Metrics installed inside a mounted sub-app start below a prefix whose pattern they never saw.
  const base = request.baseUrl ?? '';
  request[ROUTING] = { mounts: [{ raw: base, template: base === '' ? '' : undefined }], route: undefined };
  wrapRouter(appRouter(request));
}

/**
 * A sub-app (`app.use(path, otherApp)`) hides its router inside the function Express mounts, but
 * it sets `req.next` as it starts routing, with `req.app` already switched to it: watching that
 * assignment wraps its router before its first layer runs. Only requests entering a sub-app
 * pay for the watch.
 */
function watchSubApp(req: RoutedRequest): void {
  if (Object.getOwnPropertyDescriptor(req, 'next')?.set !== undefined) return;
  let next = (req as { next?: unknown }).next;
  Object.defineProperty(req, 'next', {
    configurable: true,
    enumerable: true,
    get: () => next,
    set(this: RoutedRequest, value: unknown) {
      next = value;
      wrapRouter(appRouter(this));
    },
  });
}

/** The route template of a request, or undefined when no route handles it (or it has none). */
export function routeTemplateOf(req: object): string | undefined {
  return (req as RoutedRequest)[ROUTING]?.route;
}

function appRouter(req: RoutedRequest): unknown {
  const app = req.app;
  return app === undefined ? undefined : (app.router ?? app._router);
}

function isRouter(handle: unknown): handle is { readonly stack: unknown[] } {
  return typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack);
}

/** Express 4 and 5 both mount a sub-app through a function of this name. */
function isSubApp(handle: unknown): boolean {
  return typeof handle === 'function' && handle.name === 'mounted_app';
}

function wrapRouter(router: unknown): void {
  if (!isRouter(router)) return;
  const { stack } = router;
  if (wrappedUpTo.get(router) === stack.length) return;
  for (const layer of stack) {
    if (typeof layer === 'object' && layer !== null) wrapLayer(layer as ExpressLayer);
  }
  wrappedUpTo.set(router, stack.length);
}

function wrapLayer(layer: ExpressLayer): void {
  if (layer[WRAPPED] === true) return;
  layer[WRAPPED] = true;
  const isRoute = typeof layer.route === 'object' && layer.route !== null;
  // Middleware mounted at `/` consumes nothing and holds no routes: it stays untouched.
  if (!isRoute && !isRouter(layer.handle) && isSlash(layer)) return;
  const name = DISPATCH_METHODS.find((method) => typeof layer[method] === 'function');
  if (name === undefined) return;
  const dispatch = layer[name] as Dispatch;
  layer[name] = isRoute ? enterRoute(dispatch) : enterMount(dispatch);
}

function isSlash(layer: ExpressLayer): boolean {
  return layer.rawPath === '/' || (layer.rawPath === undefined && layer.regexp?.fast_slash === true);
}

/** Wraps a mount layer: notes its template while the request is inside it. */
function enterMount(dispatch: Dispatch): Dispatch {
  return function mountDispatch(this: ExpressLayer, req, res, next) {
    const routing = req[ROUTING];
    if (routing === undefined) return dispatch.call(this, req, res, next);
    if (isRouter(this.handle)) wrapRouter(this.handle);
    else if (isSubApp(this.handle)) watchSubApp(req);
    const depth = routing.mounts.length;
    const parent = routing.mounts[depth - 1] as Mount;
    const raw = req.baseUrl ?? '';
    const consumed = raw.startsWith(parent.raw) ? raw.slice(parent.raw.length) : undefined;
    const own = consumed === undefined ? undefined : patternTemplate(this, consumed, true);
    routing.mounts.push({
      raw,
      template: parent.template === undefined || own === undefined ? undefined : parent.template + own,
    });
    return dispatch.call(this, req, res, (error?: unknown) => {
      routing.mounts.length = depth;
      next(error);
    });
  };
}

/** Wraps a route layer: fixes the request's template when the route takes the request. */
function enterRoute(dispatch: Dispatch): Dispatch {
  return function routeDispatch(this: ExpressLayer, req, res, next) {
    const routing = req[ROUTING];
    if (routing === undefined) return dispatch.call(this, req, res, next);
    const mount = routing.mounts[routing.mounts.length - 1] as Mount;
    const own = patternTemplate(this, HttpInstrumentation.pathOf(req.url), false);
    const previous = routing.route;
    routing.route =
      mount.raw === (req.baseUrl ?? '') && mount.template !== undefined && own !== undefined
        ? mount.template + own
        : undefined;
    return dispatch.call(this, req, res, (error?: unknown) => {
      // A route that passes the request on without answering did not handle it; one that
      // fails keeps it, so the failure is counted under the route that failed.
      const passedOn = error === undefined || error === null || error === 'route' || error === 'router';
      if (passedOn && !(res as { headersSent?: boolean }).headersSent) routing.route = previous;
      next(error);
    });
  };
}

/**
 * The template of the pattern a layer matched `path` with: the string as written (a mount
 * without its trailing slash, as Express leaves it out of `baseUrl`), or undefined for a RegExp
 * or a pattern Express did not keep.
 */
function patternTemplate(layer: ExpressLayer, path: string, mount: boolean): string | undefined {
  if (mount && isSlash(layer)) return '';
  const pattern = matchedPattern(layer, path);
  if (typeof pattern !== 'string') return undefined;
  if (!mount) return pattern;
  return pattern === '/' ? '' : pattern.replace(/\/+$/, '');
}

function matchedPattern(layer: ExpressLayer, path: string): unknown {
  const pattern = layer.rawPath ?? (layer.route === undefined ? undefined : layer.route.path);
  if (!Array.isArray(pattern)) return pattern;
  const matchers = layer.matchers;
  if (matchers === undefined || matchers.length !== pattern.length) return undefined;
  for (let i = 0; i < pattern.length; i++) {
    try {
      if (matchers[i]?.(path)) return pattern[i];
    } catch {
      // A value that does not decode matches no alternative; the request then has no template.
    }
  }
  return undefined;
}
