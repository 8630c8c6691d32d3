package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.meshflow.meshtastic.MeshTopic.Kind;

class MeshTopicTest {

  @Test
  void envelopeTopicsWithRootsOfAnyDepth() {
    assertThat(MeshTopic.parse("msh/2/e/LongFast/!abcd1234"))
        .contains(new MeshTopic("msh", Kind.ENVELOPE, "LongFast", "!abcd1234"));
    assertThat(MeshTopic.parse("msh/US/2/e/LongFast/!abcd1234"))
        .contains(new MeshTopic("msh/US", Kind.ENVELOPE, "LongFast", "!abcd1234"));
    assertThat(MeshTopic.parse("msh/US/CA/SacValley/2/e/PKI/!abcd1234"))
        .contains(new MeshTopic("msh/US/CA/SacValley", Kind.ENVELOPE, "PKI", "!abcd1234"));
    assertThat(MeshTopic.parse("msh/7460-7463/2/c/LongFast/!da5857c0"))
        .contains(new MeshTopic("msh/7460-7463", Kind.LEGACY_ENVELOPE, "LongFast", "!da5857c0"));
  }

  @Test
  void rootMayItselfContainATwoLevel() {
    assertThat(MeshTopic.parse("msh/2/x/2/e/LongFast/!abcd1234"))
        .contains(new MeshTopic("msh/2/x", Kind.ENVELOPE, "LongFast", "!abcd1234"));
  }

  @Test
  void mapTopicHasNoGateway() {
    assertThat(MeshTopic.parse("msh/US/KS/KC/2/map/")).contains(new MeshTopic("msh/US/KS/KC", Kind.MAP, null, null));
    assertThat(MeshTopic.parse("msh/US/2/map")).contains(new MeshTopic("msh/US", Kind.MAP, null, null));
    assertThat(MeshTopic.parse("msh/US/2/map/extra")).isEmpty();
  }

  @Test
  void statAndJsonTopics() {
    assertThat(MeshTopic.parse("msh/US/2/stat/!da5857c0"))
        .contains(new MeshTopic("msh/US", Kind.STAT, null, "!da5857c0"));
    assertThat(MeshTopic.parse("msh/EU_868/2/json/LongFast/!abcd1234"))
        .contains(new MeshTopic("msh/EU_868", Kind.JSON, "LongFast", "!abcd1234"));
  }

  @Test
  void envelopeTopicWithoutGatewaySegmentStillParses() {
    assertThat(MeshTopic.parse("msh/US/2/e/LongFast")).contains(new MeshTopic("msh/US", Kind.ENVELOPE, "LongFast", null));
  }

  @Test
  void topicsThatAreNotMeshtastic() {
    assertThat(MeshTopic.parse("msh/US/e/LongFast/!abcd1234")).isEmpty();
    assertThat(MeshTopic.parse("home/livingroom/temperature")).isEmpty();
    assertThat(MeshTopic.parse("msh/US/2/x/LongFast/!abcd1234")).isEmpty();
    assertThat(MeshTopic.parse("/2/e/LongFast/!abcd1234")).isEmpty();
    assertThat(MeshTopic.parse("msh/US/2/e/LongFast/!abcd1234/more")).isEmpty();
    assertThat(MeshTopic.parse("msh/" + "x/".repeat(600) + "2/e/LongFast/!abcd1234")).isEmpty();
    assertThat(MeshTopic.parse(null)).isEmpty();
    assertThat(MeshTopic.whyNot("home/livingroom")).contains("not a Meshtastic topic");
    assertThat(MeshTopic.whyNot("msh/US/2/x/y")).contains("after /2/");
  }
}
