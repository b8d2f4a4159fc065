package io.aichatbot.config;

import io.aichatbot.llm.Timeouts;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link Settings} from, highest priority first: command-line overrides, environment
 * variables ({@code AICHATBOT_} + the key upper-cased with every non-alphanumeric as {@code _},
 * so {@code chat.max-message-bytes} is {@code AICHATBOT_CHAT_MAX_MESSAGE_BYTES}), a properties
 * file, then defaults. Out-of-range values that are merely unwise are clamped with a warning
 * naming the setting; contradictions throw.
 */
public final class SettingsLoader {

    private static final Logger log = LoggerFactory.getLogger(SettingsLoader.class);

    private final Map<String, String> overrides;
    private final Map<String, String> env;
    private final Properties file;

    public SettingsLoader(Map<String, String> overrides, Map<String, String> env, Properties file) {
        this.overrides = Map.copyOf(overrides);
        this.env = env;
        this.file = file;
    }

    /** Reads the file if given (or ./aichatbot.properties if present) and the process environment. */
    public static Settings load(Path configFile, Map<String, String> overrides) throws IOException {
        Properties props = new Properties();
        Path path = configFile != null ? configFile : Path.of("aichatbot.properties");
        if (configFile != null || Files.isRegularFile(path)) {
            try (Reader reader = Files.newBufferedReader(path)) {
                props.load(reader);
            }
        }
        return new SettingsLoader(overrides, System.getenv(), props).settings();
    }

    public Settings settings() {
        Path dataDir = Path.of(get("data-dir", "./data"));
        var server = new ServerSettings(get("server.host", "127.0.0.1"), intValue("server.port", 8080, 0, 65535),
                duration("server.sse-heartbeat", "400ms"), duration("server.shutdown-grace", "PT20S"));
        var database = new DatabaseSettings(
                get("db.url", "jdbc:sqlite:" + dataDir.resolve("aichatbot.db")),
                get("db.user", null), get("db.password", null), get("db.schema", null),
                intValue("db.pool-size", 8, 1, 200),
                get("db.sqlite-synchronous", "FULL").toUpperCase(Locale.ROOT));
        var chat = new ChatSettings(
                intValue("chat.max-message-bytes", 32 * 1024, 16, 4 * 1024 * 1024),
                longValue("chat.max-messages-per-conversation", 100_000, 2, 100_000_000),
                intValue("chat.max-context-messages", 200, 1, 10_000),
                get("chat.system-prompt", "You are a helpful assistant."));
        var auth = new AuthSettings(AuthSettings.Mode.valueOf(get("auth.mode", "local").toUpperCase(Locale.ROOT)));
        List<ModelSettings> models = models();
        String defaultModel = get("default-model",
                models.stream().filter(m -> !m.provider().equals("demo")).findFirst().orElse(models.getFirst()).name());
        var routing = new RoutingSettings(intValue("routing.max-attempts", 3, 1, 10),
                duration("routing.backoff-base", "250ms"), duration("routing.backoff-max", "4s"),
                duration("routing.max-retry-after", "10s"), duration("routing.acquire-wait", "2s"),
                Double.parseDouble(get("routing.retry-budget-ratio", "0.2")),
                intValue("routing.breaker-failures", 5, 1, 1000), duration("routing.breaker-open", "30s"));
        var ops = new OpsSettings(get("metrics.scrape-token", null), duration("resources.sample-interval", "10s"),
                intValue("resources.history", 360, 1, 100_000),
                longValue("resources.rss-warn-mb", 1024, 0, 1_000_000) * 1024 * 1024,
                longValue("resources.open-files-warn", 20_000, 0, 10_000_000),
                intValue("queue.capacity", 10_000, 1, 1_000_000), intValue("queue.workers", 2, 1, 64),
                longValue("resources.rss-growth-warn-mb-per-hour", 100, 0, 1_000_000) * 1024 * 1024,
                get("secrets.file", null) == null ? null : Path.of(get("secrets.file", null)),
                duration("resources.idle-gc-after", "60s"));
        long idleDays = longValue("retention.max-idle-days", 0, 0, 100_000);
        long archiveDays = longValue("feedback.archive-after-days", 0, 0, 100_000);
        var jobs = new JobsSettings(Boolean.parseBoolean(get("jobs.enabled", "true")),
                duration("jobs.integrity-every", "10m"), duration("jobs.upkeep-every", "6h"),
                duration("jobs.retention-every", "1h"),
                idleDays == 0 ? null : Duration.ofDays(idleDays), Boolean.parseBoolean(get("retention.dry-run", "false")),
                archiveDays == 0 ? null : Duration.ofDays(archiveDays),
                Path.of(get("feedback.archive-dir", dataDir.resolve("archive").toString())));
        return new Settings(server, database, chat, auth, models, defaultModel, dataDir, ops, routing, jobs);
    }

    private List<ModelSettings> models() {
        List<ModelSettings> models = new ArrayList<>();
        // The offline demo model is always there, so a fresh install can chat with no key and no network.
        models.add(model("demo", "demo"));
        String names = get("models", "");
        for (String raw : names.split(",")) {
            String name = raw.strip();
            if (!name.isEmpty() && !name.equals("demo")) {
                models.add(model(name, get("model." + name + ".provider", "openai")));
            }
        }
        return models;
    }

    private ModelSettings model(String name, String provider) {
        String prefix = "model." + name + ".";
        String baseUrl = get(prefix + "base-url", null);
        var timeouts = new Timeouts(duration(prefix + "connect-timeout", "PT10S"),
                duration(prefix + "first-token-timeout", "PT60S"),
                duration(prefix + "between-tokens-timeout", "PT30S"),
                duration(prefix + "total-timeout", "PT10M"));
        if (baseUrl == null) {
            baseUrl = switch (provider) { // the vendors' own endpoints; OpenAI-compatible servers vary, so no default
                case "anthropic" -> "https://api.anthropic.com";
                case "gemini" -> "https://generativelanguage.googleapis.com";
                default -> null;
            };
        }
        return new ModelSettings(name, provider, get(prefix + "upstream-model", name),
                baseUrl == null ? null : URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl),
                get(prefix + "api-key-env", null),
                intValue(prefix + "context-window", provider.equals("demo") ? 8192 : 32_768, 256, 10_000_000),
                intValue(prefix + "max-output-tokens", provider.equals("demo") ? 512 : 2048, 1, 1_000_000),
                timeouts, duration(prefix + "token-delay", "PT0.03S"),
                get(prefix + "route", null), intValue(prefix + "weight", 1, 1, 1000),
                intValue(prefix + "max-concurrency", 64, 1, 100_000),
                Boolean.parseBoolean(get(prefix + "hidden", "false")), pricing(prefix));
    }

    /** {@code price-input} and {@code price-output}: US dollars per million tokens; both or neither. */
    private io.aichatbot.llm.Pricing pricing(String prefix) {
        String in = get(prefix + "price-input", null);
        String out = get(prefix + "price-output", null);
        if (in == null && out == null) {
            return null;
        }
        try {
            return new io.aichatbot.llm.Pricing(Double.parseDouble(in == null ? "0" : in), Double.parseDouble(out == null ? "0" : out));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + "price-input/price-output must be numbers (US dollars per million tokens)");
        }
    }

    String get(String key, String fallback) {
        String value = overrides.get(key);
        if (value == null) {
            value = env.get(envName(key));
        }
        if (value == null) {
            value = file.getProperty(key);
        }
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    static String envName(String key) {
        return "AICHATBOT_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private int intValue(String key, int fallback, int min, int max) {
        return (int) longValue(key, fallback, min, max);
    }

    private long longValue(String key, long fallback, long min, long max) {
        String raw = get(key, null);
        if (raw == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + raw + "'");
        }
        if (value < min || value > max) {
            long clamped = Math.max(min, Math.min(max, value));
            log.warn("{}={} is outside {}..{}; using {}", key, value, min, max, clamped);
            return clamped;
        }
        return value;
    }

    private Duration duration(String key, String fallback) {
        String raw = get(key, fallback);
        try {
            // Accept ISO-8601 (PT30S) and the friendlier 30s / 500ms / 2m forms.
            if (raw.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(raw.substring(0, raw.length() - 2)));
            }
            if (raw.matches("\\d+[smh]")) {
                long n = Long.parseLong(raw.substring(0, raw.length() - 1));
                return switch (raw.charAt(raw.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(raw);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a duration like 30s, 500ms or PT30S, was '" + raw + "'");
        }
    }

    /** For tests: a loader over plain maps. */
    public static SettingsLoader of(Map<String, String> values) {
        Properties props = new Properties();
        props.putAll(new HashMap<>(values));
        return new SettingsLoader(Map.of(), Map.of(), props);
    }
}
