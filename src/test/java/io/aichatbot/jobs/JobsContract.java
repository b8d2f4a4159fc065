package io.aichatbot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aichatbot.chat.Conversation;
import io.aichatbot.chat.Feedback;
import io.aichatbot.chat.FinishedReply;
import io.aichatbot.chat.Ids;
import io.aichatbot.chat.Message;
import io.aichatbot.chat.NewTurn;
import io.aichatbot.chat.SortOrder;
import io.aichatbot.chat.TurnStart;
import io.aichatbot.config.DatabaseSettings;
import io.aichatbot.store.Database;
import io.aichatbot.store.JdbcChatStore;
import io.aichatbot.store.JdbcJobStore;
import io.aichatbot.store.JdbcMaintenanceStore;
import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.testing.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maintenance jobs on real databases, with a clock the test moves (no sleeping). */
abstract class JobsContract {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    Database database;
    JdbcChatStore chats;
    JdbcMaintenanceStore maintenance;
    JdbcJobStore jobStore;
    MutableClock clock = new MutableClock(T0);
    String userId;

    abstract DatabaseSettings settings();

    void cleanUp() {}

    @BeforeEach
    void open() {
        database = Database.open(settings());
        chats = new JdbcChatStore(database);
        maintenance = new JdbcMaintenanceStore(database, chats);
        jobStore = new JdbcJobStore(database);
        userId = new JdbcUserStore(database).ensureUser("u", false, T0).id();
    }

    @AfterEach
    void close() {
        database.close();
        cleanUp();
    }

    JobScheduler scheduler(String owner, Job... jobs) {
        return new JobScheduler(jobStore, clock, owner, Duration.ofMinutes(10),
                java.util.Arrays.stream(jobs).map(job -> new JobScheduler.Scheduled(job, Duration.ofHours(1))).toList());
    }

    TurnStart begin(String conversationId, Instant at) {
        return chats.beginTurn(new NewTurn(userId, conversationId, Ids.newId(at.toEpochMilli()), Ids.newId(at.toEpochMilli()),
                "question", "demo", at, at.plus(Duration.ofMinutes(5)), 1000, null));
    }

    Message finish(TurnStart start, Instant at) {
        return chats.finishReply(new FinishedReply(start.conversation().id(), start.reply().id(), "answer",
                Message.Status.COMPLETE, 1, 1, at, 1, 1, null, null, "stop"));
    }

    void sql(String statement) {
        database.write(connection -> {
            try (Statement s = connection.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    @Test
    void theIntegrityJobFailsRepliesACrashLeftStreamingAndRepairsWrongCounters() {
        Conversation crashed = chats.createConversation(userId, "crashed", "demo", T0);
        TurnStart dead = begin(crashed.id(), T0);
        Conversation skewed = chats.createConversation(userId, "skewed", "demo", T0);
        finish(begin(skewed.id(), T0), T0);
        sql("UPDATE conversations SET message_count = 7 WHERE id = '" + skewed.id() + "'");
        clock.advance(Duration.ofMinutes(10)); // the dead turn's lease has expired

        JobRun run = scheduler("a", MaintenanceJobs.integrity(maintenance)).runNow("integrity").orElseThrow();

        assertThat(run.outcome()).isEqualTo("ok");
        assertThat(run.rowsTouched()).isEqualTo(2);
        Message reply = chats.findMessage(userId, dead.reply().id()).orElseThrow();
        assertThat(reply.status()).isEqualTo(Message.Status.FAILED);
        assertThat(reply.errorCode()).isEqualTo("interrupted");
        assertThat(chats.findConversation(userId, skewed.id()).orElseThrow().messageCount()).isEqualTo(2);
        JobRun second = scheduler("a", MaintenanceJobs.integrity(maintenance)).runNow("integrity").orElseThrow();
        assertThat(second.rowsTouched()).isZero(); // idempotent
        assertThat(jobStore.recentRuns(10)).extracting(JobRun::job).containsExactly("integrity", "integrity");
    }

    @Test
    void retentionDeletesOnlyIdleConversationsAndADryRunOnlyCounts() {
        Conversation old = chats.createConversation(userId, "old", "demo", T0);
        finish(begin(old.id(), T0), T0);
        clock.advance(Duration.ofDays(40));
        Conversation recent = chats.createConversation(userId, "recent", "demo", clock.instant());

        JobRun dry = scheduler("a", MaintenanceJobs.retention(maintenance, Duration.ofDays(30), true, 1000)).runNow("retention").orElseThrow();
        assertThat(dry.message()).startsWith("dry run: 1 conversation");
        assertThat(chats.findConversation(userId, old.id())).isPresent();

        JobRun real = scheduler("a", MaintenanceJobs.retention(maintenance, Duration.ofDays(30), false, 1000)).runNow("retention").orElseThrow();

        assertThat(real.rowsTouched()).isEqualTo(1);
        assertThat(chats.findConversation(userId, old.id())).isEmpty();
        assertThat(chats.findConversation(userId, recent.id())).isPresent();
    }

    @Test
    void feedbackArchivingWritesCompressedJsonLinesDurablyThenRemovesOnlyTheOldRows() throws Exception {
        Conversation conversation = chats.createConversation(userId, "c", "demo", T0);
        Message oldReply = finish(begin(conversation.id(), T0), T0);
        chats.saveFeedback(userId, oldReply.id(), Feedback.Rating.UP, "useful", T0);
        clock.advance(Duration.ofDays(100));
        Message newReply = finish(begin(conversation.id(), clock.instant()), clock.instant());
        chats.saveFeedback(userId, newReply.id(), Feedback.Rating.DOWN, null, clock.instant());
        Path archive = dir.resolve("archive");

        JobRun run = scheduler("a", MaintenanceJobs.feedbackArchive(maintenance, Duration.ofDays(90), archive))
                .runNow("feedback-archive").orElseThrow();

        assertThat(run.rowsTouched()).isEqualTo(1);
        List<Path> files;
        try (var list = Files.list(archive)) {
            files = list.toList();
        }
        assertThat(files).hasSize(1).allSatisfy(f -> assertThat(f.toString()).endsWith(".jsonl.gz"));
        try (var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(files.getFirst())),
                StandardCharsets.UTF_8))) {
            List<String> lines = reader.lines().toList();
            assertThat(lines).hasSize(1);
            JsonNode row = new ObjectMapper().readTree(lines.getFirst());
            assertThat(row.get("messageId").asText()).isEqualTo(oldReply.id());
            assertThat(row.get("comment").asText()).isEqualTo("useful");
            assertThat(row.get("rating").asInt()).isEqualTo(1);
        }
        assertThat(chats.findFeedback(userId, oldReply.id())).isEmpty();
        assertThat(chats.findFeedback(userId, newReply.id())).isPresent();
    }

    @Test
    void onlyOneInstanceRunsAJobAtATimeAndAnExpiredLeaseIsTakenOver() {
        Job counting = new Job() {
            public String name() {
                return "upkeep-like";
            }

            public Result run(Instant now) {
                return new Result(0, "ran");
            }
        };
        assertThat(jobStore.tryLease("upkeep-like", "instance-a", clock.instant(), clock.instant().plus(Duration.ofMinutes(10)))).isTrue();

        assertThat(scheduler("instance-b", counting).runNow("upkeep-like")).isEmpty();
        clock.advance(Duration.ofMinutes(11)); // instance-a died without releasing
        assertThat(scheduler("instance-b", counting).runNow("upkeep-like")).isPresent();
    }

    @Test
    void aRunLeftRunningByADeadProcessIsMarkedInterruptedAtStart() {
        jobStore.runStarted(new JobRun("01a20a4b-8ae5-713b-9f99-c867d411d6e0", "integrity", "dead", T0, null, null, "running", null));

        try (JobScheduler scheduler = scheduler("a", MaintenanceJobs.integrity(maintenance)).start()) {
            assertThat(scheduler.recentRuns(5)).extracting(JobRun::outcome).containsExactly("interrupted");
        }
    }

    @Test
    void aFailingJobIsLoggedAsFailedAndTheSchedulerCarriesOn() {
        Job broken = new Job() {
            public String name() {
                return "broken";
            }

            public Result run(Instant now) {
                throw new IllegalStateException("disk on fire");
            }
        };
        JobScheduler scheduler = scheduler("a", broken);

        JobRun run = scheduler.runNow("broken").orElseThrow();

        assertThat(run.outcome()).isEqualTo("failed");
        assertThat(run.message()).contains("disk on fire");
        assertThat(scheduler.runNow("broken")).isPresent(); // the lease was released
    }

    @Test
    void databaseUpkeepRuns() {
        JobRun run = scheduler("a", MaintenanceJobs.upkeep(maintenance)).runNow("db-upkeep").orElseThrow();
        assertThat(run.outcome()).isEqualTo("ok");
        assertThat(run.message()).isNotBlank();
        assertThat(chats.listConversations(userId, null, 10).items()).isEmpty();
        assertThat(SortOrder.values()).isNotEmpty();
    }
}
