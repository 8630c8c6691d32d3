package org.meshflow.jobs.state;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.HostInfo;

/** Asks another instance's {@link StateEndpoint}; every failure is a {@link StateUnavailableException} naming it. */
final class StateClient {
  private final HttpClient http;
  private final Duration timeout;
  private final StateSecret secret;

  StateClient(Duration timeout, StateSecret secret) {
    this.timeout = timeout;
    this.secret = secret;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  <T extends SpecificRecord> List<T> ask(HostInfo host, StateQuestion question, Class<T> type) {
    final String instance = "the jobs instance at " + host.host() + ":" + host.port();
    final URI uri = URI.create("http://" + host.host() + ":" + host.port() + StateEndpoint.PATH + question.pathAndQuery());
    final HttpResponse<String> response;
    try {
      final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      secret.authorization().ifPresent(value -> request.header("Authorization", value));
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new StateUnavailableException(instance + " holding part of the state did not answer within " + timeout
          .toMillis() + " ms");
    } catch (ConnectException e) {
      throw new StateUnavailableException(instance + " holding part of the state cannot be reached (" + reason(e) + ")");
    } catch (IOException e) {
      throw new StateUnavailableException(instance + " holding part of the state failed to answer: " + reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateUnavailableException("interrupted while asking " + instance);
    }
    if (response.statusCode() != 200) {
      throw new StateUnavailableException(instance + ": " + response.body().strip());
    }
    try {
      return StateRecords.read(response.body(), type);
    } catch (IOException | RuntimeException e) {
      throw new StateUnavailableException(instance + " answered what is not " + type.getSimpleName() + " records: "
          + e.getMessage());
    }
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
