package org.meshflow.launcher.embedded;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Optional;

/** What a {@code --bind} address means for who can reach a listener. */
public final class Addresses {
  private Addresses() {}

  /** Every interface ({@code 0.0.0.0}, {@code ::}). */
  public static boolean isWildcard(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
  }

  /**
   * Why a listener cannot bind to {@code bind}: not an address, or not one of this machine's; empty when it
   * can (every interface, or an address one of its interfaces has).
   */
  public static Optional<String> problem(String bind) {
    if (isWildcard(bind)) {
      return Optional.empty();
    }
    try {
      final InetAddress address = InetAddress.getByName(bind);
      if (address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null) {
        return Optional.empty();
      }
      return Optional.of("--bind " + bind + " is not an address of this machine (0.0.0.0 listens on all of them)");
    } catch (UnknownHostException e) {
      return Optional.of("--bind " + bind + " is not an address or a host name this machine resolves");
    } catch (SocketException e) {
      return Optional.of("--bind " + bind + ": cannot list this machine's addresses (" + e.getMessage() + ")");
    }
  }

  /** Only this machine reaches it ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}). */
  public static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
