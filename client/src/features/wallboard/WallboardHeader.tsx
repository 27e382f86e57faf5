import { ConnectionBadge } from '../../components/ConnectionBadge.js';
import { useLive } from '../../store/useLive.js';
import { WallClocks } from './WallClocks.js';

export function WallboardHeader() {
  const connection = useLive((s) => s.connection);
  return (
    <header className="wb-header">
      <div className="brand">
        <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
          <path
            d="M2 24 9 14l6 6 7-14 8 18"
            fill="none"
            stroke="currentColor"
            strokeWidth="3"
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        </svg>
        <div>
          <h1 className="brand__name">surgewatch</h1>
          <p className="brand__view">Inbound traffic by source country</p>
        </div>
      </div>
      <WallClocks />
      <ConnectionBadge connection={connection} />
    </header>
  );
}
