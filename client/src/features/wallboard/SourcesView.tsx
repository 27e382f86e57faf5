import { CountryTable } from './CountryTable.js';
import { TopTable } from './TopTable.js';
import { useTopRows } from './useWallboardData.js';

const ROWS = 9;

/** Where the traffic comes from: countries and source networks. */
export function SourcesView({ colours }: { colours: Readonly<Record<string, string>> }) {
  const asns = useTopRows('asn', ROWS);
  return (
    <>
      <CountryTable colours={colours} />
      <TopTable
        title="Top source networks"
        sub="AS now (1 s) · distinct sources · change vs its own normal"
        keyLabel="Network"
        rows={asns}
        testId="asn-table"
      />
    </>
  );
}
