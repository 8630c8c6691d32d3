#!/usr/bin/env python3
"""An outside client of a running `./meshflow run`, written only from the contract (README/ARCHITECTURE):
paho-mqtt publishes uplinks as a gateway and reads what Home Assistant reads; Confluent's Python Kafka
client reads mesh.packets.v1 and mesh.router-status.v1 through the schema registry.

usage: outside_check.py MQTT_PORT KAFKA_PORT REGISTRY_PORT GATEWAY_PASSWORD READER_PASSWORD GATEWAY_ID HEX_ENVELOPE...
Prints one JSON object with what it saw; exits non-zero when it could not see it.
"""
import json
import sys
import threading
import time

import paho.mqtt.client as mqtt
from confluent_kafka import Consumer
from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

DEADLINE_S = 60


def publish_as_gateway(port, password, gateway, envelopes):
    acked = set()
    done = threading.Event()
    client = mqtt.Client(client_id=gateway, protocol=mqtt.MQTTv311)
    client.username_pw_set("gateway", password)

    def on_publish(_client, _userdata, mid):
        acked.add(mid)
        if len(acked) == len(envelopes):
            done.set()

    client.on_publish = on_publish
    client.connect("127.0.0.1", port, keepalive=15)
    client.loop_start()
    for envelope in envelopes:
        client.publish("msh/US/2/e/LongFast/" + gateway, bytes.fromhex(envelope), qos=1)
    ok = done.wait(DEADLINE_S)
    return client, ok, len(acked)


def home_assistant_view(port, password, gateway):
    """Subscribes like Home Assistant and waits for the gateway's retained state and discovery config."""
    seen = {}
    state_topic = "meshflow/routers/%s/state" % gateway
    config_topic = "homeassistant/binary_sensor/meshflow_%s/connectivity/config" % gateway[1:]
    got_both = threading.Event()
    client = mqtt.Client(client_id="outside-check-ha", protocol=mqtt.MQTTv311)
    client.username_pw_set("homeassistant", password)

    def on_connect(c, _userdata, _flags, _rc):
        c.subscribe([("meshflow/#", 1), ("homeassistant/#", 1)])

    def on_message(_client, _userdata, message):
        seen[message.topic] = (message.payload.decode("utf-8"), message.retain)
        if state_topic in seen and config_topic in seen:
            got_both.set()

    client.on_connect = on_connect
    client.on_message = on_message
    client.connect("127.0.0.1", port, keepalive=15)
    client.loop_start()
    got_both.wait(DEADLINE_S)
    client.loop_stop()
    client.disconnect()
    state = seen.get(state_topic)
    config = seen.get(config_topic)
    return {
        "state": state[0] if state else None,
        "stateRetained": state[1] if state else None,
        "discovery": json.loads(config[0]) if config else None,
    }


def read_topic(kafka_port, registry_port, topic, wanted):
    """Keys are plain strings (packet key, router id), values Avro in the Confluent wire format."""
    values = MessageSerializer(CachedSchemaRegistryClient({"url": "http://127.0.0.1:%d" % registry_port}))
    consumer = Consumer({
        "bootstrap.servers": "127.0.0.1:%d" % kafka_port,
        "group.id": "outside-check-%s-%d" % (topic, time.time_ns()),
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
    })
    consumer.subscribe([topic])
    records = []
    deadline = time.time() + DEADLINE_S
    while time.time() < deadline and not wanted(records):
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        records.append({"key": message.key().decode("utf-8"), "value": values.decode_message(message.value())})
    consumer.close()
    return records


def main(argv):
    mqtt_port, kafka_port, registry_port = int(argv[1]), int(argv[2]), int(argv[3])
    gateway_password, reader_password, gateway = argv[4], argv[5], argv[6]
    envelopes = argv[7:]
    publisher, all_acked, acked = publish_as_gateway(mqtt_port, gateway_password, gateway, envelopes)
    packets = read_topic(kafka_port, registry_port, "mesh.packets.v1", lambda r: len(r) >= len(envelopes))
    statuses = read_topic(kafka_port, registry_port, "mesh.router-status.v1",
                          lambda r: any(x["key"] == gateway for x in r))
    view = home_assistant_view(mqtt_port, reader_password, gateway)
    publisher.loop_stop()
    publisher.disconnect()
    router = [s["value"] for s in statuses if s["key"] == gateway]
    print(json.dumps({
        "acked": acked,
        "allAcked": all_acked,
        "packetKeys": sorted(p["key"] for p in packets),
        "packetFroms": sorted({p["value"].get("from") for p in packets}),
        "routerState": router[-1]["state"] if router else None,
        "homeAssistant": view,
    }, default=str))
    return 0 if all_acked and packets and router else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
