import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PATH, renderReference } from '../scripts/gen-docs.js';

describe('documentation', () => {
  it('docs/reference.md matches the catalogue, schemas and configuration (run npm run docs after changing them)', () => {
    expect(readFileSync(REFERENCE_PATH, 'utf8')).toBe(renderReference());
  });
});
