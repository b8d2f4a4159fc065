// socket.js: the page's turns over one WebSocket per tab (/api/ws). Frames carry the same
// events as the SSE stream (turn, delta, done / stopped / error), tagged with the conversation,
// so several conversations can stream at once over one connection. Api.streamTurn falls back
// to Server-Sent Events whenever the socket cannot be used.

import { ApiError } from './api.js';

/** Thrown when the socket cannot carry a turn, so the caller should use SSE instead. */
export class SocketUnavailable extends Error {}

const STATUS_BY_CODE = {
  unauthorized: 401, not_found: 404, turn_in_progress: 409, conversation_full: 409,
  message_too_large: 413, message_too_long_for_model: 413, shutting_down: 503, store_busy: 503,
};

export class TurnSocket {
  /** key: a function returning the current API key, or null in local mode. */
  constructor(key) {
    this.key = key;
    this.ws = null;
    this.opening = null;
    this.turns = new Map();
  }

  connect() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      return Promise.resolve(this.ws);
    }
    if (!this.opening) {
      this.opening = new Promise((resolve, reject) => {
        const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        const ws = new WebSocket(`${scheme}${location.host}/api/ws`);
        ws.onopen = () => {
          const key = this.key();
          if (key) {
            ws.send(JSON.stringify({ type: 'auth', key }));
          }
          this.ws = ws;
          resolve(ws);
        };
        ws.onerror = () => reject(new SocketUnavailable('the socket could not be opened'));
        ws.onclose = () => {
          this.ws = null;
          for (const turn of this.turns.values()) {
            turn.closed();
          }
          this.turns.clear();
        };
        ws.onmessage = (message) => this.dispatch(message.data);
      }).finally(() => {
        this.opening = null;
      });
    }
    return this.opening;
  }

  dispatch(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    const turn = frame.conversationId ? this.turns.get(frame.conversationId) : null;
    if (turn) {
      turn.frame(frame);
    }
  }

  /** Runs one turn; resolves when it ends however it ends, rejects when it was refused before it began. */
  async run(conversationId, body, onEvent) {
    if (this.turns.has(conversationId)) {
      throw new SocketUnavailable('a turn of this conversation is already on the socket');
    }
    const ws = await this.connect();
    return new Promise((resolve, reject) => {
      let started = false;
      this.turns.set(conversationId, {
        frame: (frame) => {
          if (!started && frame.type === 'error') {
            this.turns.delete(conversationId);
            const code = frame.error ? frame.error.code : 'error';
            if (code === 'unauthorized') {
              ws.close(); // the next connection authenticates with the key the user gives
              reject(new SocketUnavailable('the socket is not authenticated'));
              return;
            }
            reject(new ApiError(STATUS_BY_CODE[code] || 400, code, frame.error ? frame.error.message : code));
            return;
          }
          if (frame.type === 'turn') {
            started = true;
          }
          onEvent(frame.type, frame);
          if (frame.type === 'done' || frame.type === 'stopped' || frame.type === 'error') {
            this.turns.delete(conversationId);
            resolve();
          }
        },
        closed: () => {
          if (started) {
            resolve(); // the connection broke mid-answer: the caller shows it as incomplete
          } else {
            reject(new SocketUnavailable('the socket closed before the turn began'));
          }
        },
      });
      ws.send(JSON.stringify({ type: 'send', conversationId, content: body.content, model: body.model || undefined }));
    });
  }
}
