import { describe, expect, it } from 'vitest';
import { sparklineArea, sparklinePath } from './sparklinePath.js';

describe('sparklinePath', () => {
  it('scales from zero to the maximum across the width', () => {
    expect(sparklinePath([0, 5, 10], 100, 20)).toBe('M0,20L50,10L100,0');
  });

  it('draws all-zero data on the baseline and ignores nonsense', () => {
    expect(sparklinePath([0, 0], 10, 8)).toBe('M0,8L10,8');
    expect(sparklinePath([Number.NaN, 4, -3], 10, 8)).toBe('M0,8L5,0L10,8');
  });

  it('needs two values', () => {
    expect(sparklinePath([1], 10, 10)).toBe('');
    expect(sparklineArea([], 10, 10)).toBe('');
  });

  it('closes the area to the baseline', () => {
    expect(sparklineArea([1, 1], 10, 4)).toBe('M0,0L10,0L10,4L0,4Z');
  });
});
