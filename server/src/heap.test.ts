import { describe, expect, it } from 'vitest';
import { tuneHeap } from './heap.js';

describe('tuneHeap', () => {
  it('sets the growth factor unless the process was given its own', () => {
    expect(tuneHeap(['--heap-growing-percent=30'])).toBe(false);
    expect(tuneHeap(['--enable-source-maps'])).toBe(true);
  });
});
