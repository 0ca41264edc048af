import { applyOnNextFrame } from '../../web/src/state/frame-batch';
import { visibleRange } from '../../web/src/virtual-window';

describe('the dashboard list window', () => {
  it('should render the rows in view and the overscan beyond each edge, and no more', () => {
    expect(visibleRange(0, 600, 60, 1_000, 8)).toEqual({ first: 0, last: 19 });
    expect(visibleRange(6_030, 600, 60, 1_000, 8)).toEqual({ first: 92, last: 119 });
    expect(visibleRange(59_400, 600, 60, 1_000, 8)).toEqual({ first: 981, last: 1_000 });
  });

  it('should show the last rows when scrolled past the end of a list a filter shortened', () => {
    expect(visibleRange(6_000, 600, 60, 3, 8)).toEqual({ first: 0, last: 3 });
    expect(visibleRange(6_000, 600, 60, 30, 8)).toEqual({ first: 11, last: 30 });
    expect(visibleRange(6_000, 600, 60, 0, 8)).toEqual({ first: 0, last: 0 });
  });
});

describe('the dashboard frame batch', () => {
  const frames: FrameRequestCallback[] = [];
  const timers: (() => void)[] = [];
  let hidden = false;

  beforeAll(() => {
    Object.assign(globalThis, {
      document: {
        get hidden() {
          return hidden;
        },
      },
      requestAnimationFrame: (callback: FrameRequestCallback) => frames.push(callback),
    });
    jest.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void) => {
      timers.push(callback);
      return 0;
    }) as typeof setTimeout);
  });

  afterAll(() => {
    jest.restoreAllMocks();
    Reflect.deleteProperty(globalThis, 'document');
    Reflect.deleteProperty(globalThis, 'requestAnimationFrame');
  });

  it('should apply every update queued before a frame together at that frame, in order', () => {
    const applied: number[] = [];

    applyOnNextFrame(() => applied.push(1));
    applyOnNextFrame(() => applied.push(2));
    applyOnNextFrame(() => applied.push(3));

    expect(applied).toEqual([]);
    expect(frames).toHaveLength(1);
    frames.shift()?.(0);
    expect(applied).toEqual([1, 2, 3]);

    applyOnNextFrame(() => applied.push(4));
    expect(frames).toHaveLength(1);
    frames.shift()?.(16);
    expect(applied).toEqual([1, 2, 3, 4]);
  });

  it('should still apply updates in a hidden tab, which gets no frames', () => {
    const applied: string[] = [];
    hidden = true;

    applyOnNextFrame(() => applied.push('a'));
    applyOnNextFrame(() => applied.push('b'));

    expect(frames).toHaveLength(0);
    expect(timers).toHaveLength(1);
    timers.shift()?.();
    expect(applied).toEqual(['a', 'b']);
    hidden = false;
  });
});
