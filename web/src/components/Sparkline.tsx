import { useEffect, useRef } from 'preact/hooks';
import type { Point } from '../state/fleet';

interface Props {
  points: readonly Point[];
  metric: 'cpu' | 'memory';
  threshold: number;
  label: string;
}

const WIDTH = 56;
const HEIGHT = 24;

/** The last hour of one metric, drawn on a canvas: cheap enough for every visible row. */
export function Sparkline({ points, metric, threshold, label }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) {
      return;
    }
    const scale = window.devicePixelRatio || 1;
    element.width = WIDTH * scale;
    element.height = HEIGHT * scale;
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.clearRect(0, 0, WIDTH, HEIGHT);
    const y = (value: number) =>
      HEIGHT - 1 - (Math.min(100, Math.max(0, value)) / 100) * (HEIGHT - 2);
    context.strokeStyle = '#b91c1c';
    context.setLineDash([2, 2]);
    context.beginPath();
    context.moveTo(0, y(threshold));
    context.lineTo(WIDTH, y(threshold));
    context.stroke();
    context.setLineDash([]);
    const values = points.filter((point) => point[metric] !== null);
    if (values.length === 0) {
      return;
    }
    const start = values[0]?.at ?? 0;
    const span = Math.max(1, (values.at(-1)?.at ?? start) - start);
    context.strokeStyle = '#1d4ed8';
    context.lineWidth = 1.5;
    context.beginPath();
    values.forEach((point, index) => {
      const x = values.length === 1 ? WIDTH - 1 : ((point.at - start) / span) * (WIDTH - 1);
      const value = y(point[metric] ?? 0);
      if (index === 0) {
        context.moveTo(x, value);
      } else {
        context.lineTo(x, value);
      }
    });
    context.stroke();
  }, [points, metric, threshold]);
  return (
    <canvas
      ref={canvas}
      class="sparkline"
      role="img"
      aria-label={label}
      width={WIDTH}
      height={HEIGHT}
    />
  );
}
