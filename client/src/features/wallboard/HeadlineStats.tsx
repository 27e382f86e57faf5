import { StatCard } from '../../components/StatCard.js';
import { bitRateParts, flowRateParts, formatCount, packetRateParts } from '../../format/format.js';
import { useHeadline } from './useWallboardData.js';

/** The four headline numbers: mean of the last 5 complete seconds, trend against the minute before. */
export function HeadlineStats() {
  const { current, change, spark } = useHeadline();
  return (
    <div className="stats">
      <StatCard
        label="Traffic"
        value={bitRateParts(current.bps)}
        change={change.bps}
        spark={spark.bps}
        colour="#77AADD"
        testId="total-bps"
      />
      <StatCard
        label="Packets"
        value={packetRateParts(current.pps)}
        change={change.pps}
        spark={spark.pps}
        colour="#99DDFF"
        testId="total-pps"
      />
      <StatCard
        label="Flows"
        value={flowRateParts(current.fps)}
        change={change.fps}
        spark={spark.fps}
        colour="#44BB99"
        testId="total-fps"
      />
      <StatCard
        label="Distinct sources"
        value={{ value: formatCount(current.sources), unit: 'per second' }}
        change={change.sources}
        spark={spark.sources}
        colour="#EEDD88"
        testId="total-sources"
      />
    </div>
  );
}
