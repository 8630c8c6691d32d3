package org.meshflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a Linux process, from /proc. */
final class ProcessUsage {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private ProcessUsage() {}

  /** User + system CPU seconds the process used so far. */
  static double cpuSeconds(long pid) throws IOException {
    final String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after "pid (comm) ": state is field 3, utime 14, stime 15
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }

  /** Resident set size in MiB. */
  static double rssMiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
