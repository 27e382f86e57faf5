import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './defaultRules.js';
import { rulesSchema } from './rules.js';

describe('default rules', () => {
  it('are valid', () => {
    expect(rulesSchema.parse(DEFAULT_RULES)).toHaveLength(DEFAULT_RULES.length);
  });
});
