package io.aichatbot.web;

/** Request bodies; unknown fields are refused (400 unknown_field) so typos are not silently ignored. */
final class Requests {

    private Requests() {}

    record CreateConversation(String title, String model) {}

    record Rename(String title) {}

    record SendMessage(String content, String model) {}

    record Regenerate(String model) {}

    record GiveFeedback(String rating, String comment) {}
}
