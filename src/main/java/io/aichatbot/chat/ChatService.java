package io.aichatbot.chat;

import io.aichatbot.llm.ModelCatalog;
import io.aichatbot.llm.ModelEntry;
import io.aichatbot.llm.PromptMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat use cases: conversations, history pages, feedback and turns. Thread-safe; it holds
 * no lock of its own. Turns on different conversations run fully in parallel; two on one
 * conversation are refused by the store's turn lease (409), which also holds across instances
 * sharing one PostgreSQL database.
 */
public final class ChatService {

    public static final String DEFAULT_TITLE = "New conversation";
    public static final int MAX_TITLE_CHARS = 200;
    public static final int MAX_COMMENT_CHARS = 4000;
    public static final int MAX_PAGE = 100;

    private final ChatStore store;
    private final ModelCatalog models;
    private final ContextBuilder context;
    private final InstantSource clock;
    private final int maxMessageBytes;
    private final long maxMessagesPerConversation;
    private final Duration turnLease;
    /** Running turns of this process, by conversation id: bounded by the number of live turns. */
    private final Map<String, Turn> running = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;
    private volatile TurnObserver observer = TurnObserver.NONE;
    private volatile boolean relayStops;
    private final AtomicLong turnsStarted = new AtomicLong();

    public ChatService(ChatStore store, ModelCatalog models, ContextBuilder context, InstantSource clock,
                       int maxMessageBytes, long maxMessagesPerConversation, Duration turnLease) {
        this.store = store;
        this.models = models;
        this.context = context;
        this.clock = clock;
        this.maxMessageBytes = maxMessageBytes;
        this.maxMessagesPerConversation = maxMessagesPerConversation;
        this.turnLease = turnLease;
    }

    /** Set once at start, before the first turn (metrics are built after the service). */
    public void observeTurnsWith(TurnObserver observer) {
        this.observer = observer;
    }

    public ModelCatalog models() {
        return models;
    }

    public Conversation createConversation(String userId, String title, String model) {
        String name = model == null ? models.defaultModel() : model(model).name();
        return store.createConversation(userId, title == null ? DEFAULT_TITLE : checkTitle(title), name, clock.instant());
    }

    public Conversation conversation(String userId, String conversationId) {
        return store.findConversation(userId, checkId(conversationId)).orElseThrow(() -> ChatException.notFound("conversation"));
    }

    public Page<Conversation> conversations(String userId, String cursor, int limit) {
        return store.listConversations(userId, cursor, checkLimit(limit));
    }

    public Conversation rename(String userId, String conversationId, String title) {
        return store.renameConversation(userId, checkId(conversationId), checkTitle(title), clock.instant())
                .orElseThrow(() -> ChatException.notFound("conversation"));
    }

    public void delete(String userId, String conversationId) {
        if (!store.deleteConversation(userId, checkId(conversationId))) {
            throw ChatException.notFound("conversation");
        }
    }

    public Page<Message> messages(String userId, String conversationId, String cursor, int limit, SortOrder order) {
        return store.listMessages(userId, checkId(conversationId), cursor, checkLimit(limit), order);
    }

    public Feedback feedback(String userId, String messageId, Feedback.Rating rating, String comment) {
        if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
            throw new ChatException(ChatError.INVALID_REQUEST, "comment is longer than " + MAX_COMMENT_CHARS + " characters");
        }
        Message message = store.findMessage(userId, checkId(messageId)).orElseThrow(() -> ChatException.notFound("message"));
        if (message.role() != Message.Role.ASSISTANT) {
            throw new ChatException(ChatError.NOT_AN_ASSISTANT_MESSAGE, "feedback can only be given on an assistant message");
        }
        return store.saveFeedback(userId, message.id(), rating, comment, clock.instant());
    }

    /** The user's feedback on a page of messages, by message id; bounded by the page size. */
    public java.util.Map<String, Feedback> feedbackFor(String userId, List<Message> messages) {
        return store.feedbackFor(userId, messages.stream().filter(m -> m.role() == Message.Role.ASSISTANT).map(Message::id).toList());
    }

    /** One message, e.g. to follow a reply another tab is still receiving. */
    public Message message(String userId, String messageId) {
        return store.findMessage(userId, checkId(messageId)).orElseThrow(() -> ChatException.notFound("message"));
    }

    public Feedback findFeedback(String userId, String messageId) {
        return store.findFeedback(userId, checkId(messageId)).orElseThrow(() -> ChatException.notFound("feedback"));
    }

    /**
     * Validates and commits the user's message, then returns the turn, ready to {@link Turn#run}.
     * Nothing reaches a model before the user's message is durable.
     */
    public Turn startTurn(String userId, String conversationId, String content, String modelName) {
        refuseWhenShuttingDown();
        checkId(conversationId);
        if (content == null || content.isBlank()) {
            throw new ChatException(ChatError.EMPTY_MESSAGE, "content must not be empty");
        }
        int bytes = TokenEstimator.utf8Length(content);
        if (bytes > maxMessageBytes) {
            throw new ChatException(ChatError.MESSAGE_TOO_LARGE,
                    "message is " + bytes + " bytes; the limit is " + maxMessageBytes);
        }
        // An explicitly requested model is checked before anything is written; otherwise the
        // conversation's model is checked inside the turn's transaction, which saves reading the
        // conversation first (the store rolls the turn back if the check refuses).
        ModelEntry requested = modelName == null ? null : fitting(model(modelName), content);
        Instant now = clock.instant();
        TurnStart start = store.beginTurn(new NewTurn(userId, conversationId, Ids.newId(now.toEpochMilli()),
                        Ids.newId(now.toEpochMilli()), content, requested == null ? null : requested.name(), now,
                        now.plus(turnLease), maxMessagesPerConversation, titleFrom(content)),
                conversation -> requested != null ? requested.name() : fitting(model(conversation.model()), content).name());
        return launch(start, requested);
    }

    /**
     * Commits a new reply to the conversation's last question — the "regenerate" of a stopped,
     * failed or unwanted answer — and returns the turn, ready to {@link Turn#run}. No new user
     * message is written, and the earlier replies stay in the history; the prompt leaves them out
     * ({@link ContextBuilder}), so the model answers the question afresh.
     */
    public Turn startRegeneration(String userId, String conversationId, String modelName) {
        refuseWhenShuttingDown();
        checkId(conversationId);
        ModelEntry requested = modelName == null ? null : model(modelName);
        Instant now = clock.instant();
        TurnStart start = store.beginRegeneration(new NewReply(userId, conversationId, Ids.newId(now.toEpochMilli()), now,
                        now.plus(turnLease), maxMessagesPerConversation),
                (conversation, question) -> fitting(requested != null ? requested : model(conversation.model()),
                        question.content()).name());
        return launch(start, requested);
    }

    private void refuseWhenShuttingDown() {
        if (shuttingDown) {
            throw new ChatException(ChatError.SHUTTING_DOWN, "the server is shutting down; try again shortly");
        }
    }

    /** Builds the prompt of a committed start and registers its turn as running. */
    private Turn launch(TurnStart start, ModelEntry requested) {
        String conversationId = start.conversation().id();
        ModelEntry model = requested != null ? requested : model(start.reply().model());
        List<PromptMessage> prompt;
        try {
            prompt = context.build(conversationId, start.reply().seq(), model);
        } catch (RuntimeException e) {
            // The start is committed: end it properly so the lease is not left to expire.
            store.finishReply(new FinishedReply(conversationId, start.reply().id(), "", Message.Status.FAILED,
                    null, null, clock.instant(), null, 0, "internal_error", null, null));
            throw e;
        }
        int maxReplyBytes = Math.max(maxMessageBytes, model.maxOutputTokens() * 16);
        Turn turn = new Turn(start, model, prompt, store, clock, maxReplyBytes,
                ended -> running.remove(ended.conversationId(), ended), observer);
        running.put(conversationId, turn);
        turnsStarted.incrementAndGet();
        return turn;
    }

    /**
     * Stops the conversation's running turn. If this process does not run it and stops are
     * relayed ({@link #relayStopsThroughStore}), the request is left in the database for the
     * instance that does. False if no turn was running.
     */
    public boolean stop(String userId, String conversationId) {
        conversation(userId, conversationId); // ownership: someone else's conversation is "not found"
        Turn turn = running.get(conversationId);
        if (turn != null) {
            turn.cancel(StopReason.USER_STOP);
            return true;
        }
        return relayStops && store.requestStop(userId, conversationId, clock.instant());
    }

    /**
     * Several instances share the database (PostgreSQL behind a load balancer): a stop may reach
     * an instance that is not running the turn, so it is relayed through the store, and this
     * instance must call {@link #applyStopRequests} every so often. Set once at start.
     */
    public void relayStopsThroughStore() {
        this.relayStops = true;
    }

    /**
     * Stops the turns of this process whose stop was asked of another instance: one query for
     * all running turns, none when nothing runs.
     */
    public void applyStopRequests() {
        if (running.isEmpty()) {
            return;
        }
        for (String conversationId : store.stopsRequested(List.copyOf(running.keySet()))) {
            Turn turn = running.get(conversationId);
            if (turn != null) {
                turn.cancel(StopReason.USER_STOP);
            }
        }
    }

    /** Turns started by this process since it started. */
    public long turnsStarted() {
        return turnsStarted.get();
    }

    public int runningTurns() {
        return running.size();
    }

    /** Refuses new turns from now on; running ones go on until {@link #stopAll}. */
    public void beginShutdown() {
        shuttingDown = true;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    public void stopAll(StopReason reason) {
        running.values().forEach(turn -> turn.cancel(reason));
    }

    private ModelEntry fitting(ModelEntry model, String content) {
        if (TokenEstimator.estimate(content) > context.historyBudget(model)) {
            throw new ChatException(ChatError.MESSAGE_TOO_LONG_FOR_MODEL,
                    "message does not fit the context window of model " + model.name());
        }
        return model;
    }

    private ModelEntry model(String name) {
        return models.find(name).orElseThrow(() -> new ChatException(ChatError.UNKNOWN_MODEL,
                "unknown model '" + name + "'; configured models: " + models.all().stream().map(ModelEntry::name).toList()));
    }

    private static String checkId(String id) {
        if (!Ids.isValid(id)) {
            throw new ChatException(ChatError.INVALID_ID, "'" + abbreviate(id) + "' is not a valid id");
        }
        return id;
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id;
    }

    private static String checkTitle(String title) {
        String stripped = title.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_TITLE_CHARS) {
            throw new ChatException(ChatError.INVALID_REQUEST, "title must be 1 to " + MAX_TITLE_CHARS + " characters");
        }
        return stripped;
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ChatException(ChatError.INVALID_REQUEST, "limit must be 1 to " + MAX_PAGE);
        }
        return limit;
    }

    /**
     * The first line of a conversation's title: the message with its whitespace runs collapsed,
     * cut at 60 characters. It is computed for every turn (the store applies it only to a first
     * message), so it reads at most the 61 characters it needs, never the whole message.
     */
    static String titleFrom(String content) {
        StringBuilder title = new StringBuilder(61);
        boolean space = false;
        for (int i = 0; i < content.length() && title.length() <= 60; i++) {
            char c = content.charAt(i);
            if (Character.isWhitespace(c)) {
                space = !title.isEmpty();
            } else {
                if (space) {
                    title.append(' ');
                    space = false;
                }
                title.append(c);
            }
        }
        return title.length() <= 60 ? title.toString() : title.substring(0, 59) + "…";
    }
}
