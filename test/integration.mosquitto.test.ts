import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { brokerPathSuite } from './helpers/broker-path.suite.js';

let mosq: Mosquitto;
brokerPathSuite("Debian's Mosquitto", {
  async env() {
    mosq = await startMosquitto({ server: 'server-pw', device: 'device-pw' });
    return { MQTT_URL: mosq.url, MQTT_USERNAME: 'server', MQTT_PASSWORD: 'server-pw', DEVICE_PASSWORD: 'device-pw' };
  },
  teardown: async () => mosq?.stop(),
});
