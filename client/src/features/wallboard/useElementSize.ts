import { useCallback, useRef, useState } from 'react';

export interface Size {
  width: number;
  height: number;
}

/**
 * The content-box size of an element in whole CSS pixels, followed with a ResizeObserver:
 * null until it has been measured. Attach the returned ref callback to the element.
 */
export function useElementSize<T extends Element>(): [(el: T | null) => void, Size | null] {
  const [size, setSize] = useState<Size | null>(null);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const width = Math.round(entry.contentRect.width);
      const height = Math.round(entry.contentRect.height);
      // same size, same object: no re-render
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    });
    observer.current.observe(el);
  }, []);
  return [ref, size];
}
