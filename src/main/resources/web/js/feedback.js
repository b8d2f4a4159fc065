// feedback.js: thumbs up/down with an optional comment on answers. A thumb is saved at once,
// then a comment box opens. Saved feedback is read lazily: only for answers that scroll into
// view, two requests at a time, so opening a long conversation costs no extra requests up front.

const PARALLEL_READS = 2;

export class FeedbackControls {
  constructor(api, scroller, report) {
    this.api = api;
    this.report = report;
    this.queue = [];
    this.running = 0;
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          this.observer.unobserve(entry.target);
          this.queue.push(entry.target.view);
          this.pump();
        }
      }
    }, { root: scroller });
  }

  /** Reads the saved feedback of a finished answer once it is on screen. */
  watch(view) {
    if (view.role === 'assistant' && view.id && view.feedback === undefined
        && view.status !== 'streaming' && view.status !== 'generating') {
      this.observer.observe(view.element);
    }
  }

  pump() {
    while (this.running < PARALLEL_READS && this.queue.length > 0) {
      const view = this.queue.shift();
      if (view.feedback !== undefined || !view.element.isConnected) {
        continue;
      }
      this.running++;
      this.api.feedback(view.id)
        .then((feedback) => {
          if (view.feedback === undefined) {
            view.setFeedback(feedback);
          }
        })
        .catch(() => {}) // the buttons still work: a click reads it again
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  async rate(view, rating) {
    try {
      if (view.feedback === undefined) {
        view.setFeedback(await this.api.feedback(view.id));
      }
      // Rating again replaces the feedback, so send the earlier comment along to keep it.
      const comment = view.feedback && view.feedback.comment ? view.feedback.comment : undefined;
      const saved = await this.api.giveFeedback(view.id, rating, comment);
      view.setFeedback(saved, rating === 'up' ? 'Thanks! Marked as a good answer.' : 'Thanks! Marked as a bad answer.');
      view.openCommentForm(rating);
    } catch (error) {
      this.report(error);
    }
  }

  async saveComment(view, rating, comment) {
    try {
      const saved = await this.api.giveFeedback(view.id, rating, comment || undefined);
      view.closeCommentForm();
      view.setFeedback(saved, comment ? `Feedback saved with your comment: “${comment}”` : 'Feedback saved.');
      (rating === 'up' ? view.upButton : view.downButton).focus();
    } catch (error) {
      this.report(error);
    }
  }
}
