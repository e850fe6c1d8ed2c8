export * from 'aioprometheus/prom-client';
