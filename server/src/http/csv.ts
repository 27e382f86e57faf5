/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
function field(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface SeriesTable {
  metric: string;
  times: number[];
  groups: { key: string; name: string; series: number[] }[];
}

/**
 * The traffic query as tidy CSV: one row per step and group —
 * `time,key,name,<metric>` with time as ISO 8601 UTC — ready for a spreadsheet or pandas.
 */
export function trafficCsv(t: SeriesTable): string {
  const rows = [`time,key,name,${t.metric}`];
  t.times.forEach((time, i) => {
    const iso = new Date(time).toISOString();
    for (const g of t.groups)
      rows.push([iso, field(g.key), field(g.name), g.series[i] ?? 0].join(','));
  });
  return `${rows.join('\r\n')}\r\n`;
}
