package org.meshflow.launcher.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import javax.net.ssl.TrustManagerFactory;
import org.meshflow.launcher.Settings;

/** The certificates of a PEM file (a CA, or a broker's self-signed one) as what a TLS client trusts. */
public final class PemTrust {
  private PemTrust() {}

  /** The certificates of the PEM file {@code --NAME}; null when it is not given, and null with an error when bad. */
  public static TrustManagerFactory fromSetting(Settings s, String name) {
    final String file = s.string(name, null);
    if (file == null) {
      return null;
    }
    final Path pem = Path.of(file);
    try {
      return of(pem);
    } catch (IOException e) {
      s.error("cannot read --" + name + " " + pem + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      s.error("--" + name + " " + pem + " is not PEM certificates: " + e.getMessage());
    }
    return null;
  }

  /**
   * @throws IOException when the file cannot be read
   * @throws CertificateException when it holds no certificate or what is not one
   */
  public static TrustManagerFactory of(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      final var certificates = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new CertificateException("no certificate in it");
      }
      final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      final var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      return trust;
    }
  }
}
