package org.meshflow.launcher.simulate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic metro mesh: routers (gateways) and nodes scattered around a city centre. A node's
 * packets are heard by every router within range, and at least by the nearest one, so most packets
 * reach MQTT several times.
 */
public final class SyntheticMesh {
  private static final double CENTRE_LAT = 39.0997;
  private static final double CENTRE_LON = -94.5786;
  private static final double SPREAD_KM = 20;
  private static final double RANGE_KM = 9;

  public record Place(int nodeNum, double lat, double lon) {}

  /** A router hears a node at some distance in hops. */
  public record Hearing(int router, int hopsAway) {}

  private final List<Place> routers;
  private final List<Place> nodes;
  private final List<List<Hearing>> hearers;

  public SyntheticMesh(int routerCount, int nodeCount, long seed) {
    this(routerCount, nodeCount, seed, SPREAD_KM);
  }

  /** A mesh over a square {@code spreadKm} on a side (a region rather than one city, for larger meshes). */
  public SyntheticMesh(int routerCount, int nodeCount, long seed, double spreadKm) {
    final var random = new Random(seed);
    final Set<Integer> used = new HashSet<>();
    this.routers = scatter(routerCount, random, used, spreadKm);
    this.nodes = scatter(nodeCount, random, used, spreadKm);
    this.hearers = new ArrayList<>(nodeCount);
    for (Place node : nodes) {
      final var heard = new ArrayList<Hearing>();
      int nearest = 0;
      for (int r = 0; r < routers.size(); r++) {
        final double km = distanceKm(node, routers.get(r));
        if (km < distanceKm(node, routers.get(nearest))) {
          nearest = r;
        }
        if (km <= RANGE_KM) {
          heard.add(new Hearing(r, (int) Math.min(3, km / 3)));
        }
      }
      if (heard.isEmpty()) {
        heard.add(new Hearing(nearest, 2));
      }
      heard.sort(Comparator.comparingInt(Hearing::hopsAway));
      hearers.add(List.copyOf(heard));
    }
  }

  public List<Place> routers() {
    return routers;
  }

  public List<Place> nodes() {
    return nodes;
  }

  public List<Hearing> hearers(int node) {
    return hearers.get(node);
  }

  /** The side of the square a mesh of {@code routers} covers with as many routers per km² as the default city. */
  public static double spreadKmFor(int routers, int cityRouters) {
    return SPREAD_KM * Math.sqrt(Math.max(1.0, (double) routers / cityRouters));
  }

  private static List<Place> scatter(int count, Random random, Set<Integer> used, double spreadKm) {
    final var places = new ArrayList<Place>(count);
    while (places.size() < count) {
      final int num = 0x10000000 + random.nextInt(0x7fffffff - 0x10000000);
      if (!used.add(num)) {
        continue;
      }
      final double lat = CENTRE_LAT + (random.nextDouble() - 0.5) * spreadKm / 111.0;
      final double lon = CENTRE_LON + (random.nextDouble() - 0.5) * spreadKm / 86.0;
      places.add(new Place(num, lat, lon));
    }
    return List.copyOf(places);
  }

  private static double distanceKm(Place a, Place b) {
    final double dLat = (a.lat() - b.lat()) * 111.0;
    final double dLon = (a.lon() - b.lon()) * 86.0;
    return Math.sqrt(dLat * dLat + dLon * dLon);
  }
}
