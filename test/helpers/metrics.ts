// Reading /metrics (Prometheus text) and the list of metrics in docs/interface.md, for the tests
// that compare the two.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const INTERFACE_MD = join(resolve(fileURLToPath(import.meta.url), '..', '..', '..'), 'docs', 'interface.md');

export interface DocumentedMetric {
  type: string;
  /** Label names in the table (`name{a,b}`), sorted. */
  labels: string[];
  /** Its meaning says it exists only with the embedded broker, or only with an external one. */
  only: 'embedded' | 'external' | null;
}

/** Every metric of the tables in docs/interface.md's "Metrics" section, by name. */
export function documentedMetrics(): Map<string, DocumentedMetric> {
  const doc = readFileSync(INTERFACE_MD, 'utf8');
  const start = doc.indexOf('\n## Metrics\n');
  if (start < 0) throw new Error('docs/interface.md has no "## Metrics" section');
  const end = doc.indexOf('\n## ', start + 1);
  const out = new Map<string, DocumentedMetric>();
  for (const line of doc.slice(start, end < 0 ? undefined : end).split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [names, type, meaning] = line
      .split('|')
      .slice(1, 4)
      .map((c) => c.trim());
    const only = /^only with the embedded broker/.test(meaning)
      ? 'embedded'
      : /^only with an external broker/.test(meaning)
        ? 'external'
        : null;
    for (const m of names.matchAll(/`([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?`/g)) {
      if (out.has(m[1])) throw new Error(`${m[1]} is listed twice in docs/interface.md`);
      out.set(m[1], { type, labels: m[2] ? m[2].split(',').sort() : [], only });
    }
  }
  return out;
}

/** The `# TYPE` of every metric in a scrape, by name. */
export function metricTypes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1], m[2]);
  return out;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample line of a scrape. */
export function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** A histogram's cumulative buckets (by `le`), count and sum. */
export function histogram(text: string, name: string): { buckets: Map<string, number>; count: number; sum: number } {
  const all = samples(text);
  const one = (n: string) => {
    const s = all.find((x) => x.name === n);
    if (!s) throw new Error(`no ${n} in /metrics`);
    return s.value;
  };
  const buckets = new Map(all.filter((s) => s.name === `${name}_bucket`).map((s) => [s.labels.le, s.value]));
  return { buckets, count: one(`${name}_count`), sum: one(`${name}_sum`) };
}
