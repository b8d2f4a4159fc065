package io.aichatbot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aichatbot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceSamplerTest {

    static final long MIB = 1024 * 1024;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<String> alerts = new ArrayList<>();

    ResourceSampler sampler(int capacity, ResourceSampler.Thresholds thresholds) {
        return new ResourceSampler(clock, Duration.ZERO, capacity, thresholds, Map.of(), alerts::add);
    }

    ResourceSampler.Sample sample(long rssMib, long openFiles) {
        return new ResourceSampler.Sample(clock.millis(), 1, 2, rssMib * MIB, 0.1, 10, openFiles, Map.of());
    }

    @Test
    void aThresholdWarnsOncePerEpisodeNotOnEverySample() {
        var sampler = sampler(100, new ResourceSampler.Thresholds(500 * MIB, 1000));

        sampler.record(sample(400, 10));
        sampler.record(sample(600, 10));
        sampler.record(sample(650, 10));
        sampler.record(sample(700, 10));
        sampler.record(sample(450, 10)); // back under: the episode ends
        sampler.record(sample(800, 2000)); // a new episode, and a file-descriptor one

        assertThat(alerts).hasSize(3);
        assertThat(alerts.get(0)).contains("resident memory 600 MiB");
        assertThat(alerts.get(1)).contains("resident memory 800 MiB");
        assertThat(alerts.get(2)).contains("2000 open file descriptors");
    }

    @Test
    void steadyGrowthAcrossTheHistoryIsReportedOnce() {
        var sampler = sampler(10, new ResourceSampler.Thresholds(0, 0, 100 * MIB));
        for (int minute = 0; minute < 10; minute++) {
            sampler.record(sample(100 + minute * 5L, 10)); // 5 MiB a minute: 300 MiB an hour
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(alerts).hasSize(1).first().asString().contains("MiB/hour");
    }

    @Test
    void theHistoryIsBounded() {
        var sampler = sampler(3, new ResourceSampler.Thresholds(0, 0));
        for (int i = 0; i < 10; i++) {
            sampler.record(sample(100 + i, 10));
        }

        assertThat(sampler.history()).hasSize(3).last().extracting(ResourceSampler.Sample::rssBytes).isEqualTo(109 * MIB);
        sampler.close();
    }
}
