package io.aichatbot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aichatbot.chat.ChatError;
import io.aichatbot.chat.ChatService;
import io.aichatbot.chat.ChatException;
import io.aichatbot.chat.Conversation;
import io.aichatbot.chat.Feedback;
import io.aichatbot.chat.FinishedReply;
import io.aichatbot.chat.Ids;
import io.aichatbot.chat.Message;
import io.aichatbot.chat.NewReply;
import io.aichatbot.chat.NewTurn;
import io.aichatbot.chat.Page;
import io.aichatbot.chat.SortOrder;
import io.aichatbot.chat.TurnStart;
import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.user.ApiKeys;
import io.aichatbot.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every ChatStore must do, run against each real database on the real migrations. */
abstract class ChatStoreContract {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    Database database;
    JdbcChatStore store;
    JdbcUserStore users;
    User alice;
    User bob;

    abstract DatabaseSettings settings();

    void cleanUp() {}

    @BeforeEach
    void open() {
        database = Database.open(settings());
        store = new JdbcChatStore(database);
        users = new JdbcUserStore(database);
        alice = users.createUser("alice", false, T0);
        bob = users.createUser("bob", false, T0);
    }

    @AfterEach
    void close() {
        database.close();
        cleanUp();
    }

    TurnStart begin(String userId, String conversationId, String content, Instant now) {
        return store.beginTurn(new NewTurn(userId, conversationId, Ids.newId(now.toEpochMilli()), Ids.newId(now.toEpochMilli()),
                content, "demo", now, now.plus(Duration.ofMinutes(5)), 1000, null));
    }

    Message finish(TurnStart start, String text, Message.Status status, Instant now) {
        return store.finishReply(new FinishedReply(start.conversation().id(), start.reply().id(), text, status, 10, 20,
                now, 5, 50, status == Message.Status.COMPLETE ? null : "stopped", 1234L,
                status == Message.Status.COMPLETE ? "stop" : null));
    }

    Conversation conversationWithTurns(int turns) {
        Conversation conversation = store.createConversation(alice.id(), "c", "demo", T0);
        for (int i = 0; i < turns; i++) {
            Instant at = T0.plusSeconds(i + 1);
            finish(begin(alice.id(), conversation.id(), "question " + i, at), "answer " + i, Message.Status.COMPLETE, at);
        }
        return conversation;
    }

    @Test
    void aTurnAppendsTheUserMessageAndAStreamingReplyWithConsecutiveSequenceNumbers() {
        Conversation conversation = store.createConversation(alice.id(), "hello", "demo", T0);
        TurnStart start = begin(alice.id(), conversation.id(), "hi", T0.plusSeconds(1));

        assertThat(start.userMessage().seq()).isEqualTo(1);
        assertThat(start.reply().seq()).isEqualTo(2);
        assertThat(start.reply().status()).isEqualTo(Message.Status.STREAMING);
        assertThat(start.conversation().messageCount()).isEqualTo(2);
        List<Message> stored = store.listMessages(alice.id(), conversation.id(), null, 10, SortOrder.OLDEST_FIRST).items();
        assertThat(stored).extracting(Message::content).containsExactly("hi", "");
        assertThat(stored).extracting(Message::status).containsExactly(Message.Status.COMPLETE, Message.Status.STREAMING);
    }

    @Test
    void finishingAReplyStoresItsTextUsageAndTimingAndFreesTheConversation() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);
        TurnStart start = begin(alice.id(), conversation.id(), "hi", T0.plusSeconds(1));

        Message reply = finish(start, "hello back", Message.Status.COMPLETE, T0.plusSeconds(2));

        assertThat(reply.content()).isEqualTo("hello back");
        assertThat(reply.status()).isEqualTo(Message.Status.COMPLETE);
        assertThat(reply.inputTokens()).isEqualTo(10);
        assertThat(reply.outputTokens()).isEqualTo(20);
        assertThat(reply.firstTokenMs()).isEqualTo(5);
        assertThat(reply.completedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(reply.finishReason()).isEqualTo("stop");
        assertThat(store.listMessages(alice.id(), conversation.id(), null, 10, SortOrder.NEWEST_FIRST).items().getFirst())
                .as("as read back").isEqualTo(reply);
        assertThat(start.userMessage().finishReason()).isNull();
        TurnStart next = begin(alice.id(), conversation.id(), "again", T0.plusSeconds(3));
        assertThat(next.userMessage().seq()).isEqualTo(3);
    }

    @Test
    void aReplyCutAtTheOutputTokenLimitIsCompleteWithFinishReasonLength() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);
        TurnStart start = begin(alice.id(), conversation.id(), "write a long essay", T0.plusSeconds(1));

        Message reply = store.finishReply(new FinishedReply(conversation.id(), start.reply().id(), "It was a dark",
                Message.Status.COMPLETE, 10, 4, T0.plusSeconds(2), 5, 50, null, null, "length"));

        assertThat(reply.status()).isEqualTo(Message.Status.COMPLETE);
        assertThat(reply.finishReason()).isEqualTo("length");
    }

    @Test
    void aSecondTurnOnTheSameConversationIsRefusedWhileTheFirstHoldsTheLease() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);
        begin(alice.id(), conversation.id(), "first", T0.plusSeconds(1));

        assertThatThrownBy(() -> begin(alice.id(), conversation.id(), "second", T0.plusSeconds(2)))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.TURN_IN_PROGRESS));
        assertThat(store.findConversation(alice.id(), conversation.id()).orElseThrow().messageCount()).isEqualTo(2);
    }

    @Test
    void theModelIsChosenFromTheLeasedConversationAndARefusalWritesNothing() {
        Conversation conversation = store.createConversation(alice.id(), ChatService.DEFAULT_TITLE, "gone-model", T0);
        Instant at = T0.plusSeconds(1);
        NewTurn turn = new NewTurn(alice.id(), conversation.id(), Ids.newId(at.toEpochMilli()), Ids.newId(at.toEpochMilli()),
                "hi", null, at, at.plus(Duration.ofMinutes(5)), 1000, "First question");

        assertThatThrownBy(() -> store.beginTurn(turn, leased -> {
            assertThat(leased.model()).isEqualTo("gone-model");
            throw new ChatException(ChatError.UNKNOWN_MODEL, "unknown model 'gone-model'");
        })).isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.UNKNOWN_MODEL));
        // Rolled back: no messages, no lease, no title change.
        Conversation after = store.findConversation(alice.id(), conversation.id()).orElseThrow();
        assertThat(after.messageCount()).isZero();
        assertThat(after.title()).isEqualTo(ChatService.DEFAULT_TITLE);
        assertThat(store.listMessages(alice.id(), conversation.id(), null, 10, SortOrder.OLDEST_FIRST).items()).isEmpty();

        TurnStart start = store.beginTurn(turn, leased -> "demo");
        assertThat(start.reply().model()).isEqualTo("demo");
        assertThat(start.userMessage().seq()).isEqualTo(1);
        assertThat(start.conversation().title()).isEqualTo("First question");
    }

    @Test
    void aTitledConversationKeepsItsTitleOnTheFirstTurn() {
        Conversation conversation = store.createConversation(alice.id(), "My own title", "demo", T0);
        Instant at = T0.plusSeconds(1);
        TurnStart start = store.beginTurn(new NewTurn(alice.id(), conversation.id(), Ids.newId(at.toEpochMilli()),
                Ids.newId(at.toEpochMilli()), "hi", "demo", at, at.plus(Duration.ofMinutes(5)), 1000, "From the message"));
        assertThat(start.conversation().title()).isEqualTo("My own title");
    }

    @Test
    void aStopRequestIsKeptOnlyForTheLiveTurnItWasMeantFor() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);
        Conversation other = store.createConversation(alice.id(), "u", "demo", T0);
        assertThat(store.requestStop(alice.id(), conversation.id(), T0)).as("nothing running").isFalse();

        TurnStart start = begin(alice.id(), conversation.id(), "hi", T0.plusSeconds(1));
        assertThat(store.requestStop(bob.id(), conversation.id(), T0.plusSeconds(2))).as("not bob's").isFalse();
        assertThat(store.stopsRequested(List.of(conversation.id(), other.id()))).isEmpty();
        assertThat(store.requestStop(alice.id(), conversation.id(), T0.plusSeconds(2))).isTrue();
        assertThat(store.stopsRequested(List.of(conversation.id(), other.id()))).containsExactly(conversation.id());

        finish(start, "partial", Message.Status.STOPPED, T0.plusSeconds(3));
        assertThat(store.stopsRequested(List.of(conversation.id()))).as("cleared when the turn ends").isEmpty();
        assertThat(store.requestStop(alice.id(), conversation.id(), T0.plusSeconds(4))).isFalse();
        assertThat(store.stopsRequested(List.of())).isEmpty();
    }

    TurnStart regenerate(String userId, String conversationId, Instant now) {
        return store.beginRegeneration(new NewReply(userId, conversationId, Ids.newId(now.toEpochMilli()), now,
                now.plus(Duration.ofMinutes(5)), 1000), (conversation, question) -> "demo");
    }

    @Test
    void aRegenerationAppendsOnlyANewReplyToTheLastQuestionAndKeepsTheEarlierOne() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);
        TurnStart first = begin(alice.id(), conversation.id(), "first question", T0.plusSeconds(1));
        finish(first, "first answer", Message.Status.COMPLETE, T0.plusSeconds(2));
        TurnStart second = begin(alice.id(), conversation.id(), "second question", T0.plusSeconds(3));
        Message stopped = finish(second, "half an ans", Message.Status.STOPPED, T0.plusSeconds(4));

        TurnStart again = regenerate(alice.id(), conversation.id(), T0.plusSeconds(5));

        assertThat(again.userMessage()).isEqualTo(second.userMessage());
        assertThat(again.reply().seq()).isEqualTo(5);
        assertThat(again.reply().status()).isEqualTo(Message.Status.STREAMING);
        assertThat(again.conversation().messageCount()).isEqualTo(5);
        assertThatThrownBy(() -> regenerate(alice.id(), conversation.id(), T0.plusSeconds(6)))
                .as("the new reply holds the lease").isInstanceOfSatisfying(ChatException.class,
                        e -> assertThat(e.error()).isEqualTo(ChatError.TURN_IN_PROGRESS));
        finish(again, "a whole answer", Message.Status.COMPLETE, T0.plusSeconds(7));
        TurnStart twice = regenerate(alice.id(), conversation.id(), T0.plusSeconds(8));
        assertThat(twice.userMessage().content()).as("past the replies already given").isEqualTo("second question");
        assertThat(twice.reply().seq()).isEqualTo(6);
        List<Message> stored = store.listMessages(alice.id(), conversation.id(), null, 10, SortOrder.OLDEST_FIRST).items();
        assertThat(stored).extracting(Message::content).containsExactly("first question", "first answer",
                "second question", "half an ans", "a whole answer", "");
        assertThat(stored.get(3)).as("the earlier reply is not rewritten").isEqualTo(stopped);
    }

    @Test
    void aRegenerationOfAConversationWithoutAQuestionIsRefusedAndChangesNothing() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);

        assertThatThrownBy(() -> regenerate(alice.id(), conversation.id(), T0.plusSeconds(1)))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NOTHING_TO_REGENERATE));
        assertThatThrownBy(() -> regenerate(bob.id(), conversation.id(), T0.plusSeconds(1)))
                .as("someone else's").isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NOT_FOUND));

        Conversation after = store.findConversation(alice.id(), conversation.id()).orElseThrow();
        assertThat(after.messageCount()).isZero();
        assertThat(begin(alice.id(), conversation.id(), "hi", T0.plusSeconds(2)).userMessage().seq())
                .as("no lease or sequence number was taken").isEqualTo(1);
    }

    @Test
    void anExpiredLeaseDoesNotBlockTheConversationForever() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);
        begin(alice.id(), conversation.id(), "first", T0);

        TurnStart later = begin(alice.id(), conversation.id(), "much later", T0.plus(Duration.ofMinutes(6)));

        assertThat(later.userMessage().seq()).isEqualTo(3);
    }

    @Test
    void recoveryMarksRepliesOfDeadTurnsFailedAndLeavesLiveOnesAlone() {
        Conversation dead = store.createConversation(alice.id(), "dead", "demo", T0);
        Conversation live = store.createConversation(alice.id(), "live", "demo", T0);
        TurnStart deadTurn = begin(alice.id(), dead.id(), "q", T0);
        TurnStart liveTurn = begin(alice.id(), live.id(), "q", T0.plus(Duration.ofMinutes(4)));

        int fixed = store.recoverInterruptedTurns(T0.plus(Duration.ofMinutes(6)));

        assertThat(fixed).isEqualTo(1);
        Message deadReply = store.findMessage(alice.id(), deadTurn.reply().id()).orElseThrow();
        assertThat(deadReply.status()).isEqualTo(Message.Status.FAILED);
        assertThat(deadReply.errorCode()).isEqualTo("interrupted");
        assertThat(store.findMessage(alice.id(), liveTurn.reply().id()).orElseThrow().status()).isEqualTo(Message.Status.STREAMING);
        begin(alice.id(), dead.id(), "the dead conversation takes turns again", T0.plus(Duration.ofMinutes(6)));
    }

    @Test
    void aConversationAtItsMessageCapRefusesNewTurnsAndKeepsItsHistory() {
        Conversation conversation = store.createConversation(alice.id(), "t", "demo", T0);
        var cap = 4;
        for (int i = 0; i < 2; i++) {
            Instant at = T0.plusSeconds(i);
            TurnStart start = store.beginTurn(new NewTurn(alice.id(), conversation.id(), Ids.newId(0), Ids.newId(0), "q" + i,
                    "demo", at, at.plusSeconds(60), cap, null));
            finish(start, "a", Message.Status.COMPLETE, at);
        }

        assertThatThrownBy(() -> store.beginTurn(new NewTurn(alice.id(), conversation.id(), Ids.newId(0), Ids.newId(0), "q",
                "demo", T0.plusSeconds(9), T0.plusSeconds(99), cap, null)))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.CONVERSATION_FULL));
        assertThat(store.listMessages(alice.id(), conversation.id(), null, 10, SortOrder.NEWEST_FIRST).items()).hasSize(4);
    }

    @Test
    void anotherUsersConversationLooksExactlyLikeAMissingOne() {
        Conversation conversation = store.createConversation(alice.id(), "private", "demo", T0);

        assertThat(store.findConversation(bob.id(), conversation.id())).isEmpty();
        assertThat(store.renameConversation(bob.id(), conversation.id(), "mine", T0)).isEmpty();
        assertThat(store.deleteConversation(bob.id(), conversation.id())).isFalse();
        assertThatThrownBy(() -> store.listMessages(bob.id(), conversation.id(), null, 10, SortOrder.NEWEST_FIRST))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NOT_FOUND));
        assertThatThrownBy(() -> begin(bob.id(), conversation.id(), "hi", T0))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.NOT_FOUND));
        assertThat(store.listConversations(bob.id(), null, 10).items()).isEmpty();
    }

    @Test
    void messagePagesWalkTheWholeHistoryInBothDirectionsWithoutGapsOrRepeats() {
        Conversation conversation = conversationWithTurns(25); // 50 messages

        List<Long> newestFirst = new ArrayList<>();
        String cursor = null;
        do {
            Page<Message> page = store.listMessages(alice.id(), conversation.id(), cursor, 7, SortOrder.NEWEST_FIRST);
            page.items().forEach(m -> newestFirst.add(m.seq()));
            cursor = page.nextCursor();
        } while (cursor != null);
        List<Long> oldestFirst = new ArrayList<>();
        do {
            Page<Message> page = store.listMessages(alice.id(), conversation.id(), cursor, 10, SortOrder.OLDEST_FIRST);
            page.items().forEach(m -> oldestFirst.add(m.seq()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(newestFirst).hasSize(50).startsWith(50L, 49L).endsWith(2L, 1L).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(oldestFirst).hasSize(50).isSorted().startsWith(1L).endsWith(50L);
    }

    @Test
    void conversationPagesListTheMostRecentlyUpdatedFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            created.add(store.createConversation(alice.id(), "c" + i, "demo", T0.plusSeconds(i)).id());
        }
        // Talking in the oldest conversation moves it to the top.
        finish(begin(alice.id(), created.getFirst(), "bump", T0.plusSeconds(100)), "ok", Message.Status.COMPLETE,
                T0.plusSeconds(101));

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            Page<Conversation> page = store.listConversations(alice.id(), cursor, 5);
            page.items().forEach(c -> listed.add(c.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(listed).hasSize(12).doesNotHaveDuplicates();
        assertThat(listed.getFirst()).isEqualTo(created.getFirst());
        assertThat(listed.get(1)).isEqualTo(created.getLast());
    }

    @Test
    void renamingAndDeletingAConversationRemovesItsMessagesAndFeedback() {
        Conversation conversation = conversationWithTurns(2);
        Message reply = store.listMessages(alice.id(), conversation.id(), null, 1, SortOrder.NEWEST_FIRST).items().getFirst();
        store.saveFeedback(alice.id(), reply.id(), Feedback.Rating.UP, "good", T0);

        assertThat(store.renameConversation(alice.id(), conversation.id(), "renamed", T0).orElseThrow().title()).isEqualTo("renamed");
        assertThat(store.deleteConversation(alice.id(), conversation.id())).isTrue();

        assertThat(store.findConversation(alice.id(), conversation.id())).isEmpty();
        assertThat(store.findMessage(alice.id(), reply.id())).isEmpty();
        assertThat(store.findFeedback(alice.id(), reply.id())).isEmpty();
    }

    @Test
    void feedbackIsOnePerMessageAndRatingAgainReplacesIt() {
        Conversation conversation = conversationWithTurns(1);
        Message reply = store.listMessages(alice.id(), conversation.id(), null, 1, SortOrder.NEWEST_FIRST).items().getFirst();

        store.saveFeedback(alice.id(), reply.id(), Feedback.Rating.UP, "nice", T0);
        Feedback replaced = store.saveFeedback(alice.id(), reply.id(), Feedback.Rating.DOWN, null, T0.plusSeconds(5));

        assertThat(replaced.rating()).isEqualTo(Feedback.Rating.DOWN);
        assertThat(replaced.comment()).isNull();
        assertThat(replaced.createdAt()).isEqualTo(T0);
        assertThat(replaced.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.findFeedback(alice.id(), reply.id())).contains(replaced);
    }

    @Test
    void recentMessagesReadsOnlyTheRequestedWindowNewestFirst() {
        Conversation conversation = conversationWithTurns(30);

        List<Message> window = store.recentMessages(conversation.id(), 41, 5);

        assertThat(window).extracting(Message::seq).containsExactly(40L, 39L, 38L, 37L, 36L);
    }

    @Test
    void apiKeysAreFoundByTheirHashOnly() {
        String key = ApiKeys.newKey();
        users.addApiKey(alice.id(), ApiKeys.hash(key), ApiKeys.displayPrefix(key), T0);

        assertThat(users.findByKeyHash(ApiKeys.hash(key))).map(User::name).contains("alice");
        assertThat(users.findByKeyHash(ApiKeys.hash(key + "x"))).isEmpty();
        assertThat(users.findByKeyHash(key)).isEmpty();
    }

    @Test
    void concurrentTurnsOnManyConversationsLoseNothingAndKeepEachConversationInOrder() throws Exception {
        int conversations = 16;
        int turnsEach = 10;
        List<Conversation> list = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            list.add(store.createConversation(alice.id(), "c" + i, "demo", T0));
        }
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (Conversation conversation : list) {
                futures.add(executor.submit(() -> {
                    for (int t = 0; t < turnsEach; t++) {
                        Instant at = T0.plusMillis(t);
                        finish(begin(alice.id(), conversation.id(), "q" + t, at), "a" + t, Message.Status.COMPLETE, at);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        for (Conversation conversation : list) {
            List<Message> messages = store.listMessages(alice.id(), conversation.id(), null, 100, SortOrder.OLDEST_FIRST).items();
            assertThat(messages).hasSize(turnsEach * 2);
            assertThat(messages).extracting(Message::seq).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, turnsEach * 2L).boxed().toList());
            for (int t = 0; t < turnsEach; t++) {
                assertThat(messages.get(2 * t).content()).isEqualTo("q" + t);
                assertThat(messages.get(2 * t + 1).content()).isEqualTo("a" + t);
            }
        }
    }

    @Test
    void racingTurnsOnOneConversationAreEitherAcceptedOrRefusedNeverInterleaved() throws Exception {
        Conversation conversation = store.createConversation(alice.id(), "race", "demo", T0);
        var accepted = new ConcurrentLinkedQueue<TurnStart>();
        var refused = new ConcurrentLinkedQueue<ChatException>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                executor.submit(() -> {
                    try {
                        accepted.add(begin(alice.id(), conversation.id(), "q" + n, T0));
                    } catch (ChatException e) {
                        refused.add(e);
                    }
                });
            }
        }
        assertThat(accepted).hasSize(1);
        assertThat(refused).hasSize(19).allSatisfy(e -> assertThat(e.error()).isEqualTo(ChatError.TURN_IN_PROGRESS));
        Set<Long> seqs = new HashSet<>();
        store.listMessages(alice.id(), conversation.id(), null, 100, SortOrder.OLDEST_FIRST).items().forEach(m -> seqs.add(m.seq()));
        assertThat(seqs).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void aBadCursorIsAClientErrorNotACrash() {
        Conversation conversation = conversationWithTurns(1);
        assertThatThrownBy(() -> store.listMessages(alice.id(), conversation.id(), "not-a-cursor!", 10, SortOrder.NEWEST_FIRST))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.INVALID_CURSOR));
        assertThatThrownBy(() -> store.listConversations(alice.id(), "bTo1", 10))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.INVALID_CURSOR));
    }
}
