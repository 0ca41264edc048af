import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Point } from '../state/fleet';

interface Props {
  title: string;
  points: readonly Point[];
  metric: 'cpu' | 'memory';
  threshold: number;
  color: string;
}

const HEIGHT = 220;
/** Narrower than this, the time axis has no room for its labels. */
const MIN_WIDTH = 240;

const widthOf = (element: HTMLElement) => Math.max(MIN_WIDTH, element.clientWidth);

function chartData(
  points: readonly Point[],
  metric: 'cpu' | 'memory',
  threshold: number,
): uPlot.AlignedData {
  return [
    points.map((point) => point.at / 1000),
    points.map((point) => point[metric]),
    points.map(() => threshold),
  ];
}

/** One metric over the chosen range with its alert threshold; new samples are drawn in place. */
export function MetricChart({ title, points, metric, threshold, color }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) {
      return undefined;
    }
    const plot = new uPlot(
      {
        title,
        width: widthOf(element),
        height: HEIGHT,
        scales: { y: { range: [0, 100] } },
        series: [
          {},
          {
            label: title,
            stroke: color,
            width: 2,
            spanGaps: false,
            value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)} %`),
          },
          {
            label: 'Threshold',
            stroke: '#b91c1c',
            dash: [6, 4],
            width: 1,
            points: { show: false },
            value: (_u, v) => (v == null ? '—' : `${v} %`),
          },
        ],
        axes: [{}, { size: 56, values: (_u, ticks) => ticks.map((tick) => `${tick} %`) }],
      },
      chartData([], metric, threshold),
      element,
    );
    chart.current = plot;
    const observer = new ResizeObserver(() =>
      plot.setSize({ width: widthOf(element), height: HEIGHT }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [title, metric, color]);

  useEffect(() => {
    chart.current?.setData(chartData(points, metric, threshold));
  }, [points, metric, threshold]);

  const latest = points.at(-1)?.[metric];
  return (
    <figure class="chart">
      <div
        ref={container}
        role="img"
        aria-label={`${title} chart, threshold ${threshold} %, latest ${latest == null ? 'unknown' : `${latest.toFixed(1)} %`}`}
      />
    </figure>
  );
}
