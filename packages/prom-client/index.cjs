'use strict';
// prom-client is a CommonJS package with one default registry per process; both entries of this
// package load the CommonJS build so that code using `require` and code using `import` share it.
module.exports = require('aioprometheus/prom-client');
