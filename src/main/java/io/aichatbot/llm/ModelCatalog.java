package io.aichatbot.llm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured models by name; immutable after start, so safe to share. */
public final class ModelCatalog {

    private final Map<String, ModelEntry> byName;
    private final String defaultModel;
    private final List<ModelEntry> ordered;

    public ModelCatalog(List<ModelEntry> entries, String defaultModel) {
        Map<String, ModelEntry> map = new LinkedHashMap<>();
        for (ModelEntry entry : entries) {
            if (map.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("model " + entry.name() + " is configured twice");
            }
        }
        if (!map.containsKey(defaultModel)) {
            throw new IllegalArgumentException("default model " + defaultModel + " is not configured");
        }
        this.byName = Map.copyOf(map);
        this.defaultModel = defaultModel;
        this.ordered = List.copyOf(map.values());
    }

    public Optional<ModelEntry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public String defaultModel() {
        return defaultModel;
    }

    public List<ModelEntry> all() {
        return ordered;
    }

    /** The models users pick from: all but deployments that only serve routes. */
    public List<ModelEntry> listed() {
        return ordered.stream().filter(ModelEntry::listed).toList();
    }
}
