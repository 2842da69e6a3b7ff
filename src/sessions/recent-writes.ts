/**
 * When this process last wrote each session, for the touch throttle of the session store
 * (session-store.ts): a session written within `windowMs` needs no touch. Two generations of writes:
 * a new one begins once the current one is a window old or holds `capacity` sessions, and the one
 * before it is then let go whole. So nothing is ever swept entry by entry (a Map used as a queue is
 * no cheaper: V8 walks the deleted entries at its front), a write costs the same however many
 * sessions there are, and at most twice `capacity` are held. A flood that fills a generation early
 * only makes its sessions' next touch come early, never loses a write.
 */
export class RecentWrites {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private currentSince = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly windowMs: number,
    private readonly capacity: number,
  ) {}

  /** Whether the session was written within the window before `now`. */
  isRecent(sid: string, now: number): boolean {
    const at = this.current.get(sid) ?? this.previous.get(sid);
    return at !== undefined && now - at < this.windowMs;
  }

  record(sid: string, now: number): void {
    if (this.current.size >= this.capacity || now - this.currentSince >= this.windowMs) {
      this.previous = this.current;
      this.current = new Map();
      this.currentSince = now;
    }
    this.current.set(sid, now);
  }

  forget(sid: string): void {
    this.current.delete(sid);
    this.previous.delete(sid);
  }

  /** Sessions held (one written in both generations counts twice). */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}
