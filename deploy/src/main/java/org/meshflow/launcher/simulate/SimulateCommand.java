package org.meshflow.launcher.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.embedded.BrokerAddress;
import org.meshflow.meshtastic.NodeId;
import org.meshflow.meshtastic.PacketKey;

/**
 * {@code ./meshflow simulate}: a synthetic mesh of gateways and nodes publishing real envelopes to a
 * broker, with scheduled outages, printing the ground truth at the end. Also the load generator of
 * the benchmarks ({@code --rate}).
 */
public final class SimulateCommand {
  static final Set<String> OPTIONS = Set.of("mqtt", "mqtt-ca", "routers", "nodes", "rate", "duration", "outage", "seed",
      "username", "password", "qos", "truth", "help");
  private static final int KEEPALIVE_SECONDS = 15;

  private final PrintStream out;
  private final PrintStream err;
  private final PublishObserver observer;

  public SimulateCommand(PrintStream out, PrintStream err) {
    this(out, err, PublishObserver.NONE);
  }

  public SimulateCommand(PrintStream out, PrintStream err, PublishObserver observer) {
    this.out = out;
    this.err = err;
    this.observer = observer;
  }

  public static final String HELP = """
      usage: ./meshflow simulate --mqtt tcp://HOST:PORT|ssl://HOST:PORT [--mqtt-ca PEM] [--routers N] [--nodes M]
                                 [--rate UPLINKS_PER_S]
                                 [--duration D] [--outage ROUTER@START+LENGTH[:drop|silent|clean]]... [--seed S]
                                 [--username U --password P] [--qos 0|1] [--truth FILE]

      A synthetic Meshtastic mesh around a city: N gateways (MQTT 3.1.1, client id !xxxxxxxx, 15 s keepalive,
      like the firmware) and M nodes whose packets (default-key encrypted text, position, telemetry, node info)
      are heard by every gateway in range, so most packets reach MQTT several times. Each gateway also sends one
      map report. Outages take a gateway's link away: drop (socket closed without DISCONNECT, the default),
      silent (nothing sent; the broker notices by keepalive timeout) or clean (DISCONNECT).
      At the end it prints the ground truth: unique packets, uplinks and the outages, also as JSON (--truth FILE).
      With ssl://HOST:PORT the gateways connect over TLS, trusting the certificates of --mqtt-ca (PEM), else the
      JVM's trust store.

      defaults: --routers 5 --nodes 50 --rate 20 --duration 60s --seed 1 --qos 1
      example:  ./meshflow simulate --mqtt tcp://127.0.0.1:1883 --routers 8 --nodes 200 --duration 5m \\
                    --outage 2@30s+3m --outage 5@1m+20s:clean
      """;

  public int run(String[] args) throws Exception {
    final var settings = Settings.parse(args, Set.of("help"), OPTIONS, System.getenv());
    if (settings.flag("help")) {
      out.print(HELP);
      return 0;
    }
    if (settings.string("mqtt", null) == null) {
      settings.error("--mqtt tcp://HOST:PORT is required");
    }
    final BrokerAddress broker = BrokerAddress.parse(settings);
    final int routers = positive(settings, "routers", 5);
    final int nodes = positive(settings, "nodes", 50);
    final int rate = positive(settings, "rate", 20);
    final int qos = (int) number(settings, "qos", 1);
    if (qos != 0 && qos != 1) {
      settings.error("--qos is 0 or 1");
    }
    final Duration duration = settings.duration("duration", "60s");
    final long seed = number(settings, "seed", 1);
    final var plans = new ArrayList<OutagePlan>();
    for (String spec : settings.all("outage")) {
      try {
        plans.add(OutagePlan.parse(spec));
      } catch (IllegalArgumentException e) {
        settings.error(e.getMessage());
      }
    }
    settings.check();
    final var mesh = new SyntheticMesh(routers, nodes, seed);
    for (OutagePlan plan : plans) {
      if (plan.routerIndex(mesh) < 0) {
        throw new UsageException("--outage " + plan.router() + ": no such router (use 1.." + routers + " or a router id)");
      }
    }
    final var run = new Run(mesh, broker.host(), broker.port(), broker.overTls() ? tls(broker.trust()) : null,
        settings.string("username", null), settings.string("password", null), qos, rate, duration, plans,
        new Random(seed));
    final ObjectNode truth = run.execute();
    final String truthFile = settings.string("truth", null);
    if (truthFile != null) {
      Files.writeString(Path.of(truthFile), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(truth));
    }
    out.printf("simulate: %d unique packets (+%d whose copies were sent but never acknowledged), %d uplinks "
        + "(%.1f per packet), %d acknowledged, %d outages%n",
        truth.get("uniquePackets").asLong(), truth.get("unconfirmedPackets").asLong(), truth.get("uplinks").asLong(),
        truth.get("uplinks").asDouble() / Math.max(1, truth.get("uniquePackets").asLong()),
        truth.get("acknowledged").asLong(), truth.get("outages").size());
    truth.get("outages").forEach(o -> out.printf("simulate: outage %s %s from %s to %s%n", o.get("router").asText(),
        o.get("mode").asText(), o.get("start").asText(), o.get("end").asText()));
    out.println(new ObjectMapper().writeValueAsString(truth));
    return 0;
  }

  private static int positive(Settings settings, String name, int dflt) {
    final long n = number(settings, name, dflt);
    if (n < 1 || n > 1_000_000) {
      settings.error("--" + name + " must be between 1 and 1000000");
      return dflt;
    }
    return (int) n;
  }

  private static long number(Settings settings, String name, long dflt) {
    final String v = settings.string(name, String.valueOf(dflt));
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      settings.error("--" + name + " must be a whole number, not '" + v + "'");
      return dflt;
    }
  }

  /** A unique packet that was sent; confirmed once the broker acknowledged at least one of its copies. */
  private static final class SentPacket {
    volatile boolean confirmed;
  }

  /** One simulation run. */
  /** TLS trusting {@code trust}, or the JVM's trust store when it is null. */
  private static SSLSocketFactory tls(TrustManagerFactory trust) throws GeneralSecurityException {
    final SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust == null ? null : trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  private final class Run {
    private final SyntheticMesh mesh;
    private final String host;
    private final int port;
    private final SSLSocketFactory tls;
    private final String username;
    private final String password;
    private final int qos;
    private final int rate;
    private final Duration duration;
    private final List<OutagePlan> plans;
    private final Random random;
    private final AtomicReferenceArray<GatewayConnection> links;
    private final EnvelopeFactory factory;
    private final List<ObjectNode> outages = new ArrayList<>();
    private long uplinks;
    private final List<SentPacket> sent = new ArrayList<>();
    private final List<java.util.concurrent.ConcurrentHashMap<Integer, SentPacket>> pending = new ArrayList<>();
    private volatile long ackedByClosedLinks;

    Run(SyntheticMesh mesh, String host, int port, SSLSocketFactory tls, String username, String password, int qos,
        int rate, Duration duration, List<OutagePlan> plans, Random random) {
      this.mesh = mesh;
      this.host = host;
      this.port = port;
      this.tls = tls;
      this.username = username;
      this.password = password;
      this.qos = qos;
      this.rate = rate;
      this.duration = duration;
      this.plans = plans;
      this.random = random;
      this.links = new AtomicReferenceArray<>(mesh.routers().size());
      this.factory = new EnvelopeFactory(random);
      for (int r = 0; r < mesh.routers().size(); r++) {
        pending.add(new java.util.concurrent.ConcurrentHashMap<>());
      }
    }

    ObjectNode execute() throws Exception {
      for (int r = 0; r < mesh.routers().size(); r++) {
        links.set(r, connect(r));
      }
      err.printf("simulate: %d routers connected to %s:%d%s, %d nodes, %d uplinks/s for %s%n", mesh.routers().size(),
          host, port, tls == null ? "" : " over TLS", mesh.nodes().size(), rate, duration);
      final Instant startedAt = Instant.now();
      for (int r = 0; r < mesh.routers().size(); r++) {
        final var report = new SentPacket();
        if (publish(r, EnvelopeFactory.mapTopic(), factory.mapReport(mesh.routers().get(r), startedAt.getEpochSecond()),
            report)) {
          sent.add(report);
        }
      }
      final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        final var t = new Thread(r, "simulate-timer");
        t.setDaemon(true);
        return t;
      });
      try {
        timers.scheduleAtFixedRate(this::keepAlive, 1, 1, TimeUnit.SECONDS);
        for (OutagePlan plan : plans) {
          timers.schedule(() -> beginOutage(plan), plan.start().toMillis(), TimeUnit.MILLISECONDS);
        }
        generate(startedAt);
        synchronized (outages) {
          // outages still running at the end are ended now, so the truth has closed intervals only
          for (OutagePlan plan : plans) {
            final int r = plan.routerIndex(mesh);
            if (links.get(r) == null || !links.get(r).isOpen()) {
              endOutage(plan);
            }
          }
        }
        awaitAcks();
      } finally {
        timers.shutdownNow();
        for (int r = 0; r < mesh.routers().size(); r++) {
          final GatewayConnection link = links.get(r);
          if (link != null) {
            link.close();
          }
        }
      }
      final var json = new ObjectMapper().createObjectNode();
      json.put("startedAt", startedAt.toString());
      json.put("endedAt", Instant.now().toString());
      final long confirmed = sent.stream().filter(p -> p.confirmed).count();
      json.put("uniquePackets", confirmed);
      json.put("unconfirmedPackets", sent.size() - confirmed);
      json.put("uplinks", uplinks);
      json.put("acknowledged", acknowledged());
      json.put("qos", qos);
      final var routersJson = json.putArray("routers");
      mesh.routers().forEach(p -> routersJson.add(NodeId.of(p.nodeNum())));
      final var outagesJson = json.putArray("outages");
      synchronized (outages) {
        outages.stream().filter(o -> o.has("end")).forEach(outagesJson::add);
      }
      return json;
    }

    private void generate(Instant startedAt) {
      final long intervalNanos = 1_000_000_000L / rate;
      final long begin = System.nanoTime();
      final long end = begin + duration.toNanos();
      long next = begin;
      long lastProgress = begin;
      final Set<Long> used = new HashSet<>();
      while (System.nanoTime() < end) {
        final int nodeIndex = random.nextInt(mesh.nodes().size());
        final SyntheticMesh.Place sender = mesh.nodes().get(nodeIndex);
        int id;
        do {
          id = random.nextInt() | 1;
        } while (!used.add(((long) sender.nodeNum() << 32) | (id & 0xffffffffL)));
        final long now = Instant.now().getEpochSecond();
        final var packet = factory.packet(sender, id, now);
        final var record = new SentPacket();
        boolean heard = false;
        for (SyntheticMesh.Hearing hearing : mesh.hearers(nodeIndex)) {
          final int gateway = mesh.routers().get(hearing.router()).nodeNum();
          if (publish(hearing.router(), EnvelopeFactory.topic(gateway),
              factory.uplink(packet, gateway, hearing.hopsAway(), now), record)) {
            if (!heard) {
              observer.firstCopySent(PacketKey.of(sender.nodeNum(), id), System.nanoTime());
            }
            heard = true;
            next += intervalNanos;
          }
        }
        if (heard) {
          sent.add(record);
        } else {
          next += intervalNanos;
        }
        final long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        if (System.nanoTime() - lastProgress > 5_000_000_000L) {
          lastProgress = System.nanoTime();
          final long elapsed = (lastProgress - begin) / 1_000_000_000L;
          err.printf("simulate: %ds/%ds, %d unique packets, %d uplinks (%d/s), %d routers down%n", elapsed,
              duration.toSeconds(), sent.size(), uplinks, uplinks / Math.max(1, elapsed), routersDown());
        }
      }
    }

    /** Publishes one copy of {@code packet}; true when it was sent (acknowledged or not). */
    private boolean publish(int router, String topic, byte[] payload, SentPacket packet) {
      final GatewayConnection link = links.get(router);
      try {
        if (link != null) {
          final int id = link.publish(topic, payload, qos);
          if (id >= 0) {
            uplinks++;
            if (id > 0) {
              pending.get(router).put(id, packet);
            } else {
              packet.confirmed = true;
            }
            return true;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }

    private void keepAlive() {
      for (int r = 0; r < links.length(); r++) {
        final GatewayConnection link = links.get(r);
        if (link != null) {
          link.keepAlive(TimeUnit.SECONDS.toNanos(KEEPALIVE_SECONDS));
        }
      }
    }

    private void beginOutage(OutagePlan plan) {
      final int r = plan.routerIndex(mesh);
      final GatewayConnection link = links.getAndSet(r, null);
      if (link == null) {
        return;
      }
      ackedByClosedLinks += link.acked();
      switch (plan.mode()) {
        case SILENT -> link.goSilent();
        case CLEAN -> link.close();
        default -> link.dropSocket();
      }
      final var record = new ObjectMapper().createObjectNode();
      record.put("router", link.clientId());
      record.put("mode", plan.mode().name().toLowerCase(java.util.Locale.ROOT));
      record.put("start", Instant.now().toString());
      synchronized (outages) {
        outages.add(record);
      }
      err.printf("simulate: outage of %s begins (%s)%n", link.clientId(), record.get("mode").asText());
      final var timer = Executors.newSingleThreadScheduledExecutor();
      timer.schedule(() -> {
        synchronized (outages) {
          endOutage(plan);
        }
        timer.shutdown();
      }, plan.length().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reconnects the router of {@code plan} (called with the outages lock held). */
    private void endOutage(OutagePlan plan) {
      final int r = plan.routerIndex(mesh);
      final String id = NodeId.of(mesh.routers().get(r).nodeNum());
      final ObjectNode record = outages.stream()
          .filter(o -> o.get("router").asText().equals(id) && !o.has("end")).findFirst().orElse(null);
      if (record == null) {
        return;
      }
      try {
        links.set(r, connect(r));
        record.put("end", Instant.now().toString());
        err.printf("simulate: %s is back%n", id);
      } catch (IOException | InterruptedException e) {
        err.printf("simulate: %s could not reconnect: %s%n", id, e.getMessage());
      }
    }

    private GatewayConnection connect(int router) throws IOException, InterruptedException {
      final var waiting = pending.get(router);
      waiting.clear();
      return GatewayConnection.open(host, port, tls, NodeId.of(mesh.routers().get(router).nodeNum()), username, password,
          KEEPALIVE_SECONDS, 64, (packetId, latency) -> {
            observer.acknowledged(latency);
            final SentPacket packet = waiting.remove(packetId);
            if (packet != null) {
              packet.confirmed = true;
            }
          });
    }

    private void awaitAcks() throws InterruptedException {
      if (qos == 0) {
        return;
      }
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && acknowledged() < uplinks && anyOpen()) {
        Thread.sleep(50); // waiting for the broker's PUBACKs, not synchronising with ourselves
      }
    }

    private boolean anyOpen() {
      for (int r = 0; r < links.length(); r++) {
        if (links.get(r) != null && links.get(r).isOpen()) {
          return true;
        }
      }
      return false;
    }

    private long acknowledged() {
      long acked = 0;
      for (int r = 0; r < links.length(); r++) {
        if (links.get(r) != null) {
          acked += links.get(r).acked();
        }
      }
      return acked + ackedByClosedLinks;
    }

    private int routersDown() {
      int down = 0;
      for (int r = 0; r < links.length(); r++) {
        if (links.get(r) == null) {
          down++;
        }
      }
      return down;
    }
  }

  /** For {@code Meshflow}: the command as a function. */
  public static int main(String[] args) throws Exception {
    return new SimulateCommand(System.out, System.err).run(args);
  }
}
