package io.aichatbot.config;

import java.time.Duration;

/**
 * Operations settings.
 *
 * @param metricsScrapeToken a bearer token that may read /metrics without an admin key; null for none
 * @param sampleInterval     how often the resource view takes a sample
 * @param sampleHistory      samples kept (bounded ring); interval × history is the window shown
 * @param rssWarnBytes       log a warning when resident memory goes over this; 0 disables
 * @param openFilesWarn      log a warning when open file descriptors go over this; 0 disables
 * @param queueCapacity      tasks the background queue holds; past it producers are told at once
 * @param queueWorkers       threads working the background queue
 * @param idleGcAfter        after this long without turns, give unused heap back to the OS; zero disables
 */
public record OpsSettings(String metricsScrapeToken, Duration sampleInterval, int sampleHistory, long rssWarnBytes,
                          long openFilesWarn, int queueCapacity, int queueWorkers, long rssGrowthWarnBytesPerHour,
                          java.nio.file.Path secretsFile, Duration idleGcAfter) {

    public OpsSettings {
        if (sampleInterval.toMillis() < 100) {
            throw new IllegalArgumentException("resources.sample-interval must be at least 100ms");
        }
    }

    @Override
    public String toString() {
        return "OpsSettings[metricsScrapeToken=" + (metricsScrapeToken == null ? "none" : "***") + ", sampleInterval="
                + sampleInterval + ", sampleHistory=" + sampleHistory + ", rssWarnBytes=" + rssWarnBytes
                + ", openFilesWarn=" + openFilesWarn + "]";
    }
}
