// sidebar.js: the conversation list. Keyset pages, newest activity first, loaded as the list is
// scrolled down; rename in place; delete after a confirmation; the slide-in toggle of the phone layout.

import { ApiError } from './api.js';
import { conversationItem, el, setConversationTitle } from './views.js';

const PAGE = 30;
const $ = (id) => document.getElementById(id);

export class ConversationList {
  /**
   * hooks: open(id) when a conversation is picked; renamed(conversation); deleted(id);
   * currentId() the open conversation's id or null; report(error); announce(text).
   */
  constructor(api, hooks) {
    this.api = api;
    this.hooks = hooks;
    this.list = $('conversation-list');
    this.scroller = $('conversation-scroller');
    this.status = $('conversation-status');
    this.menu = $('menu-button');
    this.newChat = $('new-chat');
    this.confirmDialog = $('confirm-dialog');
    this.cursor = null;
    this.loading = false;
    this.done = false;
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 200) {
        this.loadMore();
      }
    });
    this.menu.addEventListener('click', () => this.setOpen(!document.body.classList.contains('sidebar-open')));
    $('sidebar-backdrop').addEventListener('click', () => this.setOpen(false));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && document.body.classList.contains('sidebar-open')) {
        this.setOpen(false);
        this.menu.focus();
      }
    });
    $('confirm-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.confirmDialog.close('ok');
    });
    $('confirm-cancel').addEventListener('click', () => this.confirmDialog.close('cancel'));
  }

  async loadMore() {
    if (this.loading || this.done) {
      return;
    }
    this.loading = true;
    this.status.textContent = 'Loading…';
    try {
      const page = await this.api.conversations(this.cursor, PAGE);
      for (const conversation of page.items) {
        if (!this.find(conversation.id)) { // a turn may have moved it up already
          this.list.append(this.item(conversation));
        }
      }
      this.cursor = page.nextCursor;
      this.done = !page.nextCursor;
      this.status.textContent = this.list.childElementCount === 0 ? 'No conversations yet.' : '';
    } catch (error) {
      this.status.textContent = 'Could not load the conversations.';
      this.hooks.report(error);
      return;
    } finally {
      this.loading = false;
    }
    this.markActive();
    if (!this.done && this.scroller.scrollHeight - this.scroller.clientHeight < 200) {
      this.loadMore(); // the list does not fill the sidebar yet, so no scroll would ever ask
    }
  }

  item(conversation) {
    return conversationItem(conversation, {
      onOpen: (id) => this.hooks.open(id),
      onRename: (item) => this.startRename(item),
      onDelete: (item) => this.confirmDelete(item),
    });
  }

  find(id) {
    return [...this.list.children].find((item) => item.dataset.id === id) || null;
  }

  titleOf(id) {
    const item = this.find(id);
    return item ? item.querySelector('.conv-open').textContent : '';
  }

  /** Shows a conversation's current title; toTop moves it up, as the server's order (latest activity) does. */
  upsert(conversation, toTop) {
    let item = this.find(conversation.id);
    if (!item) {
      item = this.item(conversation);
      this.list.prepend(item);
    } else {
      setConversationTitle(item, conversation.title);
      if (toTop && this.list.firstElementChild !== item) {
        this.list.prepend(item);
      }
    }
    this.status.textContent = '';
    this.markActive();
  }

  remove(id) {
    this.find(id)?.remove();
    if (this.list.childElementCount === 0 && this.done) {
      this.status.textContent = 'No conversations yet.';
    }
  }

  markActive() {
    const current = this.hooks.currentId();
    for (const item of this.list.children) {
      const active = item.dataset.id === current;
      item.classList.toggle('active', active);
      const open = item.querySelector('.conv-open');
      if (active) {
        open.setAttribute('aria-current', 'page');
      } else {
        open.removeAttribute('aria-current');
      }
    }
  }

  /** Phone layout only: the list slides in over the conversation. */
  setOpen(open) {
    document.body.classList.toggle('sidebar-open', open);
    this.menu.setAttribute('aria-expanded', String(open));
    if (open) {
      (this.list.querySelector('.active .conv-open') || this.newChat).focus();
    }
  }

  startRename(item) {
    const open = item.querySelector('.conv-open');
    const input = el('input', { className: 'conv-rename-input', type: 'text', maxlength: '200', 'aria-label': 'New title' });
    input.value = open.textContent;
    open.hidden = true;
    item.classList.add('renaming');
    item.prepend(input);
    input.focus();
    input.select();
    let finished = false;
    const finish = async (save) => {
      if (finished) {
        return;
      }
      finished = true;
      const title = input.value.trim();
      input.remove();
      open.hidden = false;
      item.classList.remove('renaming');
      open.focus();
      if (!save || !title || title === open.textContent) {
        return;
      }
      try {
        const conversation = await this.api.rename(item.dataset.id, title);
        this.upsert(conversation, false);
        this.hooks.renamed(conversation);
      } catch (error) {
        this.hooks.report(error);
      }
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        finish(true);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        finish(false);
      }
    });
    input.addEventListener('blur', () => finish(true));
  }

  async confirmDelete(item) {
    const id = item.dataset.id;
    const title = item.querySelector('.conv-open').textContent;
    if (!await this.confirm(`“${title}” and all its messages and feedback will be deleted. This cannot be undone.`)) {
      return;
    }
    try {
      await this.api.deleteConversation(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'not_found')) {
        this.hooks.report(error);
        return;
      }
    }
    this.remove(id);
    this.hooks.deleted(id);
    this.hooks.announce(`Deleted “${title}”.`);
  }

  confirm(text) {
    return new Promise((resolve) => {
      $('confirm-text').textContent = text;
      this.confirmDialog.returnValue = '';
      this.confirmDialog.addEventListener('close', () => resolve(this.confirmDialog.returnValue === 'ok'), { once: true });
      this.confirmDialog.showModal();
      $('confirm-cancel').focus();
    });
  }
}
