package dev.tollgate.gateway.http;

import dev.tollgate.gateway.ledger.SpendReport;

import java.util.List;

/**
 * A spend report as CSV (RFC 4180): a header row, then one row per group. A value that a spreadsheet would run as a
 * formula (it starts with {@code = + - @}, a tab or a carriage return; tags and user ids come from clients) is
 * prefixed with {@code '}, as OWASP advises against CSV injection.
 */
final class SpendCsv {

    private SpendCsv() {
    }

    static String of(SpendReport.Query query, SpendReport.Result result) {
        StringBuilder csv = new StringBuilder();
        for (SpendReport.Dimension d : query.groupBy()) {
            csv.append(d.label()).append(',');
        }
        csv.append("requests,prompt_tokens,completion_tokens,cost_usd\r\n");
        for (SpendReport.Row row : result.rows()) {
            List<String> group = row.group();
            for (String value : group) {
                csv.append(field(value)).append(',');
            }
            csv.append(row.requests()).append(',').append(row.promptTokens()).append(',').append(row.completionTokens())
                    .append(',').append(AdminJson.usd(row.costUsd())).append("\r\n");
        }
        return csv.toString();
    }

    private static String field(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0;
        return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }
}
