package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.meshflow.testing.MeshVectors;
import org.meshflow.testing.MeshVectors.Vector;

/**
 * More vectors, fresh from the shared generator (Meshtastic's own protobuf package under Node): copies
 * it into target/, installs its locked dependencies once, and checks every vector of two seeds.
 * Skipped where node/npm are not installed.
 */
class GeneratedVectorsTest {
  private static final List<String> SOURCES = List.of("package.json", "package-lock.json", "lib.mjs", "vectors.mjs");
  private static final Path WORK = Path.of("target", "meshgen");

  @TestFactory
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  Stream<DynamicTest> generatedVectorsDecodeToTheirFacts() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed");
    prepareGenerator();
    final var vectors = new ArrayList<Vector>();
    for (int seed : new int[] {11, 29}) {
      final List<Vector> generated = generate(seed, 25);
      assertThat(generated).hasSizeGreaterThan(25 * 9);
      vectors.addAll(generated);
    }
    return vectors.stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> ExpectedFacts.check(v)));
  }

  private static void prepareGenerator() throws Exception {
    final Path source = MeshVectors.sharedDir().resolve("tools/meshgen");
    Files.createDirectories(WORK);
    for (String file : SOURCES) {
      Files.copy(source.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(WORK.resolve("node_modules"))) {
      run(Limit.NPM, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }
  }

  private static List<Vector> generate(int seed, int count) throws Exception {
    final Path out = WORK.resolve("vectors-" + seed + ".jsonl");
    final Path log = WORK.resolve("vectors-" + seed + ".log");
    final Process node = new ProcessBuilder("node", "vectors.mjs", "--seed", String.valueOf(seed), "--count",
        String.valueOf(count)).directory(WORK.toFile()).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    await(node, Limit.NODE, "node vectors.mjs", log);
    return MeshVectors.read(out);
  }

  private enum Limit {
    NPM(180), NODE(60);

    final int seconds;

    Limit(int seconds) {
      this.seconds = seconds;
    }
  }

  private static void run(Limit limit, String... command) throws Exception {
    final Path log = WORK.resolve("npm.log");
    final Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    await(process, limit, String.join(" ", command), log);
  }

  private static void await(Process process, Limit limit, String what, Path log) throws Exception {
    if (!process.waitFor(limit.seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(what + " did not finish within " + limit.seconds + " s");
    }
    assertThat(process.exitValue()).as(what + " failed: " + tail(log)).isZero();
  }

  private static String tail(Path log) throws IOException {
    final List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static boolean onPath(String tool) {
    final String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }
}
