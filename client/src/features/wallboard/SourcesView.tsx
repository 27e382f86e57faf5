import { TopTable } from './TopTable.js';
import { useTopRows } from './useWallboardData.js';
import { WorldMap } from './WorldMap.js';

const ROWS = 9;

/** Where the traffic comes from: the world map and the source networks. */
export function SourcesView({ onDrill }: { onDrill?: ((country: string) => void) | undefined }) {
  const asns = useTopRows('asn', ROWS);
  return (
    <>
      <WorldMap onDrill={onDrill} />
      <TopTable
        title="Top source networks"
        sub="AS now (5 s average) · distinct sources · change vs its own normal"
        keyLabel="Network"
        rows={asns}
        testId="asn-table"
      />
    </>
  );
}
