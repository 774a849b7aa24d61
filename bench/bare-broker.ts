// The bare pipe's far end, as a child process: an aedes broker and one MQTT.js subscriber that only
// parses JSON. It prints "ready PORT" and, on stdin "count", the number of messages parsed.
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const broker = await Aedes.createBroker();
const server = createServer(broker.handle);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
let parsed = 0;
sub.on('message', (_t, m) => {
  JSON.parse(m.toString('utf8'));
  parsed++;
});
await sub.subscribeAsync('icu/#', { qos: 1 });
console.log(`ready ${port}`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'count') console.log(`count ${parsed}`);
  if (line === 'rss') console.log(`rss ${process.memoryUsage().rss}`);
  if (line === 'exit') process.exit(0);
});
