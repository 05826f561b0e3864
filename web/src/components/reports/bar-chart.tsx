"use client";

/** A plain SVG bar chart (no chart library): one bar per item, value on top, label below. */
export function BarChart({
  data,
  title,
  color = "#f97316",
  height = 160,
  testId,
}: {
  data: { label: string; value: number }[];
  title: string;
  color?: string;
  height?: number;
  testId?: string;
}) {
  const max = Math.max(1, ...data.map((d) => d.value));
  // Many bars (days) are thin; few (categories) leave room for a Korean label under each.
  const dense = data.length > 20;
  const barW = dense ? 16 : 32;
  const gap = dense ? 6 : 18;
  const labelH = 34;
  const topPad = 16;
  const width = Math.max(200, data.length * (barW + gap) + gap);
  const plotH = height - labelH - topPad;
  // Many bars (days): rotate the labels and show only some of them.
  const every = dense ? Math.ceil(data.length / 10) : 1;
  return (
    <figure className="overflow-x-auto" data-testid={testId}>
      <figcaption className="mb-1 text-sm font-semibold text-stone-700">{title}</figcaption>
      <svg role="img" aria-label={title} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <line x1={0} x2={width} y1={topPad + plotH} y2={topPad + plotH} stroke="#d6d3d1" />
        {data.map((d, i) => {
          const h = (d.value / max) * plotH;
          const x = gap + i * (barW + gap);
          const y = topPad + plotH - h;
          return (
            <g key={d.label} data-value={d.value}>
              <title>{`${d.label}: ${d.value}`}</title>
              <rect x={x} y={y} width={barW} height={Math.max(h, d.value > 0 ? 1 : 0)} rx={3} fill={color} />
              {d.value > 0 && (
                <text x={x + barW / 2} y={y - 3} textAnchor="middle" fontSize={10} fill="#44403c">{d.value}</text>
              )}
              {i % every === 0 && (
                <text x={x + barW / 2} y={topPad + plotH + 13} textAnchor="middle" fontSize={10} fill="#78716c">
                  {d.label.length > 5 ? `${d.label.slice(0, 5)}…` : d.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
