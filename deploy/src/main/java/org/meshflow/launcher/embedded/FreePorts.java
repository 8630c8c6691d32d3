package org.meshflow.launcher.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port checks done before anything starts, so a port in use is one clear line naming the flag. */
public final class FreePorts {
  private static final Set<Integer> PICKED = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /**
   * A port that was free on 127.0.0.1 a moment ago and that this process has not picked before: the
   * system may hand out a port again once it is released, before whoever picked it first binds it.
   */
  public static int pick() {
    return pick(InetAddress.getLoopbackAddress());
  }

  /** As {@link #pick()}, free at {@code host} (where the listener will bind). */
  public static int pick(String host) {
    try {
      return pick(InetAddress.getByName(host));
    } catch (java.net.UnknownHostException e) {
      throw new UncheckedIOException("no address " + host, e);
    }
  }

  private static int pick(InetAddress address) {
    for (int attempt = 0; ; attempt++) {
      try (var socket = new ServerSocket(0, 1, address)) {
        final int port = socket.getLocalPort();
        if (PICKED.add(port) || attempt >= 20) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free port on " + address.getHostAddress(), e);
      }
    }
  }

  /** {@code port}, or a free one when it is 0; throws {@link PortInUseException} naming {@code flag} when taken. */
  public static int claim(String host, int port, String flag) {
    if (port == 0) {
      return pick(host);
    }
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return port;
    } catch (IOException e) {
      throw new PortInUseException(port, flag);
    }
  }

  /** A port another process holds. */
  public static final class PortInUseException extends org.meshflow.launcher.UsageException {
    public PortInUseException(int port, String flag) {
      super("port " + port + " is already in use; choose another with " + flag + " PORT (0 picks a free one)");
    }
  }
}
