package org.meshflow.launcher.embedded;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** What a {@code --bind} address means for who can reach a listener. */
public final class Addresses {
  private Addresses() {}

  /** Every interface ({@code 0.0.0.0}, {@code ::}). */
  public static boolean isWildcard(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
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
