package org.meshflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker's key and self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool as an
 * operator would: a PKCS#12 key store and the certificate as PEM (what clients are told to trust).
 */
public record TestCertificates(Path keyStore, Path certificate, String password) {

  public static TestCertificates create(Path dir, String password) throws Exception {
    final var made = new TestCertificates(dir.resolve("broker.p12"), dir.resolve("broker.pem"), password);
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
        made.keyStore.toString(), "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", made.keyStore.toString(), "-storepass", password,
        "-file", made.certificate.toString());
    return made;
  }

  private static void keytool(String... args) throws Exception {
    final var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    final var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
  }
}
