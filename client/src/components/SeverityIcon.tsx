import type { Severity } from '@surgewatch/shared';

/**
 * A distinct shape per severity so it reads without colour: critical an octagon, warning a
 * triangle, info a circle, each with its mark inside.
 */
export function SeverityIcon({ severity }: { severity: Severity }) {
  return (
    <svg className={`sev-icon sev-icon--${severity}`} viewBox="0 0 24 24" aria-hidden="true">
      {severity === 'critical' && (
        <path d="M8 1.5h8l6.5 6.5v8L16 22.5H8L1.5 16V8Z" fill="currentColor" />
      )}
      {severity === 'warning' && <path d="M12 1.8 23 21.8H1Z" fill="currentColor" />}
      {severity === 'info' && <circle cx="12" cy="12" r="10.5" fill="currentColor" />}
      {severity === 'info' ? (
        <>
          <circle cx="12" cy="7.2" r="1.5" fill="#0a0e14" />
          <path d="M12 11v6.5" stroke="#0a0e14" strokeWidth="2.6" strokeLinecap="round" />
        </>
      ) : (
        <>
          <path
            d={severity === 'warning' ? 'M12 9v6' : 'M12 6.5v7'}
            stroke="#0a0e14"
            strokeWidth="2.6"
            strokeLinecap="round"
          />
          <circle cx="12" cy={severity === 'warning' ? 18.2 : 17.5} r="1.5" fill="#0a0e14" />
        </>
      )}
    </svg>
  );
}

/** Icon + the severity in words. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`sev sev--${severity}`}>
      <SeverityIcon severity={severity} />
      <span className="sev__text">{severity}</span>
    </span>
  );
}
