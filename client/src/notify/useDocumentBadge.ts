import { useEffect } from 'react';
import { faviconFor, titleFor } from './badge.js';

/** Shows `count` (alerts needing attention) in the tab title and favicon while mounted. */
export function useDocumentBadge(count: number, baseTitle: string): void {
  useEffect(() => {
    const before = document.title;
    const link = iconLink();
    const beforeIcon = link.href;
    return () => {
      document.title = before;
      link.href = beforeIcon;
    };
  }, []);

  useEffect(() => {
    document.title = titleFor(count, baseTitle);
    iconLink().href = faviconFor(count);
  }, [count, baseTitle]);
}

function iconLink(): HTMLLinkElement {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  return link;
}
