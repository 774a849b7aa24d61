import { brokerPathSuite } from './helpers/broker-path.suite.js';

brokerPathSuite('the embedded aedes broker', { env: () => ({}) });
