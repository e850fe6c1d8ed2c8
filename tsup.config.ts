import { defineConfig } from 'tsup';

// One entry per public subpath; package.json `exports` lists the same names (checked by publint and attw).
const entries = {
  index: 'src/index.ts',
  exposition: 'src/exposition/index.ts',
  service: 'src/service/index.ts',
  push: 'src/push/index.ts',
  middleware: 'src/middleware/index.ts',
  express: 'src/middleware/express.ts',
  fastify: 'src/middleware/fastify.ts',
  koa: 'src/middleware/koa.ts',
  hono: 'src/middleware/hono.ts',
  fetch: 'src/middleware/fetch.ts',
  cluster: 'src/cluster/index.ts',
  'default-metrics': 'src/collectors/index.ts',
  'remote-write': 'src/remote-write/index.ts',
  'prom-client': 'src/compat/index.ts',
};

const common = {
  entry: entries,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
  external: ['express', 'fastify', 'koa', 'hono', 'bcryptjs'],
} as const;

export default defineConfig([
  { ...common, format: ['esm'], outDir: 'dist/esm' },
  // Splitting keeps one copy of the core (and of REGISTRY) shared by every CommonJS subpath.
  { ...common, format: ['cjs'], outDir: 'dist/cjs', splitting: true },
]);
