package io.aichatbot.chat;

import java.io.IOException;

/** Receives a turn's answer as it arrives; an IOException means the client is gone. */
@FunctionalInterface
public interface TurnListener {

    void onDelta(String text) throws IOException;

    TurnListener NONE = text -> {};
}
