package io.aichatbot.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Every setting of one server process, validated once at start; immutable. */
public record Settings(ServerSettings server, DatabaseSettings database, ChatSettings chat, AuthSettings auth,
                       List<ModelSettings> models, String defaultModel, Path dataDir, OpsSettings ops,
                       RoutingSettings routing, JobsSettings jobs) {

    public Settings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(auth, "auth");
        models = List.copyOf(models);
        if (models.stream().noneMatch(m -> m.name().equals(defaultModel))) {
            throw new IllegalArgumentException("default-model '" + defaultModel + "' is not one of the configured models "
                    + models.stream().map(ModelSettings::name).toList());
        }
        var names = models.stream().map(ModelSettings::name).collect(java.util.stream.Collectors.toSet());
        for (ModelSettings model : models) {
            if (model.route() == null) {
                continue;
            }
            for (String tier : model.route().split(";")) {
                for (String deployment : tier.split(",")) {
                    String target = deployment.strip();
                    if (!names.contains(target)) {
                        throw new IllegalArgumentException("model." + model.name() + ".route names '" + target
                                + "', which is not a configured model");
                    }
                    if (models.stream().anyMatch(m -> m.name().equals(target) && m.route() != null)) {
                        throw new IllegalArgumentException("model." + model.name() + ".route names '" + target
                                + "', which has a route of its own; routes are one level deep");
                    }
                }
            }
        }
        if (auth.mode() == AuthSettings.Mode.LOCAL && !server.isLoopback()) {
            throw new IllegalArgumentException("auth.mode=local gives every caller the local user, so it only binds to a "
                    + "loopback address; server.host is '" + server.host() + "'. Set auth.mode=token to listen on other addresses.");
        }
    }
}
