package io.aichatbot.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.ModelCatalog;
import io.aichatbot.llm.ModelEntry;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.PromptMessage;
import io.aichatbot.store.Database;
import io.aichatbot.store.JdbcChatStore;
import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.testing.ScriptedModel;
import io.aichatbot.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Turns end to end through the service, with a scripted model and a real SQLite store. */
class ChatServiceTest {

    @TempDir
    Path dir;
    Database database;
    JdbcChatStore store;
    String userId;

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.sqlite(dir));
        store = new JdbcChatStore(database);
        userId = new JdbcUserStore(database).ensureUser("u", false, Instant.now()).id();
    }

    @AfterEach
    void close() {
        database.close();
    }

    ChatService service(ChatModel model, int contextWindow, int maxOutput) {
        var catalog = new ModelCatalog(List.of(new ModelEntry("m", "up-m", model, contextWindow, maxOutput)), "m");
        return new ChatService(store, catalog, new ContextBuilder(store, "Be brief.", 200), InstantSource.system(),
                10_000, 1000, Duration.ofMinutes(5));
    }

    @Test
    void aCompleteAnswerIsSavedWithTheProvidersUsage() throws Exception {
        ChatService chat = service(ScriptedModel.answering("Hel", "lo"), 4096, 256);
        String id = chat.createConversation(userId, null, null).id();

        TurnResult result = chat.startTurn(userId, id, "hi", null).run(true, TurnListener.NONE);

        assertThat(result.reply().content()).isEqualTo("Hello");
        assertThat(result.reply().status()).isEqualTo(Message.Status.COMPLETE);
        assertThat(result.reply().inputTokens()).isEqualTo(11);
        assertThat(result.reply().outputTokens()).isEqualTo(2);
        assertThat(result.reply().firstTokenMs()).isNotNull();
    }

    @Test
    void anUpstreamFailureMidAnswerSavesThePartialTextAsFailedWithAStableCode() throws Exception {
        var failure = new ModelFailure(ModelFailure.Kind.SERVER_ERROR, 503, "overloaded", "req_1");
        ChatService chat = service(ScriptedModel.failingAfter(failure, "Half an "), 4096, 256);
        String id = chat.createConversation(userId, null, null).id();

        TurnResult result = chat.startTurn(userId, id, "hi", null).run(true, TurnListener.NONE);

        assertThat(result.reply().status()).isEqualTo(Message.Status.FAILED);
        assertThat(result.reply().content()).isEqualTo("Half an ");
        assertThat(result.reply().errorCode()).isEqualTo("upstream_error");
        assertThat(result.failure().requestId()).isEqualTo("req_1");
        assertThat(chat.runningTurns()).isZero();
    }

    @Test
    void stoppingATurnWhileTheModelIsSilentSavesWhatArrivedAsStopped() throws Exception {
        ChatService chat = service(ScriptedModel.hangingAfter("Partial"), 4096, 256);
        String id = chat.createConversation(userId, null, null).id();
        Turn turn = chat.startTurn(userId, id, "hi", null);
        var firstDelta = new java.util.concurrent.CountDownLatch(1);

        CompletableFuture<TurnResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return turn.run(true, text -> firstDelta.countDown());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(chat.stop(userId, id)).isTrue();
        TurnResult result = running.get(5, TimeUnit.SECONDS);

        assertThat(result.reply().status()).isEqualTo(Message.Status.STOPPED);
        assertThat(result.reply().content()).isEqualTo("Partial");
        assertThat(result.reply().errorCode()).isEqualTo("stopped");
    }

    @Test
    void thePromptKeepsTheSystemPromptAndOnlyTheMostRecentTurnsThatFitTheBudget() throws Exception {
        ScriptedModel model = ScriptedModel.answering("ok");
        // 600-token window, 100 reserved for the answer: about 500 tokens of history.
        ChatService chat = service(model, 600, 100);
        String id = chat.createConversation(userId, null, null).id();
        for (int i = 0; i < 40; i++) {
            chat.startTurn(userId, id, "message number " + i + " " + "x".repeat(90), null).run(true, TurnListener.NONE);
        }

        List<PromptMessage> prompt = model.requests.getLast().messages();

        assertThat(prompt.getFirst()).isEqualTo(new PromptMessage(PromptMessage.Role.SYSTEM, "Be brief."));
        assertThat(prompt.getLast().content()).startsWith("message number 39 ");
        assertThat(prompt.size()).isBetween(5, 40); // of 81 stored messages
        int estimated = prompt.stream().mapToInt(m -> TokenEstimator.estimate(m.content())).sum();
        assertThat(estimated).isLessThanOrEqualTo(600 - 100);
        assertThat(prompt.get(1).role()).isEqualTo(PromptMessage.Role.USER);
        assertThat(model.requests.getLast().maxOutputTokens()).isEqualTo(100);
        assertThat(model.requests.getLast().upstreamModel()).isEqualTo("up-m");
    }

    @Test
    void failedRepliesAreLeftOutOfLaterPrompts() throws Exception {
        var failure = ModelFailure.of(ModelFailure.Kind.TIMEOUT, "slow");
        ChatService failing = service(ScriptedModel.failingAfter(failure, "garbage"), 4096, 256);
        String id = failing.createConversation(userId, null, null).id();
        failing.startTurn(userId, id, "first", null).run(true, TurnListener.NONE);
        ScriptedModel model = ScriptedModel.answering("ok");

        service(model, 4096, 256).startTurn(userId, id, "second", null).run(true, TurnListener.NONE);

        assertThat(model.requests.getLast().messages()).extracting(PromptMessage::content)
                .containsExactly("Be brief.", "first", "second");
    }

    @Test
    void aMessageThatCannotFitTheModelWindowIsRefusedBeforeAnythingIsSaved() {
        ChatService chat = service(ScriptedModel.answering("ok"), 300, 100);
        String id = chat.createConversation(userId, null, null).id();

        assertThatThrownBy(() -> chat.startTurn(userId, id, "y".repeat(2000), null))
                .isInstanceOfSatisfying(ChatException.class,
                        e -> assertThat(e.error()).isEqualTo(ChatError.MESSAGE_TOO_LONG_FOR_MODEL));
        assertThat(chat.conversation(userId, id).messageCount()).isZero();
    }

    @Test
    void afterShutdownBeginsNewTurnsAreRefused() {
        ChatService chat = service(ScriptedModel.answering("ok"), 4096, 256);
        String id = chat.createConversation(userId, null, null).id();
        chat.beginShutdown();

        assertThatThrownBy(() -> chat.startTurn(userId, id, "hi", null))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.error()).isEqualTo(ChatError.SHUTTING_DOWN));
    }

    @Test
    void theFirstMessageBecomesTheTitleOfAnUntitledConversation() {
        assertThat(ChatService.titleFrom("  Plan a\n trip to   Lisbon ")).isEqualTo("Plan a trip to Lisbon");
        assertThat(ChatService.titleFrom("a".repeat(100))).hasSize(60).endsWith("…");
    }
}
