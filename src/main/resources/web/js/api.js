// api.js: the client of the AIChatBot HTTP API (docs/API.md). JSON calls with typed errors,
// the bearer key of token mode (asked for on a 401, kept in sessionStorage), and chat turns
// read over the tab's WebSocket (socket.js) or, as a fallback, as Server-Sent Events from fetch() (EventSource cannot POST).

import { SocketUnavailable, TurnSocket } from './socket.js';

const KEY_STORAGE = 'aichatbot.apiKey';

/** An API failure: the HTTP status (0 when the server could not be reached) and the stable error code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Splits a text/event-stream into events. Feed it decoded text in chunks of any size; it calls
 * onEvent(name, data) for each complete event. Follows the WHATWG rules that matter here: lines
 * end in CRLF, LF or CR; lines starting with ':' are comments (heartbeats); several data lines
 * join with '\n'; an event is dispatched at a blank line, never before.
 */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.eventName = '';
    this.data = [];
  }

  push(text) {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      let end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) {
        break;
      }
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (end === this.buffer.length - 1) {
          break; // maybe the first half of a CRLF: wait for the next chunk
        }
        if (this.buffer[end + 1] === '\n') {
          next = end + 2;
        }
      }
      this.line(this.buffer.slice(start, end));
      start = next;
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) {
        this.onEvent(this.eventName || 'message', this.data.join('\n'));
      }
      this.eventName = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      this.eventName = value;
    } else if (field === 'data') {
      this.data.push(value);
    }
  }
}

/**
 * One API client per page. askForKey(rejected) shows the key dialog and resolves with the key the
 * user typed; concurrent 401s share one dialog.
 */
export class Api {
  constructor(askForKey) {
    this.askForKey = askForKey;
    this.keyPrompt = null;
    // Turns go over one WebSocket per tab when it can be opened; SSE is the fallback.
    this.socket = typeof WebSocket === 'function' ? new TurnSocket(() => this.key) : null;
  }

  get key() {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  /** fetch() with the bearer key; on a 401 asks for a key and tries again. */
  async send(path, init = {}) {
    for (;;) {
      const sentKey = this.key;
      const headers = new Headers(init.headers);
      if (sentKey) {
        headers.set('Authorization', `Bearer ${sentKey}`);
      }
      let response;
      try {
        response = await fetch(path, { ...init, headers });
      } catch (failure) {
        if (failure.name === 'AbortError') {
          throw failure;
        }
        throw new ApiError(0, 'network', 'The server could not be reached.');
      }
      if (response.status !== 401) {
        return response;
      }
      if (this.key === sentKey) {
        this.keyPrompt ??= this.askForKey(Boolean(sentKey)).then((key) => {
          sessionStorage.setItem(KEY_STORAGE, key);
          this.keyPrompt = null;
        });
        await this.keyPrompt;
      }
    }
  }

  async json(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await this.send(path, init);
    if (!response.ok) {
      throw await errorOf(response);
    }
    return response.status === 204 ? null : response.json();
  }

  models() {
    return this.json('GET', '/api/models');
  }

  conversations(cursor, limit = 30) {
    return this.json('GET', `/api/conversations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  createConversation(model) {
    return this.json('POST', '/api/conversations', model ? { model } : {});
  }

  conversation(id) {
    return this.json('GET', `/api/conversations/${encodeURIComponent(id)}`);
  }

  rename(id, title) {
    return this.json('PATCH', `/api/conversations/${encodeURIComponent(id)}`, { title });
  }

  deleteConversation(id) {
    return this.json('DELETE', `/api/conversations/${encodeURIComponent(id)}`);
  }

  /** Newest first: the page a conversation opens with, then older ones through the cursor. */
  messages(id, cursor, limit = 30) {
    const query = `order=desc&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return this.json('GET', `/api/conversations/${encodeURIComponent(id)}/messages?${query}`);
  }

  stop(id) {
    return this.json('POST', `/api/conversations/${encodeURIComponent(id)}/stop`);
  }

  giveFeedback(messageId, rating, comment) {
    return this.json('POST', `/api/messages/${encodeURIComponent(messageId)}/feedback`, { rating, comment });
  }

  /** The saved feedback, or null when there is none. */
  async feedback(messageId) {
    try {
      return await this.json('GET', `/api/messages/${encodeURIComponent(messageId)}/feedback`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'not_found') {
        return null;
      }
      throw failure;
    }
  }

  /**
   * Runs one turn as a stream. Calls onEvent(name, data) for turn, delta, done, stopped and error;
   * resolves when the stream ends, however it ends (the caller knows from the events whether a
   * final one came). Rejects with an ApiError when the server refused the turn before streaming,
   * or with status 0 when the connection failed.
   */
  async streamTurn(conversationId, body, onEvent) {
    if (this.socket) {
      try {
        return await this.socket.run(conversationId, body, onEvent);
      } catch (failure) {
        if (!(failure instanceof SocketUnavailable)) {
          throw failure;
        }
        // fall through: the same turn over Server-Sent Events
      }
    }
    return this.streamTurnOverSse(conversationId, body, onEvent);
  }

  /** The turn as a Server-Sent Events response (the fallback when no socket can be used). */
  async streamTurnOverSse(conversationId, body, onEvent) {
    return this.streamOverSse(`/api/conversations/${encodeURIComponent(conversationId)}/messages`, body, onEvent);
  }

  /** A new answer to the conversation's last question, streamed the same way as a turn. */
  async streamRegeneration(conversationId, body, onEvent) {
    return this.streamOverSse(`/api/conversations/${encodeURIComponent(conversationId)}/regenerate`, body, onEvent);
  }

  async streamOverSse(path, body, onEvent) {
    const response = await this.send(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw await errorOf(response);
    }
    const parser = new SseParser((name, data) => {
      let parsed;
      try {
        parsed = JSON.parse(data);
      } catch {
        return; // not ours to interpret; the final event decides the outcome
      }
      onEvent(name, parsed);
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        parser.push(value);
      }
    } catch {
      // The connection broke mid-answer: the caller shows the answer as incomplete.
    }
  }
}

async function errorOf(response) {
  try {
    const body = await response.json();
    if (body && body.error && body.error.code) {
      return new ApiError(response.status, body.error.code, body.error.message || body.error.code);
    }
  } catch {
    // not JSON: a proxy or an old server; fall through to a generic error
  }
  return new ApiError(response.status, `http_${response.status}`, `The server answered ${response.status}.`);
}
