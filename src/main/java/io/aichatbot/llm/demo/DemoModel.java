package io.aichatbot.llm.demo;

import io.aichatbot.llm.ChatModel;
import io.aichatbot.llm.ModelEvent;
import io.aichatbot.llm.ModelFailure;
import io.aichatbot.llm.ModelRequest;
import io.aichatbot.llm.ModelStream;
import io.aichatbot.llm.PromptMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in offline model: a deterministic, clearly labelled answer streamed word by word,
 * so the page and the API work with no key and no network. Thread-safe and stateless.
 */
public final class DemoModel implements ChatModel {

    private static final Pattern WORDS = Pattern.compile("\\S+\\s*|\\s+");

    private final Duration tokenDelay;

    public DemoModel(Duration tokenDelay) {
        this.tokenDelay = tokenDelay;
    }

    @Override
    public String provider() {
        return "demo";
    }

    @Override
    public ModelStream open(ModelRequest request) {
        String question = lastUserText(request.messages());
        String answer = answer(question, request.messages().size());
        List<String> tokens = new ArrayList<>();
        Matcher matcher = WORDS.matcher(answer);
        while (matcher.find() && tokens.size() < request.maxOutputTokens()) {
            tokens.add(matcher.group());
        }
        int inputTokens = request.messages().stream().mapToInt(m -> m.content().length() / 4 + 4).sum();
        return new DemoStream(tokens, inputTokens, tokens.size() == request.maxOutputTokens() ? "length" : "stop", tokenDelay);
    }

    /** The answer is a pure function of the question and the prompt length, so tests can predict it. */
    static String answer(String question, int promptMessages) {
        String quoted = question.length() > 200 ? question.substring(0, 200) + "…" : question;
        return "**Demo model (offline, no AI).** This answer is generated locally so you can try AIChatBot "
                + "without an API key.\n\nYou wrote: \"" + quoted + "\"\n\n"
                + "The prompt I received held " + promptMessages + " message(s), cut to the model's token budget. "
                + "Configure a real provider (see README) to get real answers.";
    }

    private static String lastUserText(List<PromptMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == PromptMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** Pull-based stream; the latch lets close() from another thread cut a pause short. */
    private static final class DemoStream implements ModelStream {
        private final List<String> tokens;
        private final int inputTokens;
        private final String finishReason;
        private final Duration delay;
        private final CountDownLatch closed = new CountDownLatch(1);
        private int position;
        private ModelEvent terminal;

        DemoStream(List<String> tokens, int inputTokens, String finishReason, Duration delay) {
            this.tokens = tokens;
            this.inputTokens = inputTokens;
            this.finishReason = finishReason;
            this.delay = delay;
        }

        @Override
        public synchronized ModelEvent next() throws InterruptedException {
            if (terminal != null) {
                return terminal;
            }
            if (!delay.isZero() && position < tokens.size() && closed.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                return terminal = new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.CANCELLED, "cancelled"));
            }
            if (closed.getCount() == 0) {
                return terminal = new ModelEvent.Failed(ModelFailure.of(ModelFailure.Kind.CANCELLED, "cancelled"));
            }
            if (position < tokens.size()) {
                return new ModelEvent.Delta(tokens.get(position++));
            }
            if (position == tokens.size()) {
                position++;
                return new ModelEvent.Usage(inputTokens, tokens.size());
            }
            return terminal = new ModelEvent.Done(finishReason);
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
