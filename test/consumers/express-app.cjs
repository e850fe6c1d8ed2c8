'use strict';
// express-prom-bundle as its README sets it up: request durations by method, path and status, and
// the exposition at /metrics of the same app.
const express = require('express');
const promBundle = require('express-prom-bundle');

const app = express();
app.use(promBundle({ includeMethod: true, includePath: true, promClient: { collectDefaultMetrics: {} } }));
app.get('/hello', (_request, response) => {
  response.send('hello');
});
app.get('/fail', (_request, response) => {
  response.status(500).send('failed');
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write('listening\n');
});
