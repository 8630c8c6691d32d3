package org.meshflow.bridge.security;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes, written {@code pbkdf2-sha256:ITERATIONS:SALT:HASH} (salt
 * and hash in Base64). Run as a program to make a credentials entry:
 * {@code java -cp meshflow-bridge.jar org.meshflow.bridge.security.PasswordHasher} reads the password
 * from standard input (or the first argument) and prints the hash.
 */
public final class PasswordHasher {
  public static final int DEFAULT_ITERATIONS = 210_000;
  public static final int MIN_ITERATIONS = 100_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHasher() {}

  public static String hash(char[] password) {
    return hash(password, DEFAULT_ITERATIONS);
  }

  public static String hash(char[] password, int iterations) {
    final var salt = new byte[16];
    RANDOM.nextBytes(salt);
    final var encoder = Base64.getEncoder();
    return PREFIX + ":" + iterations + ":" + encoder.encodeToString(salt) + ":"
        + encoder.encodeToString(derive(password, salt, iterations));
  }

  /** Why {@code encoded} is not a usable hash, or null when it is. */
  public static String problem(String encoded) {
    final var parts = encoded.split(":");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return "not a " + PREFIX + ":ITERATIONS:SALT:HASH entry (make one with PasswordHasher)";
    }
    try {
      if (Integer.parseInt(parts[1]) < MIN_ITERATIONS) {
        return "fewer than " + MIN_ITERATIONS + " iterations";
      }
      Base64.getDecoder().decode(parts[2]);
      Base64.getDecoder().decode(parts[3]);
      return null;
    } catch (IllegalArgumentException e) {
      return "malformed iterations, salt or hash";
    }
  }

  public static boolean verify(char[] password, String encoded) {
    if (problem(encoded) != null) {
      return false;
    }
    final var parts = encoded.split(":");
    final var decoder = Base64.getDecoder();
    final var expected = decoder.decode(parts[3]);
    final var actual = derive(password, decoder.decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    try {
      final var spec = new PBEKeySpec(password, salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    }
  }

  public static void main(String[] args) throws Exception {
    final String password;
    if (args.length > 0) {
      password = args[0];
    } else {
      final var console = System.console();
      password = console != null
          ? new String(console.readPassword("password: "))
          : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (password == null || password.isEmpty()) {
      System.err.println("no password given");
      System.exit(2);
    }
    System.out.println(hash(password.toCharArray()));
  }
}
