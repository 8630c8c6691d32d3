package org.meshflow.mcp.mqtt;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransport;
import reactor.core.publisher.Mono;

/** The SDK's view of one client: messages it sends go to that client's RPC topic. */
final class ClientTransport implements McpServerTransport {
  private final McpMqttServerTransportProvider provider;
  private final String clientId;
  private final String rpcTopic;

  ClientTransport(McpMqttServerTransportProvider provider, String clientId, String rpcTopic) {
    this.provider = provider;
    this.clientId = clientId;
    this.rpcTopic = rpcTopic;
  }

  String clientId() {
    return clientId;
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.fromFuture(() -> provider.send(rpcTopic, message));
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
    return provider.json().convertValue(data, type);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(this::close);
  }

  @Override
  public void close() {
    provider.closed(this);
  }
}
