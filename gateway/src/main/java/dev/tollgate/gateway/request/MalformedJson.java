package dev.tollgate.gateway.request;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import dev.tollgate.gateway.error.GatewayException;

/**
 * The 400 for a request body that is not JSON, in the gateway's words: where the first error is, never the parser's own
 * message (which names Jackson's features and classes, e.g. "enable {@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}").
 * Worded like OpenAI's own answer to malformed JSON.
 */
public final class MalformedJson {

    private MalformedJson() {
    }

    public static GatewayException error(JacksonException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " The first error is at line " + at.getLineNr() + ", column " + at.getColumnNr() + ".";
        return GatewayException.invalidRequest(null, "We could not parse the JSON body of your request. (HINT: This likely means"
                + " you aren't sending valid JSON: check quotes, commas and brackets; comments, single quotes, NaN and trailing"
                + " commas are not JSON.)" + where);
    }
}
