package io.aichatbot.chat;

/** Direction of a message page: newest first (the default for chat views) or oldest first. */
public enum SortOrder { NEWEST_FIRST, OLDEST_FIRST }
