package org.meshflow.launcher.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of the broker. {@link #cut()} drops every connection through it at once, without
 * an MQTT DISCONNECT, and takes no new ones: to the broker that is a client whose network died.
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  TcpRelay(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    final var acceptor = new Thread(this::accept, "tcp-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        final Socket client = listener.accept();
        final Socket broker = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(broker);
        pump(client, broker);
        pump(broker, client);
      } catch (IOException e) {
        return; // cut or closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    final var thread = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // the other side or cut() closed it
      }
      closeQuietly(to);
    }, "tcp-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  /** Drops every connection and stops listening. */
  void cut() {
    closeQuietly(listener);
    sockets.forEach(TcpRelay::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
  }
}
