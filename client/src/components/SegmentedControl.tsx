import './components.css';
export interface SegmentedControlProps<T extends string | number> {
  label: string;
  options: readonly T[];
  value: T;
  format: (option: T) => string;
  onChange: (option: T) => void;
}

/** A row of mutually exclusive buttons (chart window and similar view settings). */
export function SegmentedControl<T extends string | number>({
  label,
  options,
  value,
  format,
  onChange,
}: SegmentedControlProps<T>) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={o}
          type="button"
          className="segmented__option"
          aria-pressed={o === value}
          onClick={() => onChange(o)}
        >
          {format(o)}
        </button>
      ))}
    </div>
  );
}
