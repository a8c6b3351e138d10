// docs/causes.md and the rules stay in sync: one section per cause id, holding the rule's definition.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/analyze/rules/index.js';
import { ROOT } from './helpers/cli.js';

const doc = readFileSync(join(ROOT, 'docs/causes.md'), 'utf8');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema/rstscope.schema.json'), 'utf8')) as {
  definitions: { reset: { properties: { cause: { enum: string[] } } } };
};

function section(id: string): string {
  const start = doc.indexOf(`\n## ${id}\n`);
  if (start < 0) return '';
  const next = doc.indexOf('\n## ', start + 4);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('docs/causes.md', () => {
  it.each(RULES.map((r) => [r.id, r.definition]))('has a section for %s with its definition', (id, definition) => {
    expect(section(id), `section ## ${id}`).toContain(definition);
  });

  it('documents exactly the cause ids of the output schema', () => {
    const ids = schema.definitions.reset.properties.cause.enum;
    for (const id of ids) expect(section(id), id).not.toBe('');
    expect(new Set([...RULES.map((r) => r.id), 'unknown'])).toEqual(new Set(ids));
  });
});
