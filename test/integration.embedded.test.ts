import { brokerPathSuite } from './helpers/broker-path.suite.js';
import { alarmsSuite } from './helpers/alarms.suite.js';

brokerPathSuite('the embedded aedes broker', { env: () => ({}) });
alarmsSuite('the embedded aedes broker', { env: () => ({}) });
