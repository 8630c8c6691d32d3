package org.meshflow.launcher.simulate;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An MQTT 3.1.1 connection that behaves like Meshtastic firmware (PubSubClient): one TCP socket,
 * a 15 s keepalive, QoS 0 or 1 publishes. Unlike a library client it can fail the way real links
 * fail: {@link #goSilent()} stops all traffic without DISCONNECT (the broker notices by keepalive
 * timeout) and {@link #dropSocket()} closes the socket without DISCONNECT.
 */
public final class GatewayConnection implements AutoCloseable {
  private static final int CONNECT = 1;
  private static final int CONNACK = 2;
  private static final int PUBLISH = 3;
  private static final int PUBACK = 4;
  private static final int PINGREQ = 12;
  private static final int PINGRESP = 13;
  private static final int DISCONNECT = 14;

  private final String clientId;
  private final Socket socket;
  private final OutputStream out;
  private final Semaphore window;
  private final ConcurrentHashMap<Integer, Long> inFlight = new ConcurrentHashMap<>();
  private final CountDownLatch connack = new CountDownLatch(1);
  private final AtomicLong acked = new AtomicLong();
  private final AckListener onAck;
  private volatile int connackCode = -1;
  private volatile boolean silent;
  private volatile long lastSentNanos = System.nanoTime();
  private int nextPacketId = 1;

  /** Told of every PUBACK: the MQTT packet id and how long the broker took. */
  @FunctionalInterface
  public interface AckListener {
    void acked(int packetId, long latencyNanos);
  }

  private GatewayConnection(String clientId, Socket socket, int maxInFlight, AckListener onAck)
      throws IOException {
    this.clientId = clientId;
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.window = new Semaphore(maxInFlight);
    this.onAck = onAck;
  }

  /**
   * Connects (over TLS with {@code tls}, checking the broker's certificate and name) and waits for CONNACK;
   * throws with the broker's return code when refused.
   */
  public static GatewayConnection open(String host, int port, SSLSocketFactory tls, String clientId, String username,
      String password, int keepAliveSeconds, int maxInFlight, AckListener onAck)
      throws IOException, InterruptedException {
    final var plain = new Socket();
    plain.setTcpNoDelay(true);
    plain.connect(new InetSocketAddress(host, port), 10_000);
    final Socket socket = tls == null ? plain : overTls(tls, plain, host, port);
    final var connection = new GatewayConnection(clientId, socket, maxInFlight, onAck);
    final var reader = new Thread(connection::readLoop, "mqtt-" + clientId);
    reader.setDaemon(true);
    reader.start();
    connection.sendConnect(username, password, keepAliveSeconds);
    if (!connection.connack.await(10, TimeUnit.SECONDS)) {
      connection.dropSocket();
      throw new IOException(clientId + ": no CONNACK within 10 s");
    }
    if (connection.connackCode != 0) {
      connection.dropSocket();
      throw new IOException(clientId + ": broker refused the connection (CONNACK return code "
          + connection.connackCode + (connection.connackCode == 4 || connection.connackCode == 5
              ? ", bad user name or password / not authorized" : "") + ")");
    }
    return connection;
  }

  public String clientId() {
    return clientId;
  }

  public long acked() {
    return acked.get();
  }

  public boolean isOpen() {
    return !socket.isClosed();
  }

  /**
   * Publishes; with QoS 1 it blocks while the in-flight window is full. Returns the MQTT packet id
   * (0 for QoS 0), or -1 when the link is gone.
   */
  public int publish(String topic, byte[] payload, int qos) throws InterruptedException {
    if (silent || socket.isClosed()) {
      return -1;
    }
    int packetId = 0;
    if (qos > 0) {
      while (!window.tryAcquire(1, TimeUnit.SECONDS)) {
        if (socket.isClosed()) {
          return -1;
        }
      }
      synchronized (this) {
        packetId = nextPacketId;
        nextPacketId = nextPacketId == 0xffff ? 1 : nextPacketId + 1;
      }
      inFlight.put(packetId, System.nanoTime());
    }
    final var body = new ByteArrayOutputStream(payload.length + topic.length() + 8);
    writeString(body, topic);
    if (qos > 0) {
      body.write(packetId >>> 8);
      body.write(packetId & 0xff);
    }
    body.writeBytes(payload);
    return send((PUBLISH << 4) | (qos << 1), body.toByteArray()) ? packetId : -1;
  }

  /** Sends PINGREQ when nothing was sent for most of the keepalive, like PubSubClient's loop(). */
  void keepAlive(long keepAliveNanos) {
    if (!silent && System.nanoTime() - lastSentNanos > keepAliveNanos * 2 / 3) {
      send(PINGREQ << 4, new byte[0]);
    }
  }

  /** The link dies without a word: nothing more is sent, the socket stays open until the broker gives up. */
  void goSilent() {
    silent = true;
  }

  /** The socket closes without DISCONNECT. */
  public void dropSocket() {
    silent = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  /** A clean DISCONNECT, then close. */
  @Override
  public void close() {
    if (!silent && !socket.isClosed()) {
      send(DISCONNECT << 4, new byte[0]);
    }
    dropSocket();
  }

  private void sendConnect(String username, String password, int keepAliveSeconds) {
    final var body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4);
    int flags = 0x02; // clean session
    if (username != null) {
      flags |= 0x80;
    }
    if (password != null) {
      flags |= 0x40;
    }
    body.write(flags);
    body.write(keepAliveSeconds >>> 8);
    body.write(keepAliveSeconds & 0xff);
    writeString(body, clientId);
    if (username != null) {
      writeString(body, username);
    }
    if (password != null) {
      writeString(body, password);
    }
    send(CONNECT << 4, body.toByteArray());
  }

  private synchronized boolean send(int header, byte[] body) {
    try {
      final var packet = new ByteArrayOutputStream(body.length + 5);
      packet.write(header);
      int remaining = body.length;
      do {
        int digit = remaining % 128;
        remaining /= 128;
        packet.write(remaining > 0 ? digit | 0x80 : digit);
      } while (remaining > 0);
      packet.writeBytes(body);
      out.write(packet.toByteArray());
      out.flush();
      lastSentNanos = System.nanoTime();
      return true;
    } catch (IOException e) {
      dropSocket();
      return false;
    }
  }

  private void readLoop() {
    try (var in = new DataInputStream(socket.getInputStream())) {
      while (true) {
        final int header = in.readUnsignedByte();
        int length = 0;
        int multiplier = 1;
        int digit;
        do {
          digit = in.readUnsignedByte();
          length += (digit & 0x7f) * multiplier;
          multiplier *= 128;
        } while ((digit & 0x80) != 0 && multiplier <= 128 * 128 * 128);
        final byte[] body = in.readNBytes(length);
        switch (header >>> 4) {
          case CONNACK -> {
            connackCode = body.length >= 2 ? body[1] & 0xff : 255;
            connack.countDown();
          }
          case PUBACK -> {
            final int id = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
            final Long sentAt = inFlight.remove(id);
            if (sentAt != null) {
              onAck.acked(id, System.nanoTime() - sentAt);
              acked.incrementAndGet();
              window.release();
            }
          }
          case PINGRESP -> { }
          default -> { }
        }
      }
    } catch (IOException e) {
      // the broker or we closed the link
    } finally {
      connack.countDown();
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
      window.release(inFlight.size() + 1);
    }
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >>> 8);
    out.write(bytes.length & 0xff);
    out.writeBytes(bytes);
  }

  private static Socket overTls(SSLSocketFactory tls, Socket plain, String host, int port) throws IOException {
    final var socket = (SSLSocket) tls.createSocket(plain, host, port, true);
    final SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }
}
