// A bar chart as plain SVG (no chart library: a few rectangles), with the same figures in a
// table for screen readers and for anyone who wants the numbers.
import { useId, type ReactNode } from "react";

export interface Bar {
  label: string;
  value: number;
}

export function BarChart({
  title,
  bars,
  format = (value) => String(value),
  alt = false,
}: {
  title: string;
  bars: Bar[];
  format?: (value: number) => string;
  alt?: boolean;
}): ReactNode {
  const titleId = useId();
  const width = 640;
  const height = 220;
  const left = 8;
  const bottom = 34;
  const top = 18;
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const slot = bars.length ? (width - left * 2) / bars.length : 0;
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  const scale = (value: number) => (max > 0 ? (value / max) * (height - bottom - top) : 0);
  const every = Math.ceil(bars.length / 12);
  return (
    <figure className="chart card" aria-labelledby={titleId}>
      <figcaption id={titleId}>
        <h3>{title}</h3>
      </figcaption>
      {bars.every((bar) => bar.value === 0) ? (
        <p className="empty">Nothing in this period yet.</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId}>
            <line
              className="axis"
              x1={left}
              x2={width - left}
              y1={height - bottom}
              y2={height - bottom}
            />
            {bars.map((bar, index) => {
              const x = left + index * slot + (slot - barWidth) / 2;
              const h = scale(bar.value);
              return (
                <g key={bar.label}>
                  <rect
                    className={alt ? "bar alt" : "bar"}
                    x={x}
                    y={height - bottom - h}
                    width={barWidth}
                    height={h}
                    rx="3"
                  >
                    <title>{`${bar.label}: ${format(bar.value)}`}</title>
                  </rect>
                  {index % every === 0 ? (
                    <text x={x + barWidth / 2} y={height - bottom + 16} textAnchor="middle">
                      {bar.label.length > 12 ? `${bar.label.slice(0, 11)}…` : bar.label}
                    </text>
                  ) : null}
                  {bar.value === max && max > 0 ? (
                    <text x={x + barWidth / 2} y={height - bottom - h - 5} textAnchor="middle">
                      {format(bar.value)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </svg>
          <details>
            <summary className="small muted">Show the numbers</summary>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col" className="number">
                      Value
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {bars.map((bar) => (
                    <tr key={bar.label}>
                      <td>{bar.label}</td>
                      <td className="number">{format(bar.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </figure>
  );
}
