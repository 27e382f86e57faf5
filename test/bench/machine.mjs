import { cpus, totalmem } from 'node:os';

/** One line naming the machine a benchmark ran on. */
export function machine() {
  const c = cpus();
  return `${c.length} × ${c[0]?.model?.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node.js ${process.version}, ${process.platform}/${process.arch}`;
}

/** Formats a rate: 512345 → "512 k". */
export function si(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(0);
}
