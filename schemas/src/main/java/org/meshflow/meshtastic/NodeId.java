package org.meshflow.meshtastic;

/** Meshtastic node numbers as text: {@code !%08x}, lower-case hex, as firmware writes them. */
public final class NodeId {
  /** The broadcast address, {@code !ffffffff}. */
  public static final int BROADCAST = 0xffffffff;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private NodeId() {}

  public static String of(int nodeNum) {
    final var text = new char[9];
    text[0] = '!';
    for (int i = 8; i >= 1; i--) {
      text[i] = HEX[nodeNum & 0xf];
      nodeNum >>>= 4;
    }
    return new String(text);
  }

  /** True for {@code !} followed by exactly eight hex digits (either case). */
  public static boolean isValid(String text) {
    if (text == null || text.length() != 9 || text.charAt(0) != '!') {
      return false;
    }
    for (int i = 1; i < 9; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
