import { Clock } from '../../src/common/clock';

/** A Clock whose time the test sets and advances. */
export class FakeClock extends Clock {
  private current: Date;

  constructor(start: string | Date = '2026-11-26T09:00:00.000Z') {
    super();
    this.current = new Date(start);
  }

  override now(): Date {
    return new Date(this.current.getTime());
  }

  set(to: string | Date): void {
    this.current = new Date(to);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
