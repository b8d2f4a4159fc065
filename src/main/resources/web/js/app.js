// app.js: the chat page's controller. Wires the DOM to the API: the open conversation (its
// newest page first, older pages as you scroll up), streamed turns with stop and retry, the
// model picker, the key dialog of token mode and error messages. The conversation list lives in
// sidebar.js, feedback in feedback.js.
// The server is the source of truth: after a reload everything is read back from it, and the
// only state kept here is what is on screen and the turns this page is streaming right now.

import { Api, ApiError } from './api.js';
import { FeedbackControls } from './feedback.js';
import { ConversationList } from './sidebar.js';
import { MessageView, conversationTitle, copyText, describeError, el } from './views.js';

const PAGE = 30;
const POLL_MS = 2000;

const $ = (id) => document.getElementById(id);
const dom = {
  newChat: $('new-chat'), title: $('conversation-title'), modelPicker: $('model-picker'),
  messages: $('messages'), list: $('message-list'), historyStatus: $('history-status'), empty: $('empty-state'),
  alert: $('alert'), alertText: $('alert-text'), alertClose: $('alert-close'),
  composer: $('composer'), input: $('composer-input'), send: $('send-button'), stop: $('stop-button'),
  announcer: $('announcer'),
  keyDialog: $('key-dialog'), keyForm: $('key-form'), keyInput: $('key-input'), keyError: $('key-error'),
};

const state = {
  current: null, // the open conversation; null while a new one is not created yet
  openToken: 0, // bumped whenever the main pane changes, so late answers for an older view are dropped
  historyCursor: null,
  historyLoading: false,
  historyPages: 0, // pages of the open conversation on screen
  stickToBottom: true,
  creating: false,
  live: new Map(), // conversation id → the turn this page is streaming there
  pollTimer: null,
};

const api = new Api(askForKey);
const sidebar = new ConversationList(api, {
  open: (id) => {
    history.pushState(null, '', `#/c/${id}`);
    openConversation(id);
  },
  renamed: (conversation) => showConversation(conversation, false),
  deleted: (id) => {
    if (state.current && state.current.id === id) {
      history.pushState(null, '', location.pathname + location.search);
      showNew();
    }
  },
  currentId: () => (state.current ? state.current.id : null),
  report,
  announce,
});
const feedback = new FeedbackControls(api, dom.messages, report);

const messageHandlers = {
  onRetry: (view) => retry(view),
  onRefresh: () => refreshLatest(),
  onStop: () => stopTurn(),
  onRate: (view, rating) => feedback.rate(view, rating),
  onComment: (view, rating, comment) => feedback.saveComment(view, rating, comment),
  onRendered: () => followBottom(),
};

// ---- start -------------------------------------------------------------------------------

function start() {
  wireEvents();
  autosize();
  updateComposer();
  const id = idFromUrl();
  loadModels();
  sidebar.loadMore();
  if (id) {
    openConversation(id);
  } else {
    showNew();
  }
}

function idFromUrl() {
  const match = location.hash.match(/^#\/c\/([\w-]+)$/);
  return match ? match[1] : null;
}

function wireEvents() {
  dom.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  dom.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  dom.input.addEventListener('input', () => {
    autosize();
    updateComposer();
  });
  dom.stop.addEventListener('click', () => stopTurn());
  dom.newChat.addEventListener('click', () => {
    history.pushState(null, '', location.pathname + location.search);
    showNew();
    sidebar.setOpen(false);
    dom.input.focus();
  });
  dom.alertClose.addEventListener('click', hideAlert);
  window.addEventListener('popstate', () => {
    const id = idFromUrl();
    if (id) {
      openConversation(id);
    } else {
      showNew();
    }
  });
  dom.messages.addEventListener('scroll', () => {
    const scroller = dom.messages;
    state.stickToBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    if (scroller.scrollTop < 200) {
      loadOlder();
    }
  });
  dom.list.addEventListener('click', (event) => {
    const button = event.target.closest('.copy-code');
    if (button) {
      copyText(button.closest('.code-block').querySelector('code').textContent, button);
    }
  });
  // Without a key the page can do nothing, so Escape does not dismiss the key dialog.
  dom.keyDialog.addEventListener('cancel', (event) => event.preventDefault());
}

// ---- models ------------------------------------------------------------------------------

async function loadModels() {
  try {
    const { models, defaultModel } = await api.models();
    dom.modelPicker.replaceChildren(...models.map((model) =>
      el('option', { value: model.name, title: `${model.provider} · ${model.contextWindow} token window` }, model.name)));
    dom.modelPicker.value = defaultModel;
    dom.modelPicker.dataset.default = defaultModel;
    syncModelPicker();
  } catch (error) {
    report(error);
  }
}

/** The picker follows the open conversation's model when this server still offers it. */
function syncModelPicker() {
  const wanted = state.current ? state.current.model : dom.modelPicker.dataset.default;
  if (wanted && [...dom.modelPicker.options].some((option) => option.value === wanted)) {
    dom.modelPicker.value = wanted;
  }
}

// ---- the open conversation ---------------------------------------------------------------

function showNew() {
  state.openToken++;
  state.current = null;
  state.historyCursor = null;
  state.historyPages = 0;
  stopPolling();
  dom.list.replaceChildren();
  dom.empty.hidden = false;
  dom.historyStatus.textContent = '';
  dom.title.textContent = 'New conversation';
  sidebar.markActive();
  syncModelPicker();
  updateComposer();
}

/** Opens a conversation with one request for its newest page, however long it is. */
async function openConversation(id) {
  const token = ++state.openToken;
  stopPolling();
  sidebar.setOpen(false);
  hideAlert();
  state.current = { id, title: sidebar.titleOf(id), model: null };
  state.historyCursor = null;
  state.historyLoading = false;
  state.historyPages = 0;
  state.stickToBottom = true;
  dom.list.replaceChildren();
  dom.empty.hidden = true;
  dom.title.textContent = conversationTitle(state.current.title);
  dom.historyStatus.textContent = 'Loading messages…';
  sidebar.markActive();
  updateComposer();
  try {
    const [conversation, page] = await Promise.all([api.conversation(id), api.messages(id, null, PAGE)]);
    if (token !== state.openToken) {
      return;
    }
    state.current = conversation;
    dom.title.textContent = conversationTitle(conversation.title);
    syncModelPicker();
    const views = page.items.slice().reverse().map(viewOf);
    const live = state.live.get(id);
    if (live && !page.items.some((message) => message.id === live.reply.id)) {
      // this page is still streaming a turn here; show it, not a copy (a regeneration has no new question)
      views.push(...[live.user, live.reply].filter(Boolean));
    }
    dom.list.replaceChildren(...views.map((view) => view.element));
    dom.empty.hidden = views.length > 0;
    state.historyCursor = page.nextCursor;
    state.historyPages = 1;
    updateHistoryStatus();
    scrollToBottom();
    views.forEach((view) => feedback.watch(view));
    pollWhileGenerating();
    updateComposer();
    if (dom.messages.scrollHeight <= dom.messages.clientHeight) {
      loadOlder(); // too short to scroll, so ask for the earlier page now
    }
  } catch (error) {
    if (token !== state.openToken) {
      return;
    }
    dom.historyStatus.textContent = '';
    if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'invalid_id')) {
      history.replaceState(null, '', location.pathname + location.search);
      sidebar.remove(id);
      showNew();
    }
    report(error);
  }
}

/** The sidebar and, when it is the open one, the header show a conversation's latest state. */
function showConversation(conversation, toTop) {
  sidebar.upsert(conversation, toTop);
  if (state.current && state.current.id === conversation.id) {
    state.current = conversation;
    dom.title.textContent = conversationTitle(conversation.title);
  }
}

/** A view for a stored message; a reply this page is streaming is reused rather than drawn twice. */
function viewOf(message) {
  const live = state.live.get(message.conversationId);
  if (live && live.reply.id === message.id) {
    return live.reply;
  }
  if (live && live.user && live.user.id === message.id) {
    return live.user;
  }
  // A reply still streaming, but not through this page (a reload, another tab): say so and offer a refresh.
  const status = message.role === 'assistant' && message.status === 'streaming' ? 'generating' : message.status;
  return new MessageView({ ...message, status }, messageHandlers);
}

async function loadOlder() {
  const current = state.current;
  if (!current || !state.historyCursor || state.historyLoading) {
    return;
  }
  const token = state.openToken;
  state.historyLoading = true;
  dom.historyStatus.textContent = 'Loading earlier messages…';
  let loaded = false;
  try {
    const page = await api.messages(current.id, state.historyCursor, PAGE);
    if (token !== state.openToken) {
      return;
    }
    const views = page.items.slice().reverse().map(viewOf);
    // Keep what the reader is looking at in place: same distance from the bottom after the prepend.
    const scroller = dom.messages;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    dom.list.prepend(...views.map((view) => view.element));
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
    state.historyCursor = page.nextCursor;
    state.historyPages++;
    views.forEach((view) => feedback.watch(view));
    loaded = true;
  } catch (error) {
    if (token === state.openToken) {
      report(error);
    }
  } finally {
    if (token === state.openToken) {
      state.historyLoading = false;
      updateHistoryStatus();
    }
  }
  if (loaded && token === state.openToken && dom.messages.scrollTop < 200) {
    loadOlder();
  }
}

/** Marks the top of a conversation, once the reader has scrolled back through more than one page. */
function updateHistoryStatus() {
  const atStart = !state.historyCursor && state.historyPages > 1;
  dom.historyStatus.textContent = atStart ? 'Beginning of the conversation' : '';
}

/** Reads the newest page again and updates what changed: used after a reload left a reply generating. */
async function refreshLatest() {
  const current = state.current;
  if (!current) {
    return;
  }
  const token = state.openToken;
  try {
    const page = await api.messages(current.id, null, PAGE);
    if (token !== state.openToken) {
      return;
    }
    const shown = new Map([...dom.list.children].map((node) => [node.dataset.id, node.view]));
    const lastSeq = Math.max(-1, ...[...shown.values()].map((view) => view.seq ?? -1));
    for (const message of page.items.slice().reverse()) {
      const view = shown.get(message.id);
      if (view && (view.status === 'generating' || view.status === 'incomplete') && !isLive(view)) {
        const status = message.status === 'streaming' ? 'generating' : message.status;
        view.setText(message.content);
        view.finishReason = message.finishReason || null;
        view.setStatus(status, message.errorCode);
        feedback.watch(view);
      } else if (!view && message.seq > lastSeq) {
        const added = viewOf(message);
        dom.list.append(added.element);
        feedback.watch(added);
      }
    }
    dom.empty.hidden = dom.list.childElementCount > 0;
    pollWhileGenerating();
  } catch (error) {
    report(error);
  }
}

function isLive(view) {
  return [...state.live.values()].some((live) => live.reply === view);
}

function pollWhileGenerating() {
  stopPolling();
  if (dom.list.querySelector('[data-status="generating"]')) {
    state.pollTimer = setTimeout(refreshLatest, POLL_MS);
  }
}

function stopPolling() {
  clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

function scrollToBottom() {
  dom.messages.scrollTop = dom.messages.scrollHeight;
  state.stickToBottom = true;
}

function followBottom() {
  if (state.stickToBottom) {
    dom.messages.scrollTop = dom.messages.scrollHeight;
  }
}

// ---- turns -------------------------------------------------------------------------------

function busy() {
  return state.creating || Boolean(state.current && state.live.has(state.current.id));
}

function updateComposer() {
  const live = state.current ? state.live.get(state.current.id) : null;
  dom.send.hidden = Boolean(live);
  dom.send.disabled = busy() || dom.input.value.trim() === '';
  dom.stop.hidden = !live;
  dom.stop.disabled = Boolean(live && live.stopping);
}

function autosize() {
  // CSSOM writes are allowed by the page's CSP (only inline style attributes in markup are not).
  dom.input.style.height = 'auto';
  dom.input.style.height = `${Math.min(dom.input.scrollHeight, 220)}px`;
}

function submit() {
  const text = dom.input.value;
  if (!text.trim() || busy()) {
    return;
  }
  dom.input.value = '';
  autosize();
  dom.input.focus();
  sendTurn(text);
}

async function sendTurn(text) {
  hideAlert();
  const model = dom.modelPicker.value || undefined;
  let conversation = state.current;
  if (!conversation) {
    state.creating = true;
    updateComposer();
    const token = state.openToken;
    try {
      conversation = await api.createConversation(model);
    } catch (error) {
      restoreInput(text);
      report(error);
      return;
    } finally {
      state.creating = false;
      updateComposer();
    }
    if (token !== state.openToken) {
      restoreInput(text); // the user went elsewhere meanwhile; keep their text rather than send it there
      return;
    }
    state.current = conversation;
    history.pushState(null, '', `#/c/${conversation.id}`);
    showConversation(conversation, true);
    updateHistoryStatus();
  }
  const id = conversation.id;
  const user = new MessageView({ role: 'user', content: text, status: 'complete' }, messageHandlers);
  const reply = new MessageView({ role: 'assistant', content: '', status: 'streaming' }, messageHandlers);
  dom.empty.hidden = true;
  dom.list.append(user.element, reply.element);
  scrollToBottom();
  await follow(id, { user, reply }, (onEvent) => api.streamTurn(id, { content: text, model }, onEvent), () => {
    // Refused before the turn began, so nothing was saved: take the message back into the box.
    user.element.remove();
    reply.element.remove();
    dom.empty.hidden = dom.list.childElementCount > 0;
    restoreInput(text);
  });
  if (document.activeElement === document.body) {
    dom.input.focus();
  }
}

/**
 * Runs a streamed turn into its views: marks the reply incomplete when the stream ends early,
 * and calls refused (then reports the error) when the server said no before the turn began.
 */
async function follow(id, views, stream, refused) {
  const live = { ...views, started: false, finished: false, stopping: false };
  state.live.set(id, live);
  updateComposer();
  try {
    await stream((name, data) => onTurnEvent(live, name, data));
    if (!live.finished) {
      live.reply.setStatus('incomplete');
      announce('The answer is incomplete: the connection ended early.');
    }
  } catch (error) {
    if (live.started) {
      live.reply.setStatus('incomplete', null, describeError(error.code, error.message));
    } else {
      refused();
      report(error);
    }
  } finally {
    state.live.delete(id);
    updateComposer();
  }
}

function onTurnEvent(live, name, data) {
  switch (name) {
    case 'turn':
      live.started = true;
      if (live.user) {
        live.user.seq = data.userMessage.seq;
        live.user.setId(data.userMessage.id);
      }
      live.reply.seq = data.reply.seq;
      live.reply.setId(data.reply.id);
      showConversation(data.conversation, true);
      break;
    case 'delta':
      live.reply.appendText(data.text);
      break;
    case 'done':
      finishTurn(live, data.reply);
      announce('The answer is complete.');
      break;
    case 'stopped':
      finishTurn(live, data.reply);
      announce('The answer was stopped.');
      break;
    case 'error': {
      const detail = describeError(data.error && data.error.code, data.error && data.error.message);
      finishTurn(live, data.reply || { content: live.reply.text, status: 'failed' }, detail);
      announce(`The answer failed. ${detail}`);
      break;
    }
    default:
      break; // an event this page does not know yet
  }
}

function finishTurn(live, reply, detail) {
  live.finished = true;
  live.reply.setText(reply.content); // the saved text is the truth, whatever the deltas said
  live.reply.finishReason = reply.finishReason || null;
  live.reply.setStatus(reply.status, reply.errorCode, detail);
  live.reply.setFeedback(null);
}

async function stopTurn() {
  const current = state.current;
  if (!current) {
    return;
  }
  const live = state.live.get(current.id);
  if (live) {
    live.stopping = true;
    updateComposer();
  }
  try {
    const { stopped } = await api.stop(current.id);
    if (!stopped && live && !live.finished) {
      live.stopping = false; // the turn had not begun on the server yet; let the user press Stop again
      updateComposer();
    }
    if (!live) {
      refreshLatest();
    }
  } catch (error) {
    if (live) {
      live.stopping = false;
      updateComposer();
    }
    report(error);
  }
  dom.input.focus();
}

/** Regenerate / Retry: sends the user message this answer was for again, as a new turn. */
function retry(view) {
  if (busy()) {
    showAlert(describeError('turn_in_progress'));
    return;
  }
  if (!view.element.nextElementSibling && view.id) {
    // The latest answer: ask for a new one to the same question rather than repeating the question.
    regenerateTurn();
    return;
  }
  let node = view.element.previousElementSibling;
  while (node && node.dataset.role !== 'user') {
    node = node.previousElementSibling;
  }
  if (node) {
    dom.input.focus();
    sendTurn(node.view.text);
  }
}

/** A new answer to the last question, appended below the answers it already has. */
async function regenerateTurn() {
  hideAlert();
  const conversation = state.current;
  if (!conversation) {
    return;
  }
  const id = conversation.id;
  const model = dom.modelPicker.value || undefined;
  const reply = new MessageView({ role: 'assistant', content: '', status: 'streaming' }, messageHandlers);
  dom.list.append(reply.element);
  scrollToBottom();
  await follow(id, { user: null, reply }, (onEvent) => api.streamRegeneration(id, { model }, onEvent),
    () => reply.element.remove());
}

function restoreInput(text) {
  if (!dom.input.value.trim()) {
    dom.input.value = text;
    autosize();
    updateComposer();
  }
}

// ---- token mode and messages to the user -------------------------------------------------

/** Shows the key dialog and resolves with the key typed; rejected says the last key was refused. */
function askForKey(rejected) {
  return new Promise((resolve) => {
    dom.keyError.textContent = rejected ? 'That key was not accepted. Check it and try again.' : '';
    dom.keyInput.value = '';
    dom.keyForm.onsubmit = (event) => {
      event.preventDefault();
      const key = dom.keyInput.value.trim();
      if (!key) {
        dom.keyError.textContent = 'Enter your API key.';
        return;
      }
      dom.keyDialog.close();
      resolve(key);
    };
    dom.keyDialog.showModal();
    dom.keyInput.focus();
  });
}

function report(error) {
  if (error instanceof ApiError) {
    showAlert(describeError(error.code, error.message));
  } else {
    console.error(error);
    showAlert('Something went wrong on this page. Reload it and try again.');
  }
}

function showAlert(text) {
  dom.alertText.textContent = text;
  dom.alert.hidden = false;
}

function hideAlert() {
  dom.alert.hidden = true;
  dom.alertText.textContent = '';
}

function announce(text) {
  dom.announcer.textContent = text;
}

start();
