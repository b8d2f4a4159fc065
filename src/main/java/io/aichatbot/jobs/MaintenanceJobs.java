package io.aichatbot.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The built-in maintenance jobs. Each works in small committed batches and is idempotent. */
public final class MaintenanceJobs {

    private MaintenanceJobs() {}

    static final int BATCH = 100;

    /** Crash leftovers: replies stuck in streaming; conversation counters that disagree with rows. */
    public static Job integrity(MaintenanceStore store) {
        return new Job() {
            public String name() {
                return "integrity";
            }

            public Result run(Instant now) {
                int interrupted = store.recoverInterruptedTurns(now);
                int checked = 0;
                int repaired = 0;
                int gaps = 0;
                String after = "";
                while (true) {
                    MaintenanceStore.IntegrityBatch batch = store.checkConversations(after, BATCH);
                    checked += batch.checked();
                    repaired += batch.repaired();
                    gaps += batch.gaps();
                    if (batch.checked() < BATCH) {
                        break;
                    }
                    after = batch.lastId();
                }
                return new Result(interrupted + repaired, interrupted + " interrupted repl(ies) marked failed; "
                        + checked + " conversation(s) checked, " + repaired + " counter(s) repaired, " + gaps
                        + " with sequence gaps (reported; orphan rows are ruled out by foreign keys)");
            }
        };
    }

    /** Deletes conversations idle longer than {@code maxIdle}; with {@code dryRun} only counts them. */
    public static Job retention(MaintenanceStore store, Duration maxIdle, boolean dryRun, int maxPerRun) {
        return new Job() {
            public String name() {
                return "retention";
            }

            public Result run(Instant now) {
                Instant before = now.minus(maxIdle);
                if (dryRun) {
                    int would = store.idleConversations(before, maxPerRun).size();
                    return new Result(0, "dry run: " + would + " conversation(s) idle since before " + before + " would be deleted");
                }
                int deleted = 0;
                while (deleted < maxPerRun) {
                    List<String> ids = store.idleConversations(before, Math.min(BATCH, maxPerRun - deleted));
                    if (ids.isEmpty()) {
                        break;
                    }
                    int removed = store.deleteConversations(ids, before);
                    deleted += removed;
                    if (removed == 0) {
                        break; // all became active again meanwhile
                    }
                }
                return new Result(deleted, deleted + " conversation(s) idle since before " + before + " deleted");
            }
        };
    }

    /**
     * Moves feedback older than {@code maxAge} to gzip-compressed JSON Lines files under
     * {@code directory}: each batch is written to a temp file, fsynced, renamed into place, and
     * only then deleted from the table. A kill between rename and delete leaves a file whose rows
     * are exported again next run (same rows, a new file): duplicates, never loss.
     */
    public static Job feedbackArchive(MaintenanceStore store, Duration maxAge, Path directory) {
        ObjectMapper json = new ObjectMapper();
        return new Job() {
            public String name() {
                return "feedback-archive";
            }

            public Result run(Instant now) {
                Instant before = now.minus(maxAge);
                long moved = 0;
                int files = 0;
                while (true) {
                    List<MaintenanceStore.FeedbackRecord> rows = store.feedbackBefore(before, 1000);
                    if (rows.isEmpty()) {
                        break;
                    }
                    writeDurably(directory, "feedback-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC)
                            .format(now) + "-" + files + ".jsonl.gz", rows, json);
                    files++;
                    int removed = store.deleteFeedback(rows.stream().map(MaintenanceStore.FeedbackRecord::messageId).toList(), before);
                    moved += removed;
                    if (removed == 0) {
                        break;
                    }
                }
                return new Result(moved, moved + " feedback row(s) older than " + before + " archived in " + files + " file(s)");
            }
        };
    }

    static void writeDurably(Path directory, String name, List<MaintenanceStore.FeedbackRecord> rows, ObjectMapper json) {
        try {
            Files.createDirectories(directory);
            Path temp = directory.resolve(name + ".tmp");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temp))) {
                for (MaintenanceStore.FeedbackRecord row : rows) {
                    out.write(json.writeValueAsBytes(row));
                    out.write('\n');
                }
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true); // the rename itself must survive a crash
            } catch (IOException notSupported) {
                // some filesystems cannot fsync a directory; the file itself is already durable
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write archive " + name, e);
        }
    }

    /** Database statistics and space upkeep. */
    public static Job upkeep(MaintenanceStore store) {
        return new Job() {
            public String name() {
                return "db-upkeep";
            }

            public Result run(Instant now) {
                return new Result(0, store.upkeep());
            }
        };
    }
}
