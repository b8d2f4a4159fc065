package io.aichatbot.app;

import io.aichatbot.chat.ChatService;
import io.aichatbot.chat.ContextBuilder;
import io.aichatbot.chat.StopReason;
import io.aichatbot.chat.TurnObserver;
import io.aichatbot.config.ModelSettings;
import io.aichatbot.config.Secrets;
import io.aichatbot.config.Settings;
import io.aichatbot.jobs.BackgroundQueue;
import io.aichatbot.jobs.JobScheduler;
import io.aichatbot.jobs.MaintenanceJobs;
import io.aichatbot.llm.ModelCatalog;
import io.aichatbot.llm.ModelEntry;
import io.aichatbot.metrics.IdleMemory;
import io.aichatbot.metrics.Metrics;
import io.aichatbot.metrics.MicrometerTurnObserver;
import io.aichatbot.metrics.ResourceSampler;
import io.aichatbot.store.Database;
import io.aichatbot.store.JdbcChatStore;
import io.aichatbot.store.JdbcJobStore;
import io.aichatbot.store.JdbcMaintenanceStore;
import io.aichatbot.store.JdbcUsageStore;
import io.aichatbot.store.JdbcUserStore;
import io.aichatbot.usage.UsageAccounting;
import io.aichatbot.user.User;
import io.aichatbot.web.WebServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the object graph is built, by hand, and the start/stop order:
 * database (migrated) → stores → models → chat service → web server; stop runs in reverse,
 * after running turns have had their grace period.
 */
public final class App implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(App.class);
    public static final String LOCAL_USER = "local";
    /** How soon a stop asked of another instance reaches the one running the turn. */
    static final Duration STOP_RELAY_INTERVAL = Duration.ofMillis(300);

    private final Settings settings;
    private final Database database;
    private final ChatService chat;
    private final WebServer web;
    private final ModelFactory models;
    private final Metrics metrics;
    private final ResourceSampler sampler;
    private final JobScheduler jobs;
    private final BackgroundQueue queue;
    /** Null on embedded SQLite, where one process owns the database. */
    private final ScheduledExecutorService stopRelay;
    private volatile boolean closed;

    private App(Settings settings, Database database, ChatService chat, WebServer web, ModelFactory models,
                Metrics metrics, ResourceSampler sampler, JobScheduler jobs, BackgroundQueue queue,
                ScheduledExecutorService stopRelay) {
        this.stopRelay = stopRelay;
        this.jobs = jobs;
        this.queue = queue;
        this.metrics = metrics;
        this.sampler = sampler;
        this.settings = settings;
        this.database = database;
        this.chat = chat;
        this.web = web;
        this.models = models;
    }

    public static App start(Settings settings, Map<String, String> env, InstantSource clock) {
        Database database = Database.open(settings.database());
        try {
            var chatStore = new JdbcChatStore(database);
            var users = new JdbcUserStore(database);
            // Embedded SQLite belongs to this process alone (file lock), so every lease left behind is a dead turn.
            Instant recoverBefore = database.isEmbedded() ? Instant.ofEpochMilli(Long.MAX_VALUE / 2) : clock.instant();
            int recovered = chatStore.recoverInterruptedTurns(recoverBefore);
            if (recovered > 0) {
                log.warn("marked {} reply(ies) interrupted by an earlier crash as failed", recovered);
            }
            User localUser = users.ensureUser(LOCAL_USER, true, clock.instant());
            var modelFactory = new ModelFactory(Secrets.load(settings.ops().secretsFile(), env));
            List<ModelEntry> entries = modelFactory.createAll(settings.models(), settings.routing());
            var catalog = new ModelCatalog(entries, settings.defaultModel());
            var context = new ContextBuilder(chatStore, settings.chat().systemPrompt(), settings.chat().maxContextMessages());
            Duration longestCall = settings.models().stream().map(m -> m.timeouts().total()).max(Duration::compareTo)
                    .orElse(Duration.ofMinutes(10));
            var chat = new ChatService(chatStore, catalog, context, clock, settings.chat().maxMessageBytes(),
                    settings.chat().maxMessagesPerConversation(), longestCall.plusMinutes(1));
            var metrics = new Metrics();
            var queue = new BackgroundQueue(settings.ops().queueCapacity(), settings.ops().queueWorkers(), metrics.registry());
            var usage = new JdbcUsageStore(database);
            chat.observeTurnsWith(TurnObserver.of(List.of(new MicrometerTurnObserver(metrics.registry()),
                    new UsageAccounting(usage, queue))));
            metrics.gauge("chat.turns.active", "turns running in this process", chat::runningTurns);
            metrics.gauge("db.writes.queued", "writes waiting for the SQLite writer", database::queuedWrites);
            database.pool().setMetricRegistry(metrics.registry());
            var pool = database.pool();
            var sampler = new ResourceSampler(clock, settings.ops().sampleInterval(), settings.ops().sampleHistory(),
                    new ResourceSampler.Thresholds(settings.ops().rssWarnBytes(), settings.ops().openFilesWarn(),
                            settings.ops().rssGrowthWarnBytesPerHour()),
                    Map.of("turnsActive", chat::runningTurns,
                            "dbWritesQueued", database::queuedWrites,
                            "dbPoolActive", () -> pool.getHikariPoolMXBean().getActiveConnections(),
                            "dbPoolIdle", () -> pool.getHikariPoolMXBean().getIdleConnections(),
                            "dbPoolWaiting", () -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection()));
            var idleMemory = new IdleMemory(clock, settings.ops().idleGcAfter(), chat::turnsStarted, chat::runningTurns,
                    () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), System::gc);
            sampler.afterEachSample(idleMemory::tick);
            JobScheduler jobs = jobs(settings, database, chatStore, clock, metrics);
            var web = new WebServer(settings.server(), settings.chat().maxMessageBytes(), chat, users, localUser,
                    settings.auth().mode(), database::ping, metrics, sampler, settings.ops().metricsScrapeToken(), jobs,
                    usage).start();
            if (settings.jobs().enabled()) {
                jobs.start();
            }
            ScheduledExecutorService stopRelay = null;
            if (!database.isEmbedded()) {
                // Instances share this database: a stop may be asked of the wrong one (see ChatService.stop).
                chat.relayStopsThroughStore();
                stopRelay = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("stop-relay").daemon(true).factory());
                stopRelay.scheduleWithFixedDelay(() -> {
                    try {
                        chat.applyStopRequests();
                    } catch (RuntimeException e) { // an escaped exception would cancel the schedule
                        log.warn("checking for relayed stop requests failed; will retry", e);
                    }
                }, STOP_RELAY_INTERVAL.toMillis(), STOP_RELAY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("AIChatBot listening on http://{}:{} ({} database, auth {}, models {}, default {})",
                    settings.server().host(), web.port(), database.dialect().name().toLowerCase(),
                    settings.auth().mode().name().toLowerCase(),
                    settings.models().stream().map(ModelSettings::name).toList(), settings.defaultModel());
            return new App(settings, database, chat, web, modelFactory, metrics, sampler, jobs, queue, stopRelay);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The maintenance jobs, each under a database lease; retention and archiving only when configured. */
    private static JobScheduler jobs(Settings settings, Database database, JdbcChatStore chats, InstantSource clock,
                                     Metrics metrics) {
        var maintenance = new JdbcMaintenanceStore(database, chats);
        var config = settings.jobs();
        List<JobScheduler.Scheduled> list = new java.util.ArrayList<>();
        list.add(new JobScheduler.Scheduled(MaintenanceJobs.integrity(maintenance), config.integrityEvery()));
        list.add(new JobScheduler.Scheduled(MaintenanceJobs.upkeep(maintenance), config.upkeepEvery()));
        if (config.retentionMaxIdle() != null) {
            list.add(new JobScheduler.Scheduled(MaintenanceJobs.retention(maintenance, config.retentionMaxIdle(),
                    config.retentionDryRun(), 10_000), config.retentionEvery()));
        }
        if (config.feedbackArchiveAfter() != null) {
            list.add(new JobScheduler.Scheduled(MaintenanceJobs.feedbackArchive(maintenance, config.feedbackArchiveAfter(),
                    config.archiveDir()), config.retentionEvery()));
        }
        String owner = java.util.UUID.randomUUID().toString();
        return new JobScheduler(new JdbcJobStore(database), clock, owner, Duration.ofMinutes(30), list, metrics.registry());
    }

    public int port() {
        return web.port();
    }

    public ChatService chat() {
        return chat;
    }

    public Database database() {
        return database;
    }

    /**
     * Graceful stop: refuse new turns (readiness turns false), give running turns the grace
     * period, stop the rest (their partial answers are saved as stopped), then close the web
     * server and the database.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        chat.beginShutdown();
        long deadline = System.nanoTime() + settings.server().shutdownGrace().toNanos();
        waitForTurns(deadline);
        if (chat.runningTurns() > 0) {
            log.info("stopping {} running turn(s) at the end of the shutdown grace period", chat.runningTurns());
            chat.stopAll(StopReason.SHUTDOWN);
            waitForTurns(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        }
        // A stopped turn is saved before its stream's last event is written; let that event out.
        long streamsDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (web.openStreams() > 0 && System.nanoTime() < streamsDeadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (stopRelay != null) {
            stopRelay.shutdownNow();
        }
        jobs.close();
        web.close();
        queue.close(Duration.ofSeconds(5)); // after the last turn: its usage upsert is queued by then
        sampler.close();
        metrics.close();
        models.close();
        database.close();
        log.info("stopped");
    }

    private void waitForTurns(long deadlineNanos) {
        while (chat.runningTurns() > 0 && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
