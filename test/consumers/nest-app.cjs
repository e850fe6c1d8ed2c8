'use strict';
// @willsoto/nestjs-prometheus: PrometheusModule serves /metrics (with default metrics), and a
// controller counts and times its requests through metrics the module's providers inject. Plain
// JavaScript, so decorators are applied by calling them.
require('reflect-metadata');
const { Controller, Get, HttpException, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const {
  InjectMetric,
  PrometheusModule,
  makeCounterProvider,
  makeHistogramProvider,
} = require('@willsoto/nestjs-prometheus');

class HelloController {
  constructor(requests, duration) {
    this.requests = requests;
    this.duration = duration;
  }

  hello() {
    const end = this.duration.startTimer({ route: '/hello' });
    this.requests.labels('/hello', '200').inc();
    end();
    return 'hello';
  }

  fail() {
    this.requests.inc({ route: '/fail', code: '500' });
    throw new HttpException('failed', 500);
  }
}

function route(path, method) {
  const descriptor = Object.getOwnPropertyDescriptor(HelloController.prototype, method);
  Get(path)(HelloController.prototype, method, descriptor);
}
route('hello', 'hello');
route('fail', 'fail');
InjectMetric('app_requests_total')(HelloController, undefined, 0);
InjectMetric('app_request_duration_seconds')(HelloController, undefined, 1);
Controller()(HelloController);

class AppModule {}
Module({
  imports: [PrometheusModule.register()],
  controllers: [HelloController],
  providers: [
    makeCounterProvider({ name: 'app_requests_total', help: 'Requests.', labelNames: ['route', 'code'] }),
    makeHistogramProvider({ name: 'app_request_duration_seconds', help: 'Duration.', labelNames: ['route'] }),
  ],
})(AppModule);

async function main() {
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
