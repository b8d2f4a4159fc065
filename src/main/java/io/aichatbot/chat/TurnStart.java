package io.aichatbot.chat;

/** The committed start of a turn: the user's message and the reply placeholder. */
public record TurnStart(Conversation conversation, Message userMessage, Message reply) {}
