package org.meshflow.launcher.run;

import java.util.List;

/** What the status page shows: the parts, then the routers and the traffic. Rendered on the server. */
record StatusPage(List<String[]> parts, List<String[]> routers, List<String[]> outages, List<String[]> traffic) {

  private static final String[] PART_HEAD = {"part", "state"};
  private static final String[] ROUTER_HEAD = {"router", "state", "since", "last uplink", "outages"};
  private static final String[] OUTAGE_HEAD = {"router", "start", "end", "duration", "cause"};
  private static final String[] TRAFFIC_HEAD = {"what", "value"};

  String text() {
    final var out = new StringBuilder("Meshflow\n\n");
    table(out, "Parts", PART_HEAD, parts);
    table(out, "Routers", ROUTER_HEAD, routers);
    table(out, "Last outages", OUTAGE_HEAD, outages);
    table(out, "Traffic", TRAFFIC_HEAD, traffic);
    return out.toString();
  }

  String html() {
    final var out = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Meshflow</title>"
        + "<meta http-equiv=\"refresh\" content=\"10\"><style>body{font-family:sans-serif;margin:2em}"
        + "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
        + "th{background:#eee}</style></head><body><h1>Meshflow</h1>");
    htmlTable(out, "Parts", PART_HEAD, parts);
    htmlTable(out, "Routers", ROUTER_HEAD, routers);
    htmlTable(out, "Last outages", OUTAGE_HEAD, outages);
    htmlTable(out, "Traffic", TRAFFIC_HEAD, traffic);
    return out.append("</body></html>\n").toString();
  }

  private static void table(StringBuilder out, String title, String[] head, List<String[]> rows) {
    out.append(title).append('\n');
    if (rows.isEmpty()) {
      out.append("  (none yet)\n\n");
      return;
    }
    final int[] width = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      width[i] = head[i].length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    line(out, head, width);
    rows.forEach(row -> line(out, row, width));
    out.append('\n');
  }

  private static void line(StringBuilder out, String[] cells, int[] width) {
    out.append(' ');
    for (int i = 0; i < cells.length; i++) {
      out.append(' ').append(String.format("%-" + width[i] + "s", cells[i]));
    }
    out.append('\n');
  }

  private static void htmlTable(StringBuilder out, String title, String[] head, List<String[]> rows) {
    out.append("<h2>").append(title).append("</h2>");
    if (rows.isEmpty()) {
      out.append("<p>none yet</p>");
      return;
    }
    out.append("<table><tr>");
    for (String h : head) {
      out.append("<th>").append(escape(h)).append("</th>");
    }
    out.append("</tr>");
    for (String[] row : rows) {
      out.append("<tr>");
      for (String cell : row) {
        out.append("<td>").append(escape(cell)).append("</td>");
      }
      out.append("</tr>");
    }
    out.append("</table>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
