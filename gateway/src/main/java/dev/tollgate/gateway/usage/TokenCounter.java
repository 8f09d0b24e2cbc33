package dev.tollgate.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with jtokkit ({@code o200k_base}) when a provider reports none. Counts follow OpenAI's
 * published chat formula (3 tokens per message plus 3 for the reply priming); they are estimates and the
 * ledger marks them so. {@link #sampling(int)} gives a counter for the request path that bounds the work per call.
 */
public final class TokenCounter {

    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int REPLY_PRIMING = 3;

    private final Encoding encoding;
    /** Characters of each call counted whole; the rest is scaled by the density counted (MAX_VALUE: all whole). */
    private final int wholeUpTo;

    /** A whole counter on {@code o200k_base}, whose vocabulary is loaded once per JVM. */
    public TokenCounter() {
        this(O200kBase.ENCODING, Integer.MAX_VALUE);
    }

    /** A whole counter on {@code encoding} (tests observe what reaches the tokenizer through it). */
    TokenCounter(Encoding encoding) {
        this(encoding, Integer.MAX_VALUE);
    }

    private TokenCounter(Encoding encoding, int wholeUpTo) {
        this.encoding = encoding;
        this.wholeUpTo = wholeUpTo;
    }

    /**
     * A counter (same vocabulary) for the request path: of each call ({@link #count}, {@link #countMessages},
     * {@link #countContent}) it counts the first {@code sampleChars} characters whole, across all the call's texts,
     * and scales the rest by the tokens per character seen so far. jtokkit takes about 0.3 µs per token: a
     * 10,000-token prompt, or a conversation of that many in short messages, took 3 ms to count whole. Sampled, the
     * work per call is bounded, and the estimate follows the text's own density (prose, code or CJK), within a few
     * per cent on uniform text. For the limit stage's estimate, which real usage replaces when the request completes.
     */
    public TokenCounter sampling(int sampleChars) {
        if (sampleChars < 16) {
            throw new IllegalArgumentException("sampleChars must be at least 16, was " + sampleChars);
        }
        return new TokenCounter(encoding, sampleChars);
    }

    public int count(String text) {
        return new Tally().count(text);
    }

    /** Prompt tokens of a chat request's {@code messages}. */
    public int countMessages(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            return 0;
        }
        Tally tally = new Tally();
        long total = REPLY_PRIMING;
        for (JsonNode message : messages) {
            total += TOKENS_PER_MESSAGE + tally.count(message.path("role").asText(""));
            total += countContent(message.get("content"), tally);
            if (message.hasNonNull("name")) {
                total += tally.count(message.get("name").asText()) + 1;
            }
        }
        return saturated(total);
    }

    /** Tokens of a string, an array of strings, or an array of content parts ({@code {"type":"text","text":…}}). */
    public int countContent(JsonNode content) {
        return saturated(countContent(content, new Tally()));
    }

    private static long countContent(JsonNode content, Tally tally) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return tally.count(content.asText());
        }
        long total = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    total += tally.count(part.asText());
                } else if (part.hasNonNull("text")) {
                    total += tally.count(part.get("text").asText());
                } else if (part.isArray() || part.isNumber()) {
                    total += part.isArray() ? part.size() : 1; // token-id input
                }
            }
        }
        return total;
    }

    private static int saturated(long tokens) {
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /**
     * The {@code o200k_base} vocabulary, read when first used: parsing its 200,000 ranks into jtokkit's maps took about
     * half a second of CPU, once per gateway start before. jtokkit's encodings are immutable and safe to share.
     */
    private static final class O200kBase {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    /** One call's count: whole while characters of the sample are left, then scaled by the density counted so far. */
    private final class Tally {
        private long wholeLeft = wholeUpTo;
        private long countedChars;
        private long countedTokens;

        int count(String text) {
            if (text == null || text.isEmpty()) {
                return 0;
            }
            int length = text.length();
            if (length <= wholeLeft) {
                return whole(text);
            }
            int cut = (int) wholeLeft;
            if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--; // never split a surrogate pair
            }
            long tokens = cut > 0 ? whole(text.substring(0, cut)) : 0;
            wholeLeft = 0;
            int rest = length - cut;
            // no density known yet (a sample too small to hold a character): OpenAI's rule of thumb, 4 chars a token
            tokens += countedChars == 0 ? Math.ceilDiv(rest, 4) : Math.ceilDiv(rest * countedTokens, countedChars);
            return saturated(tokens);
        }

        private int whole(String text) {
            int tokens = encoding.countTokensOrdinary(text);
            wholeLeft -= text.length();
            countedChars += text.length();
            countedTokens += tokens;
            return tokens;
        }
    }
}
