/**
 * A clock a test moves by hand, so expiry is shown without sleeping. It starts on a whole second: AWS
 * Query timestamps carry no milliseconds, so times computed from it render exactly.
 */
export class TestClock {
  private current: number;

  constructor(start: Date | number = Date.now()) {
    this.current = Math.floor(new Date(start).getTime() / 1000) * 1000;
  }

  /** fedsim reads the time through this. */
  readonly now = (): Date => new Date(this.current);

  /** Moves time forward (or back, with a negative count). */
  advance(ms: number): void {
    this.current += ms;
  }

  set(time: Date | number): void {
    this.current = new Date(time).getTime();
  }
}
