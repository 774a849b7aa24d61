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

  it('takes a redis:// REDIS_URL, and ADVERTISE_URL only with REDIS_URL', () => {
    const joined = { SHARD: '0/2', MQTT_URL: 'mqtt://broker:1883', DATABASE_URL: 'postgres://db/ecmo', REDIS_URL: 'redis://cache:6379' };
    expect(loadConfig(joined).REDIS_URL).toBe('redis://cache:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380' }).REDIS_URL).toBe('rediss://cache:6380');
    expect(() => loadConfig({ ...joined, REDIS_URL: 'http://cache' })).toThrow(/REDIS_URL must start with redis/);
    expect(loadConfig({ ...joined, ADVERTISE_URL: 'http://10.0.0.5:8080' }).ADVERTISE_URL).toBe('http://10.0.0.5:8080');
    expect(() => loadConfig({ ...joined, ADVERTISE_URL: 'http://10.0.0.5:8080/api' })).toThrow(/ADVERTISE_URL/);
    expect(() => loadConfig({ ADVERTISE_URL: 'http://10.0.0.5:8080' })).toThrow(/only used with REDIS_URL/);
  });
});
