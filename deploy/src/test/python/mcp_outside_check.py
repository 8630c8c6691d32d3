#!/usr/bin/env python3
"""An outside MCP-over-MQTT client of a running `./meshflow run`, written only from the transport's
specification (MCP-OVER-MQTT.md §2) and the tool contract (ARCHITECTURE.md "MCP over MQTT"), with paho-mqtt
speaking MQTT 5: discover the meshflow/mesh server from its retained presence, initialize with id 0, list
and call tools with string and number ids, ping, and leave with notifications/disconnected.

usage: mcp_outside_check.py MQTT_PORT USER PASSWORD ROUTER_ID
Prints one JSON object with what it saw; exits non-zero when a step got no answer in time.
"""
import json
import sys
import threading
import time
import uuid

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

DEADLINE_S = 60
SERVER_NAME_FILTER = "meshflow/#"


class Failed(Exception):
    pass


class McpClient:
    def __init__(self, port, user, password):
        self.client_id = "outside-" + uuid.uuid4().hex[:12]
        self.messages = []
        self.subacks = {}
        self.changed = threading.Condition()
        if hasattr(mqtt, "CallbackAPIVersion"):  # paho-mqtt 2
            self.mqtt = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, client_id=self.client_id,
                                    protocol=mqtt.MQTTv5)
        else:
            self.mqtt = mqtt.Client(client_id=self.client_id, protocol=mqtt.MQTTv5)
        self.mqtt.username_pw_set(user, password)
        self.mqtt.on_message = self._on_message
        self.mqtt.on_subscribe = self._on_subscribe
        self.mqtt.on_connect = self._on_connect
        self.connected = None
        # §2.8: a client's will is notifications/disconnected on its presence topic, not retained
        self.mqtt.will_set(self.presence_topic(), json.dumps(self.notification("notifications/disconnected")),
                           qos=1, retain=False, properties=self.publish_properties(PacketTypes.WILLMESSAGE))
        connect = Properties(PacketTypes.CONNECT)
        connect.SessionExpiryInterval = 0  # §2.2
        connect.UserProperty = [("MCP-COMPONENT-TYPE", "mcp-client"),
                                ("MCP-META", json.dumps({"implementation": "mcp_outside_check.py"}))]
        self.mqtt.connect("127.0.0.1", port, keepalive=30, clean_start=True, properties=connect)
        self.mqtt.loop_start()
        self.wait(lambda: self.connected is not None, "CONNACK")
        if self.connected != 0:
            raise Failed("the broker refused the connection: reason code %s" % self.connected)

    def presence_topic(self):
        return "$mcp-client/presence/" + self.client_id

    @staticmethod
    def notification(method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        return message

    def publish_properties(self, packet_type=PacketTypes.PUBLISH):
        properties = Properties(packet_type)
        properties.UserProperty = [("MCP-COMPONENT-TYPE", "mcp-client"), ("MCP-MQTT-CLIENT-ID", self.client_id)]
        return properties

    def _on_connect(self, _client, _userdata, _flags, reason_code, _properties):
        with self.changed:
            self.connected = reason_code.value if hasattr(reason_code, "value") else int(reason_code)
            self.changed.notify_all()

    def _on_message(self, _client, _userdata, message):
        properties = dict(getattr(message.properties, "UserProperty", []) or [])
        with self.changed:
            self.messages.append((message.topic, message.payload, message.retain, properties))
            self.changed.notify_all()

    def _on_subscribe(self, _client, _userdata, mid, reason_codes, _properties):
        with self.changed:
            self.subacks[mid] = [code.value if hasattr(code, "value") else int(code) for code in reason_codes]
            self.changed.notify_all()

    def wait(self, predicate, what):
        deadline = time.monotonic() + DEADLINE_S
        with self.changed:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failed("no %s within %d s" % (what, DEADLINE_S))
                self.changed.wait(left)

    def subscribe(self, topic, no_local):
        _result, mid = self.mqtt.subscribe([(topic, SubscribeOptions(qos=1, noLocal=no_local))])
        self.wait(lambda: mid in self.subacks, "SUBACK for " + topic)
        if any(code >= 0x80 for code in self.subacks[mid]):
            raise Failed("subscription to %s refused: %s" % (topic, self.subacks[mid]))

    def publish(self, topic, message):
        info = self.mqtt.publish(topic, json.dumps(message), qos=1, properties=self.publish_properties())
        info.wait_for_publish(DEADLINE_S)

    def response(self, topic, request_id):
        found = []

        def answered():
            for t, payload, _retain, properties in self.messages:
                if t == topic and payload:
                    message = json.loads(payload)
                    if message.get("id") == request_id and ("result" in message or "error" in message):
                        found.append((message, properties))
                        return True
            return False

        self.wait(answered, "answer to request %r on %s" % (request_id, topic))
        return found[0]

    def disconnect(self):
        self.publish(self.presence_topic(), self.notification("notifications/disconnected"))
        self.mqtt.disconnect()
        self.mqtt.loop_stop()


def discover(client):
    """§2.5, §2.13 steps 6-7: the retained online message names the server id in the topic's third level."""
    client.subscribe("$mcp-server/presence/+/" + SERVER_NAME_FILTER, no_local=False)
    online = []

    def seen():
        for topic, payload, retain, _properties in client.messages:
            if topic.startswith("$mcp-server/presence/") and payload:
                levels = topic.split("/")
                online.append((levels[2], "/".join(levels[3:]), json.loads(payload), retain))
                return True
        return False

    client.wait(seen, "server presence under " + SERVER_NAME_FILTER)
    return online[0]


def tool_text(result):
    """A tools/call result's first text content, parsed as the JSON the contract promises."""
    texts = [c["text"] for c in result.get("content", []) if c.get("type") == "text"]
    return json.loads(texts[0]) if texts else None


def main(argv):
    port, user, password, router = int(argv[1]), argv[2], argv[3], argv[4]
    client = McpClient(port, user, password)
    seen = {"clientId": client.client_id}
    try:
        server_id, server_name, online, retained = discover(client)
        seen.update(serverId=server_id, serverName=server_name, presenceRetained=retained,
                    presenceMethod=online.get("method"), description=online.get("params", {}).get("description"))
        rpc = "$mcp-rpc/%s/%s/%s" % (client.client_id, server_id, server_name)
        # §2.6 step 1 and §2.7: the RPC topic with No Local and the server's capability topic, before initialize
        client.subscribe(rpc, no_local=True)
        client.subscribe("$mcp-server/capability/%s/%s" % (server_id, server_name), no_local=False)
        client.publish("$mcp-server/%s/%s" % (server_id, server_name), {
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "mcp_outside_check", "version": "1"}}})
        initialized, properties = client.response(rpc, 0)
        seen.update(protocolVersion=initialized["result"]["protocolVersion"],
                    serverInfo=initialized["result"].get("serverInfo", {}).get("name"),
                    responseProperties=properties)
        client.publish(rpc, client.notification("notifications/initialized"))

        client.publish(rpc, {"jsonrpc": "2.0", "id": "tools-1", "method": "tools/list"})
        listed, _ = client.response(rpc, "tools-1")
        seen["tools"] = sorted(tool["name"] for tool in listed["result"]["tools"])

        # the router's first uplinks reach the health job's store shortly after Kafka has them
        deadline = time.monotonic() + DEADLINE_S
        request_id = 1
        while True:
            request_id += 1
            client.publish(rpc, {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                                 "params": {"name": "list_routers", "arguments": {}}})
            answer, _ = client.response(rpc, request_id)
            routers = (tool_text(answer["result"]) or {}).get("routers", [])
            mine = [r for r in routers if r.get("router") == router]
            if mine or time.monotonic() > deadline:
                seen["router"] = mine[0] if mine else None
                break
            time.sleep(0.5)

        client.publish(rpc, {"jsonrpc": "2.0", "id": "unknown-1", "method": "tools/call",
                             "params": {"name": "no_such_tool", "arguments": {}}})
        unknown, _ = client.response(rpc, "unknown-1")
        seen["unknownTool"] = "error" in unknown or unknown.get("result", {}).get("isError") is True

        client.publish(rpc, {"jsonrpc": "2.0", "id": "bad-1", "method": "tools/call",
                             "params": {"name": "node_info", "arguments": {"node": "not a node id"}}})
        bad, _ = client.response(rpc, "bad-1")
        seen["badArgumentsIsError"] = bad.get("result", {}).get("isError") is True

        client.publish(rpc, {"jsonrpc": "2.0", "id": "ping-1", "method": "ping"})
        pong, _ = client.response(rpc, "ping-1")
        seen["ping"] = pong.get("result")
        client.disconnect()
    except Failed as e:
        seen["failed"] = str(e)
        print(json.dumps(seen))
        return 1
    print(json.dumps(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
