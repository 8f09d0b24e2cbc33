package dev.tollgate.gateway.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The whole count and the sampled estimate the limit stage uses, on o200k_base. */
class TokenCounterTest {

    static final TokenCounter WHOLE = new TokenCounter();
    static final TokenCounter SAMPLED = WHOLE.sampling(1024);

    @Test
    void aTextNoLongerThanTheSampleIsCountedWhole() {
        String[] texts = {"Say hello", "Zürich, 日本語の文章, emoji 🙂🙂 and code: {\"x\": [1, 2]}", words(PROSE, 1024, 7).substring(0, 1024)};
        for (String text : texts) {
            assertThat(text.length()).isLessThanOrEqualTo(1024);
            assertThat(SAMPLED.count(text)).isEqualTo(WHOLE.count(text));
        }
        assertThat(SAMPLED.count("")).isZero();
        assertThat(SAMPLED.count(null)).isZero();
    }

    @Test
    void aLongTextIsEstimatedFromItsPrefixWithinAFewPerCentOfTheWholeCount() {
        for (String[] vocabulary : new String[][] {PROSE, CODE, JAPANESE}) {
            String text = words(vocabulary, 40_000, 11);
            int whole = WHOLE.count(text);
            int sampled = SAMPLED.count(text);
            assertThat(whole).isGreaterThan(4000);
            assertThat((double) sampled).as("%s…", text.substring(0, 40)).isCloseTo(whole, within(whole * 0.05));
        }
    }

    @Test
    void aConversationIsSampledAsAWholeNotMessageByMessage() {
        ArrayNode short_ = conversation(4, 200, 3); // 800 characters in all: counted whole
        assertThat(SAMPLED.countMessages(short_)).isEqualTo(WHOLE.countMessages(short_));

        ArrayNode longHistory = conversation(200, 500, 5); // 100,000 characters in messages of 500
        int whole = WHOLE.countMessages(longHistory);
        assertThat(whole).isGreaterThan(15_000);
        assertThat((double) SAMPLED.countMessages(longHistory)).isCloseTo(whole, within(whole * 0.05));
    }

    @Test
    void theTokenizerSeesAtMostTheSampleOfARequestHoweverManyMessagesItHas() {
        Encoding real = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        AtomicLong charsTokenized = new AtomicLong();
        Encoding observed = (Encoding) Proxy.newProxyInstance(Encoding.class.getClassLoader(), new Class<?>[] {Encoding.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("countTokensOrdinary")) {
                        charsTokenized.addAndGet(((String) args[0]).length());
                    }
                    return method.invoke(real, args);
                });
        TokenCounter sampled = new TokenCounter(observed).sampling(1024);

        sampled.countMessages(conversation(200, 500, 5));
        assertThat(charsTokenized.get()).isLessThanOrEqualTo(1024);
        charsTokenized.set(0);
        sampled.count(words(CODE, 40_000, 3));
        assertThat(charsTokenized.get()).isLessThanOrEqualTo(1024);
    }

    @Test
    void theSampleDoesNotSplitASurrogatePair() {
        String emoji = "x" + "🙂".repeat(500); // the 16th char is the high half of a pair
        int sampled = WHOLE.sampling(16).count(emoji);
        int whole = WHOLE.count(emoji);
        assertThat((double) sampled).isCloseTo(whole, within(whole * 0.1));
    }

    @Test
    void aSampleTooSmallToMeanAnythingIsRefused() {
        assertThatThrownBy(() -> WHOLE.sampling(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleChars");
    }

    static final String[] PROSE = {"the", "gateway", "counts", "tokens", "of", "every", "prompt", "before", "it", "admits",
            "a", "request,", "and", "budgets", "spend.", "Platform", "teams", "declare", "routes", "\n"};
    static final String[] CODE = {"for", "(int", "i", "=", "0;", "i", "<", "n;", "i++)", "{", "sum", "+=", "x[i];", "}",
            "return", "Map.of(\"k\",", "v);", "\n\t", "if", "(a", "!=", "null)"};
    static final String[] JAPANESE = {"日本語の", "文章を", "数える", "ゲートウェイ", "は", "予算", "と", "制限", "を", "守る。", "\n"};

    /** {@code messages} chat messages of about {@code chars} characters of prose each, alternating user and assistant. */
    static ArrayNode conversation(int messages, int chars, long seed) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < messages; i++) {
            String text = words(PROSE, chars, seed + i);
            array.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", text.substring(0, Math.min(chars, text.length())));
        }
        return array;
    }

    /** Random words of the vocabulary, about {@code chars} long. */
    static String words(String[] vocabulary, int chars, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(chars + 32);
        while (sb.length() < chars) {
            sb.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
        }
        return sb.toString();
    }
}
