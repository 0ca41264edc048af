import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  chartColumns,
  isolatedIndices,
  latestAverage,
  widthLabel,
  type Metric,
  type Series,
} from '../state/metric-series';

interface Props {
  title: string;
  metric: Metric;
  series: Series | null;
  /** The window drawn, in epoch milliseconds: the time axis spans exactly it. */
  since: number;
  until: number;
  /** How far apart samples are expected (the poll interval): empty buckets within it are no gap. */
  spanMs: number;
  rangeLabel: string;
  threshold: number;
  color: string;
}

const HEIGHT = 220;
/** Narrower than this, the time axis has no room for its labels. */
const MIN_WIDTH = 240;

const widthOf = (element: HTMLElement) => Math.max(MIN_WIDTH, element.clientWidth);

const percentValue = (_u: uPlot, value: number | null) =>
  value == null ? '—' : `${value.toFixed(1)} %`;

/** The same colour, see-through, for the band between the bucket's min and max. */
const bandFill = (color: string) => `${color}33`;

function options(
  title: string,
  color: string,
  extent: { current: { since: number; until: number } },
  element: HTMLElement,
): uPlot.Options {
  const bound = { stroke: bandFill(color), width: 1, spanGaps: false, points: { show: false } };
  return {
    title,
    width: widthOf(element),
    height: HEIGHT,
    scales: {
      // The window asked, whatever data there is: an hour is an hour after a fresh start too.
      x: { time: true, range: () => [extent.current.since / 1000, extent.current.until / 1000] },
      y: { range: [0, 100] },
    },
    series: [
      {},
      { label: 'Min', value: percentValue, ...bound },
      {
        label: 'Average',
        stroke: color,
        width: 2,
        spanGaps: false,
        value: percentValue,
        // A value with gaps on both sides has no line: it is drawn as a dot.
        points: {
          show: false,
          fill: color,
          filter: (plot, index) => {
            const isolated = isolatedIndices(Array.from(plot.data[index] ?? []));
            return isolated.length > 0 ? isolated : null;
          },
        },
      },
      { label: 'Max', value: percentValue, ...bound },
      {
        label: 'Threshold',
        stroke: '#b91c1c',
        dash: [6, 4],
        width: 1,
        points: { show: false },
        value: (_u, v) => (v == null ? '—' : `${v} %`),
      },
    ],
    bands: [{ series: [3, 1], fill: bandFill(color) }],
    axes: [{}, { size: 56, values: (_u, ticks) => ticks.map((tick) => `${tick} %`) }],
    hooks: {
      // The time axis as drawn, for whoever checks that it spans the window.
      setScale: [
        (plot, key) => {
          const { min, max } = plot.scales.x;
          if (key === 'x' && min != null && max != null) {
            element.dataset.xMin = new Date(min * 1000).toISOString();
            element.dataset.xMax = new Date(max * 1000).toISOString();
          }
        },
      ],
    },
  };
}

/**
 * One metric over the chosen window: each bucket's average as a line inside the band from its
 * min to its max, empty buckets as gaps, and the alert threshold across the whole window.
 */
export function MetricChart({
  title,
  metric,
  series,
  since,
  until,
  spanMs,
  rangeLabel,
  threshold,
  color,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const extent = useRef({ since, until });
  extent.current = { since, until };

  useEffect(() => {
    const element = container.current;
    if (!element) {
      return undefined;
    }
    const empty = chartColumns(null, metric, { ...extent.current, spanMs: 0 }, 0);
    const plot = new uPlot(
      options(title, color, extent, element),
      [empty.x, empty.min, empty.avg, empty.max, empty.threshold],
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
    const columns = chartColumns(series, metric, { since, until, spanMs }, threshold);
    chart.current?.setData([columns.x, columns.min, columns.avg, columns.max, columns.threshold]);
  }, [series, metric, since, until, spanMs, threshold]);

  const latest = latestAverage(series, metric);
  const buckets = series ? `average per ${widthLabel(series.widthMs)}` : 'loading';
  return (
    <figure class="chart">
      <div
        ref={container}
        role="img"
        aria-label={`${title} chart, threshold ${threshold} %, last ${rangeLabel}, ${buckets}, latest ${latest == null ? 'unknown' : `${latest.toFixed(1)} %`}`}
      />
      <figcaption class="chart-caption">
        {series
          ? `Last ${rangeLabel}: average per ${widthLabel(series.widthMs)}, shaded from min to max; a gap where the polls left no value.`
          : `Last ${rangeLabel}: loading…`}
      </figcaption>
    </figure>
  );
}
