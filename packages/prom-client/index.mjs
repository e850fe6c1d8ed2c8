// Re-exports the CommonJS entry rather than the ESM build: one copy, hence one default registry,
// for every module that imports or requires prom-client in the process.
import promClient from './index.cjs';

export * from './index.cjs';
export default promClient;
