package org.meshflow.jobs.sink;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a panel's SQL the way Grafana's PostgreSQL datasource does before sending it: time macros
 * become literals for the dashboard's range ({@code $__timeFilter(c)} is {@code c BETWEEN 'from' AND
 * 'to'}, {@code $__timeGroupAlias(c,'1m')} is {@code floor(extract(epoch from c)/60)*60 AS "time"}),
 * and multi-value variables become quoted comma lists.
 */
final class GrafanaMacros {
  private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");
  private static final Pattern TIME_GROUP = Pattern.compile(
      "\\$__timeGroup(Alias)?\\(\\s*([^,]+?)\\s*,\\s*'?(\\d+)([smhd])'?\\s*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([a-zA-Z_]\\w*)}?");

  private final Instant from;
  private final Instant to;
  private final Map<String, List<String>> variables;

  GrafanaMacros(Instant from, Instant to, Map<String, List<String>> variables) {
    this.from = from;
    this.to = to;
    this.variables = variables;
  }

  String expand(String sql) {
    String out = replace(TIME_FILTER, sql, m -> m.group(1).trim() + " BETWEEN '" + from + "' AND '" + to + "'");
    out = replace(TIME_GROUP, out, m -> {
      final long seconds = Long.parseLong(m.group(3)) * switch (m.group(4)) {
        case "s" -> 1;
        case "m" -> 60;
        case "h" -> 3600;
        default -> 86400;
      };
      return "floor(extract(epoch from " + m.group(2) + ")/" + seconds + ")*" + seconds
          + (m.group(1) != null ? " AS \"time\"" : "");
    });
    out = out.replace("$__timeFrom()", "'" + from + "'").replace("$__timeTo()", "'" + to + "'");
    if (out.contains("$__")) {
      throw new IllegalArgumentException("a Grafana macro this expander does not know: " + out);
    }
    return replace(VARIABLE, out, m -> {
      final List<String> values = variables.get(m.group(1));
      if (values == null) {
        throw new IllegalArgumentException("no value for dashboard variable $" + m.group(1));
      }
      return values.stream().map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(","));
    });
  }

  private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
    final Matcher m = pattern.matcher(text);
    final var out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
