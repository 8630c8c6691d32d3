package org.meshflow.launcher;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code ./meshflow} entry point: dispatches to one subcommand. */
public final class Meshflow {

  /** A subcommand: returns the process exit code. */
  @FunctionalInterface
  interface Command {
    int run(String[] args) throws Exception;
  }

  private record Entry(String summary, Command command) {}

  private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("run", new Entry("the whole pipeline in one process (embedded Kafka, registry, broker, jobs)",
        org.meshflow.launcher.run.RunCommand::main));
    COMMANDS.put("decode", new Entry("decode uplinks from stdin (TOPIC HEX or HEX per line) to JSON",
        DecodeCommand::main));
    COMMANDS.put("simulate", new Entry("drive a broker with a synthetic mesh of gateways and nodes",
        org.meshflow.launcher.simulate.SimulateCommand::main));
    COMMANDS.put("broker", new Entry("the MQTT broker with the Kafka bridge, against an external Kafka",
        org.meshflow.launcher.cluster.BrokerCommand::main));
    COMMANDS.put("jobs", new Entry("the stream jobs, against an external Kafka (instances share the work)",
        org.meshflow.launcher.cluster.JobsCommand::main));
    COMMANDS.put("report", new Entry("reports from the topics: availability --from TIME [--to TIME]",
        org.meshflow.launcher.report.ReportCommand::main));
    COMMANDS.put("sink", new Entry("the PostgreSQL sink, against an external Kafka", org.meshflow.launcher.run.SinkCommand::main));
  }

  private Meshflow() {}

  public static void main(String[] args) {
    // HiveMQ's jar carries a logback.xml too; ours comes first, and logback need not report the duplicate
    System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
    System.exit(execute(args, System.out, System.err));
  }

  static int execute(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    final Entry entry = COMMANDS.get(args[0]);
    if (entry == null) {
      err.println("meshflow: unknown command '" + args[0] + "'; try ./meshflow --help");
      return 2;
    }
    try {
      return entry.command().run(Arrays.copyOfRange(args, 1, args.length));
    } catch (UsageException e) {
      err.println("meshflow " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("meshflow " + args[0] + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      return 1;
    }
  }

  static void register(String name, String summary, Command command) {
    COMMANDS.put(name, new Entry(summary, command));
  }


  private static void usage(PrintStream out) {
    out.println("usage: ./meshflow COMMAND [OPTIONS]   (./meshflow COMMAND --help for its options)");
    out.println();
    COMMANDS.forEach((name, entry) -> out.printf("  %-9s %s%n", name, entry.summary()));
  }
}
