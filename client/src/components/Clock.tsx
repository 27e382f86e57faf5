import './components.css';
/** One labelled clock: zone name, time of day and date. */
export function Clock({ zone, time, date }: { zone: string; time: string; date: string }) {
  return (
    <div className="clock">
      <span className="clock__zone">{zone}</span>
      <span className="clock__time">{time}</span>
      <span className="clock__date">{date}</span>
    </div>
  );
}
