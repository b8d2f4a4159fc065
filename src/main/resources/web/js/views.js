// views.js: the DOM pieces of the chat page (sidebar items, messages with their state badges
// and feedback controls, icons) and the human wording of error codes. Builds elements with
// textContent and attributes only; the one innerHTML is the Markdown renderer's escaped output.

import { renderMarkdown } from './markdown.js';

const SVG = 'http://www.w3.org/2000/svg';

// Simple line icons on a 24x24 grid, drawn for this page.
const ICONS = {
  pencil: ['M4 20h4L19 9l-4-4L4 16z', 'M14 6l4 4'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13', 'M10 11v6', 'M14 11v6'],
  thumb: ['M7 10v11H3V10z', 'M7 10l4-8c1.7 0 3 1.3 3 3v4h5.3a2 2 0 0 1 2 2.3l-1.3 7.9a2 2 0 0 1-2 1.8H7'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  refresh: ['M20 12a8 8 0 1 1-2.4-5.7', 'M20 4v5h-5'],
  retry: ['M4 12a8 8 0 1 0 2.4-5.7', 'M4 4v5h5'],
};

export function icon(name, extraClass = '') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon ${extraClass}`.trim());
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Creates an element: attrs are set as attributes (class via className), children appended as nodes or text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name === 'className') {
      node.className = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

const ERROR_TEXT = {
  network: 'Could not reach the server. Check your connection and try again.',
  upstream_rate_limited: 'The model provider is rate-limiting requests; try again in a moment.',
  upstream_timeout: 'The model took too long to answer. Try again, or pick another model.',
  upstream_auth_failed: 'The model provider refused the server\'s credentials. Ask the administrator to check the provider key.',
  upstream_unavailable: 'The model provider is unavailable right now; try again in a moment.',
  upstream_busy: 'The model is busy with other requests; try again in a moment.',
  upstream_rejected: 'The model provider rejected this request. Try rephrasing, or pick another model.',
  message_too_large: 'Your message is too long. Shorten it and send it again.',
  message_too_long_for_model: 'Your message is too long for this model. Shorten it, or pick a model with a larger context window.',
  turn_in_progress: 'An answer is still being written in this conversation. Wait for it to finish, or stop it first.',
  nothing_to_regenerate: 'There is no question in this conversation to answer again.',
  conversation_full: 'This conversation has reached its message limit. Start a new conversation to go on.',
  unauthorized: 'Your API key was not accepted.',
  empty_message: 'Type a message first.',
  unknown_model: 'That model is not available on this server any more. Pick another one.',
  not_found: 'This conversation no longer exists. It may have been deleted.',
  shutting_down: 'The server is restarting; try again shortly.',
  store_busy: 'The server is busy; try again shortly.',
  database_unavailable: 'The server cannot reach its database; try again shortly.',
  request_too_large: 'Your message is too large for the server.',
};

/** A sentence a person can act on, for an API error code; the server's own message is the fallback. */
export function describeError(code, message) {
  if ((code === 'message_too_large' || code === 'message_too_long_for_model') && message) {
    return `${ERROR_TEXT[code]} (${message})`;
  }
  if (ERROR_TEXT[code]) {
    return ERROR_TEXT[code];
  }
  if (code && code.startsWith('upstream_')) {
    return 'The model provider failed to answer; try again in a moment.';
  }
  return message ? `Something went wrong: ${message}` : 'Something went wrong. Try again.';
}

/** A complete answer that still did not end on its own (the reply's finishReason). */
const CUT_TEXT = {
  length: "The answer reached the model's output limit and ends mid-way.",
  content_filter: "The provider's content filter ended this answer.",
};

const STOP_TEXT = {
  stopped: 'You stopped this answer.',
  client_disconnected: 'The answer stopped because its connection closed (a reload, a closed tab or a network drop).',
  shutdown: 'The answer stopped because the server was shutting down.',
  reply_too_large: 'The answer stopped because it reached the size limit.',
  interrupted: 'The answer was interrupted because the server restarted.',
};

/** One conversation in the sidebar. */
export function conversationItem(conversation, { onOpen, onRename, onDelete }) {
  const item = el('li', { className: 'conv-item', 'data-id': conversation.id });
  const open = el('button', { className: 'conv-open', type: 'button', onclick: () => onOpen(conversation.id) });
  const rename = el('button', { className: 'icon-button conv-rename', type: 'button', onclick: () => onRename(item) },
    icon('pencil'));
  const remove = el('button', { className: 'icon-button conv-delete', type: 'button', onclick: () => onDelete(item) },
    icon('trash'));
  item.append(open, el('span', { className: 'conv-actions' }, rename, remove));
  setConversationTitle(item, conversation.title);
  return item;
}

export function conversationTitle(title) {
  return title && title.trim() ? title : 'New conversation';
}

export function setConversationTitle(item, title) {
  const text = conversationTitle(title);
  item.querySelector('.conv-open').textContent = text;
  item.querySelector('.conv-rename').setAttribute('aria-label', `Rename “${text}”`);
  item.querySelector('.conv-delete').setAttribute('aria-label', `Delete “${text}”`);
  item.querySelector('.conv-rename').title = 'Rename';
  item.querySelector('.conv-delete').title = 'Delete';
}

/**
 * One message. A user message is plain text; an assistant answer is Markdown with a state
 * (streaming, complete, stopped, failed, incomplete, or "generating" when another connection is
 * writing it) and, once it has an id and is finished, feedback controls.
 *
 * handlers: onRetry(view), onRefresh(view), onStop(view), onRate(view, rating), onComment(view, rating, comment).
 */
export class MessageView {
  constructor(message, handlers) {
    this.handlers = handlers;
    this.role = message.role;
    this.seq = message.seq ?? null;
    this.text = message.content || '';
    this.status = message.status; // known before the first render: a cut answer renders as one
    // The server sends each answer's feedback with the page (null when there is none);
    // undefined means unknown, and feedback.js then reads it lazily.
    this.feedback = message.role === 'assistant' && 'feedback' in message ? message.feedback : undefined;
    this.renderQueued = false;
    this.body = el('div', { className: this.role === 'user' ? 'msg-body plain' : 'msg-body md' });
    this.element = el('article', { className: `msg msg-${this.role}`, 'data-role': this.role },
      this.role === 'assistant' ? el('div', { className: 'avatar', 'aria-hidden': 'true' }, 'AI') : null);
    this.element.view = this;
    if (this.role === 'user') {
      this.body.textContent = this.text;
      this.element.append(this.body);
    } else {
      this.state = el('div', { className: 'msg-state', hidden: true });
      this.tools = el('div', { className: 'msg-tools', hidden: true });
      this.main = el('div', { className: 'msg-main' }, this.body, this.state, this.tools);
      this.element.append(this.main);
      this.renderNow();
    }
    this.setId(message.id);
    this.finishReason = message.finishReason || null;
    this.setStatus(message.status || 'complete', message.errorCode);
  }

  setId(id) {
    this.id = id || null;
    if (this.id) {
      this.element.dataset.id = this.id;
    }
  }

  appendText(text) {
    this.text += text;
    if (!this.renderQueued) {
      this.renderQueued = true;
      requestAnimationFrame(() => this.renderNow());
    }
  }

  setText(text) {
    this.text = text || '';
    if (this.role === 'user') {
      this.body.textContent = this.text;
    } else {
      this.renderNow();
    }
  }

  renderNow() {
    this.renderQueued = false;
    // Any answer that did not complete was cut mid-text (streaming, stopped, failed...): close an
    // open bold the same way everywhere, so a stopped answer reads the same before and after a reload.
    const text = this.status && this.status !== 'complete' ? closeOpenBold(this.text) : this.text;
    // Safe: renderMarkdown escapes all of the model's text before adding its own tags.
    this.body.innerHTML = renderMarkdown(text);
    this.body.classList.toggle('is-empty', this.text.trim() === '');
    this.handlers.onRendered?.(this);
  }

  /** Shows the answer's state; detail is a human sentence for failures. */
  setStatus(status, errorCode, detail) {
    const wasComplete = this.status === 'complete';
    this.status = status;
    if (this.role === 'assistant' && wasComplete !== (status === 'complete') && this.text) {
      this.renderNow(); // complete and cut answers render an open bold differently
    }
    this.element.dataset.status = status;
    if (this.role !== 'assistant') {
      return;
    }
    const live = status === 'streaming';
    this.body.setAttribute('aria-busy', String(live));
    if (live) {
      this.body.setAttribute('aria-live', 'polite');
    } else {
      this.body.removeAttribute('aria-live');
    }
    this.state.replaceChildren();
    this.state.hidden = status === 'complete' && !CUT_TEXT[this.finishReason];
    const retry = (label) => el('button', { className: 'button button-small msg-retry', type: 'button',
      onclick: () => this.handlers.onRetry(this) }, icon('retry'), label);
    switch (status) {
      case 'complete':
        if (CUT_TEXT[this.finishReason]) {
          this.state.append(badge('cut', 'Cut short'), el('span', { className: 'state-note' }, CUT_TEXT[this.finishReason]));
        }
        break;
      case 'streaming':
        this.state.append(el('span', { className: 'typing', role: 'img', 'aria-label': 'Writing the answer' },
          el('span'), el('span'), el('span')));
        break;
      case 'generating':
        this.state.append(badge('generating', 'Still generating…'),
          el('span', { className: 'state-note' }, 'This answer is being written by the server.'),
          el('button', { className: 'button button-small msg-refresh', type: 'button', onclick: () => this.handlers.onRefresh(this) },
            icon('refresh'), 'Refresh'),
          el('button', { className: 'button button-small msg-stop', type: 'button', onclick: () => this.handlers.onStop(this) },
            'Stop'));
        break;
      case 'stopped':
        this.state.append(badge('stopped', 'Stopped'),
          el('span', { className: 'state-note' }, STOP_TEXT[errorCode] || 'The answer was stopped before the end.'),
          retry('Regenerate'));
        break;
      case 'failed':
        this.state.append(badge('failed', 'Failed'),
          el('span', { className: 'state-note' }, detail || describeError(errorCode)), retry('Retry'));
        break;
      case 'incomplete':
        this.state.append(badge('incomplete', 'Incomplete'),
          el('span', { className: 'state-note' }, detail || 'The connection ended before the answer was finished.'),
          el('button', { className: 'button button-small msg-refresh', type: 'button', onclick: () => this.handlers.onRefresh(this) },
            icon('refresh'), 'Show what was saved'),
          retry('Retry'));
        break;
      default:
        break;
    }
    this.renderTools();
  }

  renderTools() {
    const finished = this.id && this.status !== 'streaming' && this.status !== 'generating';
    this.tools.hidden = !finished;
    if (this.copyButton) {
      this.copyButton.hidden = this.text.trim() === '';
      // Stopped and failed answers offer it in their state row already.
      this.regenerateButton.hidden = this.status !== 'complete';
    }
    if (!finished || this.tools.childElementCount > 0) {
      return;
    }
    this.copyButton = el('button', { className: 'icon-button msg-copy', type: 'button', title: 'Copy answer',
      'aria-label': 'Copy answer', onclick: () => copyText(this.text, this.copyButton) }, icon('copy'));
    this.upButton = el('button', { className: 'icon-button feedback-up', type: 'button', title: 'Good answer',
      'aria-label': 'Good answer', 'aria-pressed': 'false', onclick: () => this.handlers.onRate(this, 'up') }, icon('thumb'));
    this.downButton = el('button', { className: 'icon-button feedback-down', type: 'button', title: 'Bad answer',
      'aria-label': 'Bad answer', 'aria-pressed': 'false', onclick: () => this.handlers.onRate(this, 'down') },
      icon('thumb', 'icon-flip'));
    // Shown on the latest answer only (app.css): a new answer to the last question.
    this.regenerateButton = el('button', { className: 'icon-button msg-regenerate', type: 'button',
      title: 'Regenerate answer', 'aria-label': 'Regenerate answer', onclick: () => this.handlers.onRetry(this) },
      icon('retry'));
    this.feedbackStatus = el('span', { className: 'feedback-status', 'aria-live': 'polite' });
    this.copyButton.hidden = this.text.trim() === '';
    this.regenerateButton.hidden = this.status !== 'complete';
    this.tools.append(this.copyButton, this.regenerateButton, this.upButton, this.downButton, this.feedbackStatus);
    if (this.feedback !== undefined) {
      this.setFeedback(this.feedback);
    }
  }

  /** feedback: null (none) or {rating, comment}; note: an optional status sentence. */
  setFeedback(feedback, note) {
    this.feedback = feedback;
    if (!this.upButton) {
      return;
    }
    const rating = feedback ? feedback.rating : null;
    this.upButton.setAttribute('aria-pressed', String(rating === 'up'));
    this.downButton.setAttribute('aria-pressed', String(rating === 'down'));
    this.element.dataset.feedback = rating || '';
    let text = note || '';
    if (!text && feedback) {
      text = feedback.comment ? `Your comment: “${feedback.comment}”` : '';
    }
    this.feedbackStatus.textContent = text;
  }

  /** The optional comment box under the feedback buttons, opened after a thumb was saved. */
  openCommentForm(rating) {
    this.closeCommentForm();
    const id = `comment-${this.id}`;
    const textarea = el('textarea', { id, className: 'feedback-comment', rows: '2', maxlength: '2000',
      placeholder: rating === 'down' ? 'What was wrong with this answer?' : 'What was good about it?' });
    textarea.value = this.feedback && this.feedback.comment ? this.feedback.comment : '';
    this.form = el('form', { className: 'feedback-form' },
      el('label', { for: id }, 'Add a comment (optional)'),
      textarea,
      el('div', { className: 'feedback-actions' },
        el('button', { className: 'button button-small', type: 'button', onclick: () => this.closeCommentForm() }, 'Close'),
        el('button', { className: 'button button-small button-primary feedback-save', type: 'submit' }, 'Save comment')));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.handlers.onComment(this, rating, textarea.value.trim());
    });
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.closeCommentForm();
        (rating === 'up' ? this.upButton : this.downButton).focus();
      }
    });
    this.main.append(this.form);
    this.form.scrollIntoView({ block: 'nearest' });
    textarea.focus();
  }

  closeCommentForm() {
    if (this.form) {
      this.form.remove();
      this.form = null;
    }
  }
}

/**
 * While an answer streams, a bold run that has begun but not yet ended would show its "**" for a
 * moment; closing it early keeps the text steady. Not inside an open code fence, where ** is code.
 */
function closeOpenBold(text) {
  const fences = (text.match(/^ {0,3}(`{3,}|~{3,})/gm) || []).length;
  const paragraph = text.slice(text.lastIndexOf('\n\n') + 1);
  const bold = (paragraph.match(/\*\*/g) || []).length;
  return fences % 2 === 0 && bold % 2 === 1 && !/\*\*\s*$/.test(paragraph) ? `${text.trimEnd()}**` : text;
}

function badge(kind, text) {
  return el('span', { className: `badge badge-${kind}` }, text);
}

/** Copies text and says so on the button for a moment. */
export async function copyText(text, button) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // No clipboard permission (e.g. plain http on another host): fall back to a hidden selection.
    const area = el('textarea', { className: 'visually-hidden', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    copied = document.execCommand('copy');
    area.remove();
  }
  button.dataset.label ??= button.getAttribute('aria-label');
  const label = button.dataset.label;
  button.classList.toggle('copied', copied);
  if (button.classList.contains('copy-code')) {
    button.textContent = copied ? 'Copied' : 'Copy failed';
  }
  button.setAttribute('aria-label', copied ? 'Copied' : 'Copy failed');
  setTimeout(() => {
    button.classList.remove('copied');
    if (button.classList.contains('copy-code')) {
      button.textContent = 'Copy';
    }
    button.setAttribute('aria-label', label);
  }, 1500);
}
