/** A clock tests move by hand; pass `clock.now` as the sandbox node's `now`. */
export class FakeClock {
  #time: number;

  public constructor(start = Date.UTC(2026, 10, 1, 12)) {
    this.#time = start;
  }

  public readonly now = (): number => this.#time;

  public advance(ms: number): void {
    this.#time += ms;
  }
}
