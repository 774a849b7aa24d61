import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to loopback, port 8080, the embedded broker on 1883 and prefix icu', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ HOST: '127.0.0.1', PORT: 8080, MQTT_PORT: 1883, MQTT_PREFIX: 'icu', DATA_DIR: './data', SITE_ID: 'site-1' });
    expect(c.MQTT_URL).toBeUndefined();
    expect(c.shard).toBeNull();
  });

  it('fails at start with a message naming the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MQTT_URL: 'http://x' })).toThrow(/MQTT_URL/);
    expect(() => loadConfig({ SHARD: '3/2' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('reads SHARD as index and count, and treats empty variables as unset', () => {
    expect(loadConfig({ SHARD: '1/4' }).shard).toEqual({ index: 1, count: 4 });
    expect(loadConfig({ PORT: '' }).PORT).toBe(8080);
  });
});
