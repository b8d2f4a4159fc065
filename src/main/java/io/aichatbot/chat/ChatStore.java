package io.aichatbot.chat;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Durable history, as the chat domain needs it. Every method that returns normally has
 * committed its writes: callers may tell a user "saved" right after.
 *
 * <p>Ownership is part of every user-facing query: a conversation of another user is
 * indistinguishable from a missing one. Implementations are thread-safe.
 */
public interface ChatStore {

    Conversation createConversation(String userId, String title, String model, Instant now);

    Optional<Conversation> findConversation(String userId, String conversationId);

    /** Newest-updated first; {@code cursor} null for the first page. */
    Page<Conversation> listConversations(String userId, String cursor, int limit);

    Optional<Conversation> renameConversation(String userId, String conversationId, String title, Instant now);

    /** Deletes the conversation with its messages and feedback; false if there was none to delete. */
    boolean deleteConversation(String userId, String conversationId);

    /**
     * In one transaction: takes the conversation's turn lease, appends the user message and an
     * empty assistant reply in status STREAMING. Throws NOT_FOUND, TURN_IN_PROGRESS or
     * CONVERSATION_FULL as a {@link ChatException}.
     */
    default TurnStart beginTurn(NewTurn turn) {
        return beginTurn(turn, conversation -> turn.model());
    }

    /**
     * As {@link #beginTurn(NewTurn)}, but the reply's model is chosen from the leased
     * conversation inside the same transaction, so a turn needs no read of the conversation
     * before it. {@code choice} may throw a {@link ChatException}; the turn is then rolled back.
     */
    TurnStart beginTurn(NewTurn turn, ModelChoice choice);

    /** Picks the model of a turn once its conversation is known. */
    @FunctionalInterface
    interface ModelChoice {
        String modelFor(Conversation conversation);
    }

    /**
     * In one transaction: takes the turn lease and appends only an empty assistant reply in
     * status STREAMING, answering again the conversation's last user message, which is returned
     * as the start's {@code userMessage}; earlier replies stay as they are (history is appended,
     * never rewritten). {@code choice} sees that question and may refuse (the whole is then rolled
     * back). Throws NOT_FOUND, TURN_IN_PROGRESS, CONVERSATION_FULL or NOTHING_TO_REGENERATE.
     */
    TurnStart beginRegeneration(NewReply reply, RegenerationChoice choice);

    /** Picks the model of a regenerated reply once the conversation and its last question are known. */
    @FunctionalInterface
    interface RegenerationChoice {
        String modelFor(Conversation conversation, Message question);
    }

    /**
     * Records that the user asked to stop the conversation's running turn, for the instance
     * running it to find ({@link #stopsRequested}). False if no turn holds a live lease.
     */
    boolean requestStop(String userId, String conversationId, Instant now);

    /** Which of these conversations (at most a few hundred ids) have a stop request pending. */
    Set<String> stopsRequested(Collection<String> conversationIds);

    /** Finishes the reply row (content, status, usage, timing) and releases the turn lease. */
    Message finishReply(FinishedReply reply);

    Page<Message> listMessages(String userId, String conversationId, String cursor, int limit, SortOrder order);

    /**
     * Visits messages with seq below {@code beforeSeq}, newest first, at most {@code maxRows} of
     * them, until {@code visitor} returns false. One query, read lazily: rows past the point
     * where the visitor stops are never read. For building prompts; no ownership check because
     * the caller holds the turn lease.
     */
    void scanHistory(String conversationId, long beforeSeq, int maxRows, Predicate<Message> visitor);

    /** Up to {@code limit} messages with seq below {@code beforeSeq}, newest first. */
    default List<Message> recentMessages(String conversationId, long beforeSeq, int limit) {
        List<Message> messages = new java.util.ArrayList<>();
        scanHistory(conversationId, beforeSeq, limit, messages::add);
        return messages;
    }

    Optional<Message> findMessage(String userId, String messageId);

    /** Creates or replaces the user's feedback on an assistant message. */
    Feedback saveFeedback(String userId, String messageId, Feedback.Rating rating, String comment, Instant now);

    Optional<Feedback> findFeedback(String userId, String messageId);

    /** The user's feedback on any of these messages (one query, for a page of messages). */
    java.util.Map<String, Feedback> feedbackFor(String userId, Collection<String> messageIds);

    /**
     * Marks replies left STREAMING by a dead process as FAILED (error code {@code interrupted})
     * and frees their leases. Only conversations whose lease expired before {@code now} are
     * touched, so live turns of another instance are safe. Returns the number of replies fixed.
     */
    int recoverInterruptedTurns(Instant now);
}
