import { useMemo } from 'react';
import { AlertPanel } from './AlertPanel.js';
import { MixChart } from './MixChart.js';
import { TopTable } from './TopTable.js';
import { useMix, useTopRows } from './useWallboardData.js';
import { useStableColours } from './useStableColours.js';

const ROWS = 5;

/** What is hit and how: destinations, attack vectors, the protocol/vector mix and the alerts. */
export function TargetsView() {
  const destinations = useTopRows('destination', ROWS);
  const vectors = useTopRows('vector', ROWS);
  const mix = useMix(6);
  const keys = useMemo(
    () => [...mix.protocols, ...mix.vectors, ...vectors].map((p) => p.key),
    [mix, vectors],
  );
  const colours = useStableColours(useMemo(() => [...new Set(keys)], [keys]));
  return (
    <>
      <div className="wb-col">
        <TopTable
          title="Top targets"
          sub="destination address now (5 s average) · change vs its own normal"
          keyLabel="Target"
          rows={destinations}
          testId="destination-table"
          short
        />
        <TopTable
          title="Attack vectors"
          sub="now (5 s average) · change vs its own normal"
          keyLabel="Vector"
          rows={vectors}
          testId="vector-table"
          colours={colours}
        />
      </div>
      <div className="wb-col">
        <AlertPanel max={12} />
        <MixChart protocols={mix.protocols} vectors={mix.vectors} colours={colours} />
      </div>
    </>
  );
}
