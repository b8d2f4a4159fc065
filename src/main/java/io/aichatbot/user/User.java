package io.aichatbot.user;

import java.time.Instant;

/** A person or program that owns conversations. */
public record User(String id, String name, boolean admin, Instant createdAt) {}
