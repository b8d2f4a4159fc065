package io.aichatbot.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Scheduled maintenance.
 *
 * @param retentionMaxIdle  conversations idle longer than this are deleted; null disables retention
 * @param retentionDryRun   only count what retention would delete
 * @param feedbackArchiveAfter feedback older than this moves to files under {@code archiveDir}; null disables
 */
public record JobsSettings(boolean enabled, Duration integrityEvery, Duration upkeepEvery, Duration retentionEvery,
                           Duration retentionMaxIdle, boolean retentionDryRun, Duration feedbackArchiveAfter,
                           Path archiveDir) {}
