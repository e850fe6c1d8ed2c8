/**
 * An Express app with HTTP metrics and a timed function: `tsx examples/express.ts`, then
 * http://127.0.0.1:3000/users/1 and http://127.0.0.1:3000/metrics (PORT sets the port).
 * Published code imports from 'aioprometheus' and 'aioprometheus/express'; this file imports
 * the sources so it runs from a checkout.
 */
import express from 'express';
import { Histogram, timer } from '../src/index.js';
import { expressMetrics } from '../src/middleware/express.js';

const lookupSeconds = new Histogram({ name: 'user_lookup_seconds', help: 'Time to look a user up.' });
const findUser = timer(lookupSeconds)(async (id: string) => ({ id, name: `user ${id}` }));

const metrics = expressMetrics();
const app = express();
app.use(metrics);
app.get('/users/:id', async (req, res) => {
  res.json(await findUser(req.params.id));
});
app.use(metrics.errors);

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
