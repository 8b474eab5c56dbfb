/**
 * Request/reply pairs over a message channel (the host asking the Lab for its landscape as PNG): each request
 * gets an id, the reply names it (`inReplyTo`) and settles exactly that request; an error reply fails it with
 * the responder's reason, and a reply that does not come within the timeout fails it with a clear message.
 * A reply to no pending request (late, or forged) is refused, so the caller can log it.
 */
// Both the browser and Node have timers; declared here so that shared code needs neither's type definitions.
declare function setTimeout(f: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

interface Pending<R> {
  readonly kind: keyof R;
  readonly send: () => void;
  readonly resolve: (value: never) => void;
  readonly reject: (e: Error) => void;
  readonly timer: unknown;
}

/** `R` maps each request kind to the type of its reply, e.g. `{ png: string }`. */
export class Requests<R> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<R>>();

  constructor(
    private readonly timeoutMs: number,
    /** What a request that timed out says: the responder, and what it was asked. */
    private readonly describe: (kind: keyof R) => string,
  ) {}

  /** Sends a request of `kind` through `send`, which posts the message with the given id. */
  request<K extends keyof R>(kind: K, send: (requestId: number) => void): Promise<R[K]> {
    const id = this.nextId++;
    return new Promise<R[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.describe(kind)}: no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { kind, send: () => send(id), resolve, reject, timer });
      send(id);
    });
  }

  /** Settles request `id` with a reply of `kind`; false (nothing settled) when no such request is pending. */
  resolve<K extends keyof R>(id: number, kind: K, value: R[K]): boolean {
    const p = this.take(id, kind);
    (p?.resolve as ((v: R[K]) => void) | undefined)?.(value);
    return p !== undefined;
  }

  /** Fails request `id` with the responder's reason; false when no such request is pending. */
  reject(id: number, message: string): boolean {
    const p = this.take(id);
    p?.reject(new Error(message));
    return p !== undefined;
  }

  /** Sends every pending request again: the responder was reloaded and lost what it had been asked. */
  resend(): void {
    for (const p of this.pending.values()) p.send();
  }

  /** Fails every pending request: the channel is gone. */
  dispose(reason: string): void {
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(new Error(reason));
  }

  private take(id: number, kind?: keyof R): Pending<R> | undefined {
    const p = this.pending.get(id);
    if (!p || (kind !== undefined && p.kind !== kind)) return undefined;
    this.pending.delete(id);
    clearTimeout(p.timer);
    return p;
  }
}
