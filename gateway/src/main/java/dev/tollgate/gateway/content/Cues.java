package dev.tollgate.gateway.content;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words just before a bare number, for the kinds whose shape alone is ambiguous: a bare run of ten digits is a
 * phone number after "call me at" but an order number after "order". Looks at most {@value #WINDOW} characters back,
 * not past a line break.
 */
final class Cues {

    static final int WINDOW = 32;

    private static final Pattern PHONE_OR_ID = Pattern.compile("(?i)\\b(?:(?<id>order|orders|invoice|inv|account|acct|"
            + "id|ids|ref|reference|ticket|tracking|serial|sku|item|part|transaction|txn|confirmation|booking|case|"
            + "timestamp|epoch|ts|isbn|batch|build|version|receipt|shipment|parcel|customer|member|policy|claim|"
            + "route|iban|bic)|(?<phone>phone|tel|telephone|mobile|cell|cellphone|call|text|sms|fax|whatsapp|signal|"
            + "dial|ring|reach|contact|landline|hotline|handy|telefon))\\b");

    private static final Pattern SSN = Pattern.compile("(?i)\\b(?:ssn|ss#|social security(?: number| no\\.?| #)?)");

    private static final Pattern VERSION = Pattern.compile("(?i)\\b(?:version|ver|release|build|firmware|fw|oid|"
            + "v)\\.?\\s*[:=]?\\s*$");

    private Cues() {
    }

    /**
     * Whether the words before {@code start} name an id rather than a phone: an id word (order, invoice, ticket,
     * tracking, id…) comes after the last phone word (call, phone, mobile…), if any.
     */
    static boolean namesAnId(String text, int start) {
        Matcher m = PHONE_OR_ID.matcher(text).region(windowStart(text, start), start).useTransparentBounds(true);
        int lastId = -1;
        int lastPhone = -1;
        while (m.find()) {
            if (m.start("id") >= 0) {
                lastId = m.start();
            } else {
                lastPhone = m.start();
            }
        }
        return lastId > lastPhone;
    }

    /** Whether the words before {@code start} say a social security number follows. */
    static boolean namesAnSsn(String text, int start) {
        return SSN.matcher(text).region(windowStart(text, start), start).useTransparentBounds(true).find();
    }

    /** Whether the word right before {@code start} says a version follows ("version 1.2.3.4", "build: 10.0.1.2"). */
    static boolean namesAVersion(String text, int start) {
        return VERSION.matcher(text).region(Math.max(0, start - 16), start).useTransparentBounds(true).find();
    }

    private static int windowStart(String text, int start) {
        int from = Math.max(0, start - WINDOW);
        for (int i = start - 1; i >= from; i--) {
            if (text.charAt(i) == '\n') {
                return i + 1;
            }
        }
        return from;
    }
}
