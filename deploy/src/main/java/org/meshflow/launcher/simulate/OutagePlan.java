package org.meshflow.launcher.simulate;

import java.time.Duration;
import java.util.regex.Pattern;
import org.meshflow.config.Durations;

/**
 * One scheduled outage, written {@code ROUTER@START+LENGTH[:MODE]}: ROUTER is a 1-based index or a
 * {@code !xxxxxxxx} id, START and LENGTH durations from the start of the run. MODE says how the link
 * fails: {@code drop} (default: socket closed without DISCONNECT), {@code silent} (nothing sent any
 * more; the broker notices by keepalive timeout) or {@code clean} (a proper DISCONNECT).
 */
record OutagePlan(String router, Duration start, Duration length, Mode mode) {
  private static final Pattern FORM = Pattern.compile("([^@]+)@([^+]+)\\+([^:]+)(?::(\\w+))?");

  enum Mode { DROP, SILENT, CLEAN }

  static OutagePlan parse(String text) {
    final var m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--outage '" + text + "' is not ROUTER@START+LENGTH[:drop|silent|clean], e.g. 2@30s+2m");
    }
    final Mode mode;
    try {
      mode = m.group(4) == null ? Mode.DROP : Mode.valueOf(m.group(4).toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--outage '" + text + "': mode is drop, silent or clean");
    }
    return new OutagePlan(m.group(1), Durations.parse(m.group(2)), Durations.parse(m.group(3)), mode);
  }

  /** The 0-based router index this outage is about, or -1 when it names no router of the mesh. */
  int routerIndex(SyntheticMesh mesh) {
    if (router.startsWith("!")) {
      for (int i = 0; i < mesh.routers().size(); i++) {
        if (org.meshflow.meshtastic.NodeId.of(mesh.routers().get(i).nodeNum()).equals(router)) {
          return i;
        }
      }
      return -1;
    }
    try {
      final int index = Integer.parseInt(router) - 1;
      return index >= 0 && index < mesh.routers().size() ? index : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
