package io.sluice.service.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address of an embedded service (the broker's {@code host:port}, the catalog server's URI),
 * kept in a file of its data directory while a process runs it, so that other processes on the
 * same directory use that service rather than start a second one on it.
 */
final class ServiceAddressFile {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAddressFile.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

  private final Path directory;
  private final Path file;

  ServiceAddressFile(Path directory, String name) {
    this.directory = directory;
    this.file = directory.resolve(name);
  }

  Path directory() {
    return directory;
  }

  /**
   * The address written by the process that runs the service, if the file names one and it
   * accepts connections; a file left by a process that died names an address nobody listens on.
   */
  Optional<String> runningAddress() throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String address = Files.readString(file, StandardCharsets.UTF_8).strip();
    return accepts(address) ? Optional.of(address) : Optional.empty();
  }

  /** Names {@code address} as the running service's, atomically for readers. */
  void write(String address) throws IOException {
    Path written = Files.writeString(
        directory.resolve(file.getFileName() + ".tmp"), address, StandardCharsets.UTF_8);
    Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the address once the service stops. */
  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", file, e.toString());
    }
  }

  private static boolean accepts(String address) {
    URI uri = URI.create(address.contains("://") ? address : "tcp://" + address);
    if (uri.getHost() == null || uri.getPort() < 0) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
