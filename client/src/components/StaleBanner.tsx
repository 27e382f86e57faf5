import './components.css';
/** A full-width warning that the numbers on screen are not current. */
export function StaleBanner({ title, detail }: { title: string; detail: string }) {
  return (
    <div className="stale-banner" data-testid="stale-banner" role="alert">
      <svg className="stale-banner__icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 2.5 23 21.5H1Z" fill="currentColor" />
        <path d="M12 9v6" stroke="#1a1200" strokeWidth="2.4" strokeLinecap="round" />
        <circle cx="12" cy="18.3" r="1.4" fill="#1a1200" />
      </svg>
      <strong className="stale-banner__title">{title}</strong>
      <span className="stale-banner__detail">{detail}</span>
    </div>
  );
}
