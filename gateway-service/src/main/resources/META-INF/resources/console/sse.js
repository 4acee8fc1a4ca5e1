// Server-Sent Events over fetch. EventSource cannot send an Authorization header, so the console
// reads the event stream with fetch (which can) and parses it as the HTML standard's
// "event stream interpretation" says: field lines accumulate, a blank line dispatches.

/** Parses text/event-stream lines; calls onEvent({id, name, data}) per dispatched event. */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.lastId = null;
    this.name = null;
    this.data = null;
    this.buffer = '';
  }

  /** Feeds a chunk of decoded text (may split lines anywhere). */
  push(text) {
    this.buffer += text;
    let newline;
    while ((newline = this.buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'id') {
      this.lastId = value;
    } else if (field === 'event') {
      this.name = value;
    } else if (field === 'data') {
      this.data = this.data === null ? value : this.data + '\n' + value;
    }
  }

  end() {
    if (this.buffer) {
      this.line(this.buffer);
      this.buffer = '';
    }
    this.dispatch();
  }

  dispatch() {
    if (this.data !== null) {
      this.onEvent({ id: this.lastId, name: this.name || 'message', data: this.data });
    }
    this.name = null;
    this.data = null;
  }
}
