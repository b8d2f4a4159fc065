package io.aichatbot.config;

import java.time.Duration;

/**
 * HTTP listener settings.
 *
 * @param sseHeartbeat how often an idle event stream gets a comment line; a write is how a
 *                     closed browser tab is noticed, so this bounds how long a dead stream lives
 * @param shutdownGrace how long running turns may go on after SIGTERM before they are stopped
 */
public record ServerSettings(String host, int port, Duration sseHeartbeat, Duration shutdownGrace) {

    public ServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server.port must be 0..65535, was " + port);
        }
    }

    public boolean isLoopback() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
}
