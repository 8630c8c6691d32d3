package org.meshflow.meshtastic;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshflow.testing.MeshVectors;
import org.meshflow.testing.MeshVectors.Vector;

/** The shared fixtures, encoded by the Meshtastic project's own protobuf package, decode to their facts. */
class FixtureVectorsTest {

  static List<Vector> vectors() {
    return MeshVectors.fixtures();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesToTheExpectedFacts(Vector vector) {
    ExpectedFacts.check(vector);
  }
}
