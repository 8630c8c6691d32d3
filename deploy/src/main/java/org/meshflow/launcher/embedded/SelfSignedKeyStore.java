package org.meshflow.launcher.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * A broker key and a self-signed certificate for 127.0.0.1 and localhost, made with the JDK's {@code keytool}
 * the way deploy/README.md tells an operator to: a PKCS#12 key store for {@code --mqtt-tls-keystore} and the
 * certificate as PEM, what clients are told to trust. For trying TLS on one machine, tests and benchmarks.
 */
public record SelfSignedKeyStore(Path keyStore, Path certificate, String password) {

  /** Writes {@code broker.p12} and {@code broker.pem} into {@code dir}. */
  public static SelfSignedKeyStore create(Path dir, String password) throws IOException {
    final var made = new SelfSignedKeyStore(dir.resolve("broker.p12"), dir.resolve("broker.pem"), password);
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
        made.keyStore.toString(), "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", made.keyStore.toString(), "-storepass", password,
        "-file", made.certificate.toString());
    return made;
  }

  /** What a client that trusts this certificate (and nothing else) checks the broker with. */
  public TrustManagerFactory trust() throws IOException {
    try {
      return PemTrust.of(certificate);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + certificate + ": " + e.getMessage(), e);
    }
  }


  private static void keytool(String... args) throws IOException {
    final var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool " + args[0] + " ran", e);
    }
  }
}
