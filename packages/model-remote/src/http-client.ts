/** How {@link HttpClient} retries and times out. */
export interface HttpClientOptions {
  /** Per-request time limit in milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, on connection errors, timeouts, 502, 503 and 504. */
  readonly retries: number;
  /** First retry delay in milliseconds; doubled each retry, capped at 5 s; a 503's Retry-After wins when longer. */
  readonly retryDelayMs: number;
  /** Extra headers on every request (an Authorization token for a gateway). */
  readonly headers: Readonly<Record<string, string>>;
}

/** A response: status, headers, whole body. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/** The request could not be completed: unreachable, timed out, or still 5xx after the retries. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'timeout' | 'unavailable',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

const RETRY_STATUS = new Set([502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CODE_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  EPIPE: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** What went wrong behind a failed fetch, in words and with the system error code (ECONNREFUSED …). */
function causeText(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return CODE_TEXT[code] ? `${CODE_TEXT[code]}, ${code}` : code;
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Node's built-in fetch (undici, keep-alive) with a time limit per request and retries with
 * exponential backoff on what a retry can cure: connection errors, timeouts, 502/503/504.
 * Other statuses (4xx, 500) are returned to the caller at once.
 */
export class HttpClient {
  constructor(private readonly o: HttpClientOptions) {}

  /**
   * Sends one request, retrying as the options say.
   * @throws TransportError when every attempt failed, saying how often and why.
   */
  async request(method: 'GET' | 'POST', url: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<HttpResult> {
    const { timeoutMs, retries, retryDelayMs } = this.o;
    const t0 = performance.now();
    let last: { kind: TransportError['kind']; why: string; cause?: unknown } = { kind: 'unreachable', why: '' };
    for (let attempt = 0; attempt <= retries; attempt++) {
      let wait = Math.min(5000, retryDelayMs * 2 ** attempt);
      try {
        const res = await fetch(url, {
          method,
          headers: { ...this.o.headers, ...headers },
          ...(body ? { body } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (!RETRY_STATUS.has(res.status)) return { status: res.status, headers: res.headers, body: bytes };
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) wait = Math.max(wait, Math.min(after * 1000, 30_000));
        last = { kind: 'unavailable', why: `HTTP ${res.status}${errorText(bytes) ? `: ${errorText(bytes)}` : ''}` };
      } catch (err) {
        const timedOut = (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
        last = timedOut ? { kind: 'timeout', why: `no answer within ${timeoutMs} ms`, cause: err } : { kind: 'unreachable', why: causeText(err), cause: err };
      }
      if (attempt < retries) await sleep(wait);
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const tries = `${retries + 1} attempt${retries ? 's' : ''} over ${secs} s`;
    const fix =
      last.kind === 'timeout'
        ? 'The server is overloaded or the batch is too large for it: raise timeoutMs, or send smaller batches (--batch-size).'
        : last.kind === 'unavailable'
          ? 'The server is up but cannot take requests (model loading, or busy): wait and retry, or start more servers.'
          : 'Start the server (limekit serve --model FILE), or check the host, port and path of the URL.';
    throw new TransportError(`${method} ${url} failed (${last.why}) after ${tries}. ${fix}`, last.kind, last.cause ? { cause: last.cause } : undefined);
  }
}

/** The `error` field of a protocol error body, or its text, shortened. */
export function errorText(body: Uint8Array): string {
  const text = Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8');
  try {
    const j = JSON.parse(text) as { error?: unknown };
    if (typeof j.error === 'string') return j.error;
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 300);
}
