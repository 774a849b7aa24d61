import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { alarmsSuite } from './helpers/alarms.suite.js';
import { brokerPathSuite, type BrokerPathSetup } from './helpers/broker-path.suite.js';

/** Each suite gets a Mosquitto of its own, so they can run side by side. */
function mosquittoSetup(): BrokerPathSetup {
  let mosq: Mosquitto;
  return {
    async env() {
      mosq = await startMosquitto({ server: 'server-pw', device: 'device-pw' });
      return { MQTT_URL: mosq.url, MQTT_USERNAME: 'server', MQTT_PASSWORD: 'server-pw', DEVICE_PASSWORD: 'device-pw' };
    },
    teardown: async () => mosq?.stop(),
  };
}

brokerPathSuite("Debian's Mosquitto", mosquittoSetup());
alarmsSuite("Debian's Mosquitto", mosquittoSetup());
