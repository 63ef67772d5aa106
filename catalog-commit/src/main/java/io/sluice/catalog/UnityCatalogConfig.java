package io.sluice.catalog;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * How to reach a Unity Catalog: its base URI (without {@code /api/2.1/unity-catalog}) and the
 * bearer token sent with every request (the application fills it from its environment; never
 * write it into a file). HTTPS is required, except on a loopback address, where a local catalog
 * (the embedded server) may serve plain HTTP.
 */
public record UnityCatalogConfig(URI uri, String token) {
  public UnityCatalogConfig {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(token, "token");
    if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && isLoopback(uri))) {
      throw new IllegalArgumentException(
          "Unity Catalog URI " + uri + " must use https (plain http only on a loopback address)");
    }
  }

  private static boolean isLoopback(URI uri) {
    try {
      return uri.getHost() != null && InetAddress.getByName(uri.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "UnityCatalogConfig[uri=" + uri + ", token=***]";
  }
}
