import * as promClient from './index.cjs';

export * from './index.cjs';
export default promClient;
