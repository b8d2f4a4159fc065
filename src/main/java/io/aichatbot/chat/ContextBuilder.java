package io.aichatbot.chat;

import io.aichatbot.llm.ModelEntry;
import io.aichatbot.llm.PromptMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds the prompt for one turn from a token budget: the system prompt, then the most recent
 * messages that fit, oldest of them first. History is read newest-first by one indexed query
 * that stops as soon as the budget is spent, so the cost of a turn does not depend on how long
 * the conversation is. Stateless and thread-safe.
 */
public final class ContextBuilder {

    private final ChatStore store;
    private final String systemPrompt;
    private final int maxContextMessages;

    public ContextBuilder(ChatStore store, String systemPrompt, int maxContextMessages) {
        this.store = store;
        this.systemPrompt = systemPrompt;
        this.maxContextMessages = maxContextMessages;
    }

    /** Tokens left for history once the system prompt and the answer's reserve are taken. */
    public int historyBudget(ModelEntry model) {
        return model.contextWindow() - model.maxOutputTokens() - TokenEstimator.estimate(systemPrompt);
    }

    /**
     * @param replySeq the seq of the reply being produced; history is everything before it,
     *                 which ends with the user's new message
     */
    public List<PromptMessage> build(String conversationId, long replySeq, ModelEntry model) {
        int[] budget = {historyBudget(model)};
        List<PromptMessage> newestFirst = new ArrayList<>();
        // The role of the next newer message kept, starting from the reply being produced. A
        // usable assistant reply followed by another one was answered again (regenerated): the
        // newer answer replaces it in the prompt, and the reply being produced replaces any
        // answers already given to the last question.
        Message.Role[] newer = {Message.Role.ASSISTANT};
        // Bounded by rows read, not kept: a run of failed replies must not make us scan the history.
        store.scanHistory(conversationId, replySeq, maxContextMessages, message -> {
            if (!usable(message)) {
                return true;
            }
            if (message.role() == Message.Role.ASSISTANT && newer[0] == Message.Role.ASSISTANT) {
                return true;
            }
            newer[0] = message.role();
            int cost = TokenEstimator.estimate(message.content());
            if (cost > budget[0]) {
                return false;
            }
            budget[0] -= cost;
            newestFirst.add(new PromptMessage(toPromptRole(message.role()), message.content()));
            return true;
        });
        // A prompt must not open with an assistant message for several providers; drop a leading one.
        while (!newestFirst.isEmpty() && newestFirst.getLast().role() == PromptMessage.Role.ASSISTANT) {
            newestFirst.removeLast();
        }
        Collections.reverse(newestFirst);
        List<PromptMessage> prompt = new ArrayList<>(newestFirst.size() + 1);
        prompt.add(new PromptMessage(PromptMessage.Role.SYSTEM, systemPrompt));
        prompt.addAll(newestFirst);
        return prompt;
    }

    /** Failed or empty replies carry nothing the model should see; stopped ones keep their partial text. */
    private static boolean usable(Message message) {
        return !message.content().isEmpty()
                && (message.status() == Message.Status.COMPLETE || message.status() == Message.Status.STOPPED);
    }

    private static PromptMessage.Role toPromptRole(Message.Role role) {
        return switch (role) {
            case SYSTEM -> PromptMessage.Role.SYSTEM;
            case USER -> PromptMessage.Role.USER;
            case ASSISTANT -> PromptMessage.Role.ASSISTANT;
        };
    }
}
