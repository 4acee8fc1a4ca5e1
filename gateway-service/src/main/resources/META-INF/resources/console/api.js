// The gateway's REST API (/v1, docs/gateway.md) for the console: every call sends the API key as
// a bearer token; error answers (RFC 9457 problem documents) become ApiError.
import { SseParser } from './sse.js';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  if (!problem) {
    return `the gateway answered HTTP ${status}`;
  }
  let text = problem.title || 'error';
  if (problem.detail) {
    text += `: ${problem.detail}`;
  }
  for (const error of problem.errors || []) {
    text += `; ${error.field}: ${error.message}`;
  }
  return `${text} (HTTP ${status})`;
}

export class Api {
  constructor(key, base = '') {
    this.key = key;
    this.base = base;
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.key}`, Accept: 'application/json', ...extra };
  }

  async call(method, path, body) {
    const init = { method, headers: this.headers() };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(this.base + path, init);
    const text = await response.text();
    if (!response.ok) {
      let problem = null;
      try {
        problem = text ? JSON.parse(text) : null;
      } catch (e) {
        // not a problem document
      }
      throw new ApiError(response.status, problem);
    }
    return text ? JSON.parse(text) : null;
  }

  submitGeneration(request) { return this.call('POST', '/v1/generations', request); }
  submitFineTune(request) { return this.call('POST', '/v1/finetunes', request); }
  job(id) { return this.call('GET', `/v1/jobs/${encodeURIComponent(id)}`); }
  cancel(id) { return this.call('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`); }
  models() { return this.call('GET', '/v1/models'); }

  jobs({ status, kind, limit = 20, cursor } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (status) query.set('status', status);
    if (kind) query.set('kind', kind);
    if (cursor) query.set('cursor', cursor);
    return this.call('GET', `/v1/jobs?${query}`);
  }

  upload(files) {
    const form = new FormData();
    for (const file of files) {
      form.append('file', file, file.name);
    }
    return this.call('POST', '/v1/uploads', form);
  }

  /**
   * Follows a job's events until the terminal one, calling onEvent(data) for each; a stream that
   * breaks off is resumed after the last event received (Last-Event-ID). Resolves with the terminal
   * event; abort with the signal.
   */
  async follow(id, onEvent, signal) {
    let lastId = null;
    for (let attempt = 0; attempt < 30; attempt++) {
      const headers = this.headers({ Accept: 'text/event-stream' });
      if (lastId !== null) {
        headers['Last-Event-ID'] = lastId;
      }
      let terminal = null;
      try {
        const response = await fetch(`${this.base}/v1/jobs/${encodeURIComponent(id)}/events`, { headers, signal });
        if (!response.ok) {
          let problem = null;
          try { problem = await response.json(); } catch (e) { /* not a problem document */ }
          throw new ApiError(response.status, problem);
        }
        const parser = new SseParser((sse) => {
          lastId = sse.id;
          const event = JSON.parse(sse.data);
          onEvent(event);
          if (TERMINAL.has(event.type)) {
            terminal = event;
          }
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        while (terminal === null) {
          const { value, done } = await reader.read();
          if (done) {
            parser.end();
            break;
          }
          parser.push(value);
        }
        if (terminal !== null) {
          reader.cancel().catch(() => {});
          return terminal;
        }
      } catch (e) {
        if (e instanceof ApiError || signal?.aborted) {
          throw e;
        }
        // the connection broke: resume below
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`the event stream of job ${id} kept breaking off`);
  }
}
