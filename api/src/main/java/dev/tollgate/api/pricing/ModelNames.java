package dev.tollgate.api.pricing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names under which a configured model may be catalogued, most specific first (lower case): the name itself;
 * without Gemini's {@code models/} and a {@code vendor/} prefix; for Bedrock without the cross-region inference prefix
 * ({@code us.}, {@code eu.}, {@code apac.}, {@code global.}, ...); without a Vertex {@code @version}; and without a dated
 * snapshot suffix ({@code -2024-08-06}, {@code -20241022}).
 */
final class ModelNames {

    private static final Pattern BEDROCK_GEO = Pattern.compile("^(?:us|eu|apac|jp|au|ca|us-gov|global)\\.(?=[a-z0-9-]+\\.)");
    private static final Pattern VERTEX_VERSION = Pattern.compile("@[a-z0-9.-]+$");
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(?:\\d{4}-\\d{2}-\\d{2}|20\\d{6})$");

    private ModelNames() {
    }

    static List<String> variants(String provider, String model) {
        String name = model.trim().toLowerCase(Locale.ROOT);
        Set<String> out = new LinkedHashSet<>();
        add(out, name);
        if (name.startsWith("models/")) {
            add(out, name.substring("models/".length()));
        }
        if ("bedrock".equals(provider)) {
            Matcher geo = BEDROCK_GEO.matcher(name);
            if (geo.find()) {
                add(out, name.substring(geo.end()));
            }
        }
        int slash = name.lastIndexOf('/');
        if (slash >= 0 && slash < name.length() - 1) {
            add(out, name.substring(slash + 1));
        }
        for (String n : List.copyOf(out)) {
            String undated = VERTEX_VERSION.matcher(n).replaceFirst("");
            add(out, undated);
            add(out, DATE_SUFFIX.matcher(undated).replaceFirst(""));
        }
        return new ArrayList<>(out);
    }

    private static void add(Set<String> out, String name) {
        if (!name.isEmpty()) {
            out.add(name);
        }
    }
}
