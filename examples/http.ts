/**
 * A plain node:http server with HTTP metrics and an in-progress gauge: `tsx examples/http.ts`,
 * then http://127.0.0.1:3000/users/1 and http://127.0.0.1:3000/metrics (PORT sets the port).
 * Published code imports from 'aioprometheus' and 'aioprometheus/middleware'; this file imports
 * the sources so it runs from a checkout.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Gauge, inprogress } from '../src/index.js';
import { instrumentHttp } from '../src/middleware/index.js';

const rendering = new Gauge({ name: 'pages_rendering', help: 'Pages being rendered now.' });
const renderPage = inprogress(rendering)((id: string) => JSON.stringify({ id }));

function app(req: IncomingMessage, res: ServerResponse): void {
  const match = /^\/users\/([^/?]+)/.exec(req.url ?? '');
  if (match === null) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(renderPage(match[1]!));
}

const listener = instrumentHttp(app, {
  // node:http has no router: name the route templates so raw paths never become labels.
  route: (req) => (req.url?.startsWith('/users/') ? '/users/:id' : undefined),
});
const port = Number(process.env.PORT ?? 3000);
createServer(listener).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
