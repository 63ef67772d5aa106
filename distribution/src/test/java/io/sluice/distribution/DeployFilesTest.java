package io.sluice.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.distribution.Installation.Result;
import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.CommandLineValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment examples of docs/deploy: the Kubernetes manifest and the systemd unit run
 * {@code sluice serve} as its contract says ({@code serve DIR --admin HOST:PORT --stop-timeout
 * DURATION}), and their probes, ports, timeouts and paths agree with one another.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of(System.getProperty("sluice.repository"), "docs", "deploy");
  private static final ConfigOption<Duration> STOP_TIMEOUT =
      ConfigOption.key("stop-timeout", OptionType.duration()).required()
          .doc("how long a stop waits for the pipelines' final checkpoints");

  @Test
  void kubernetesManifestRunsServeOnAVolumeWithProbesAndScrapingOnTheAdminPort() throws Exception {
    Map<String, JsonNode> byKind = new LinkedHashMap<>();
    for (JsonNode document : new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
        .<JsonNode>readValues(DEPLOY.resolve("kubernetes.yaml").toFile()).readAll()) {
      assertTrue(document.path("apiVersion").isTextual() && document.path("metadata").path("name").isTextual(),
          document::toString);
      assertEquals(null, byKind.put(document.path("kind").asText(), document), "one of each kind");
    }
    assertEquals(List.of("ConfigMap", "Secret", "Service", "StatefulSet"), List.copyOf(byKind.keySet()));
    JsonNode statefulSet = byKind.get("StatefulSet");
    JsonNode pod = statefulSet.path("spec").path("template");
    JsonNode container = pod.path("spec").path("containers").path(0);

    List<String> args = texts(container.path("args"));
    assertEquals("serve", args.get(0), args::toString);
    String pipelinesDir = args.get(1);
    int adminPort = port(valueOf(args, "--admin"));
    Duration stopTimeout = duration(valueOf(args, "--stop-timeout"));
    assertEquals(1, statefulSet.path("spec").path("replicas").asInt(), "one pod runs each pipeline");
    assertTrue(pod.path("spec").path("terminationGracePeriodSeconds").asLong() > stopTimeout.toSeconds(),
        "the grace period outlasts --stop-timeout");

    assertEquals(adminPort, containerPort(container, container.path("ports").path(0).path("name").asText()));
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      assertEquals(probe.equals("readinessProbe") ? "/readyz" : "/healthz", get.path("path").asText(), probe);
      assertEquals(adminPort, containerPort(container, get.path("port").asText()), probe);
    }

    JsonNode service = byKind.get("Service");
    assertEquals("ClusterIP", service.path("spec").path("type").asText());
    assertEquals(statefulSet.path("spec").path("serviceName").asText(), service.path("metadata").path("name").asText());
    assertTrue(matches(service.path("spec").path("selector"), pod.path("metadata").path("labels")),
        "the Service selects the pod");
    JsonNode servicePort = service.path("spec").path("ports").path(0);
    assertEquals(adminPort, containerPort(container, servicePort.path("targetPort").asText()));
    JsonNode annotations = service.path("metadata").path("annotations");
    assertEquals("true", annotations.path("prometheus.io/scrape").asText());
    assertEquals(String.valueOf(servicePort.path("port").asInt()), annotations.path("prometheus.io/port").asText());
    assertEquals("/metrics", annotations.path("prometheus.io/path").asText());

    // The tokens come from the Secret; the pipelines from the ConfigMap, mounted where serve reads.
    JsonNode secret = byKind.get("Secret");
    assertTrue(secret.path("stringData").has("SLUICE_ADMIN_TOKEN") && secret.path("stringData").has("UC_TOKEN"));
    assertEquals(secret.path("metadata").path("name").asText(),
        container.path("envFrom").path(0).path("secretRef").path("name").asText());
    JsonNode configMap = byKind.get("ConfigMap");
    assertEquals(configMap.path("metadata").path("name").asText(),
        volume(pod, mountedAt(container, pipelinesDir)).path("configMap").path("name").asText());

    // Checkpoints and state on the claim of each pod, which the working directory is.
    String claim = statefulSet.path("spec").path("volumeClaimTemplates").path(0).path("metadata").path("name").asText();
    String dataDir = container.path("workingDir").asText();
    assertEquals(claim, mountedAt(container, dataDir));
    Map<String, String> environment = new HashMap<>();
    container.path("env").forEach(variable -> environment.put(variable.path("name").asText(), variable.path("value").asText()));
    secret.path("stringData").fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
    assertTrue(configMap.path("data").size() > 0);
    configMap.path("data").fields().forEachRemaining(file -> {
      assertTrue(file.getKey().endsWith(".yaml"), file.getKey());
      PipelineConfig pipeline = new PipelineConfigLoader(environment::get).parse(file.getKey(), file.getValue().asText());
      assertTrue(pipeline.checkpoint().directory().startsWith(dataDir), () -> file.getKey() + ": checkpoints on the volume");
    });
  }

  @Test
  void systemdUnitRunsServeAsItsOwnUserAndOutlastsTheStopTimeout() throws Exception {
    Map<String, String> unit = service(Files.readAllLines(DEPLOY.resolve("sluice.service")));
    List<String> command = List.of(unit.get("ExecStart").split(" "));
    assertEquals(List.of("/opt/sluice/bin/sluice", "serve", "/etc/sluice/pipelines", "--admin", "127.0.0.1:8088"),
        command.subList(0, 5));
    Duration stopTimeout = duration(valueOf(command, "--stop-timeout"));
    assertTrue(duration(unit.get("TimeoutStopSec")).compareTo(stopTimeout) > 0, "TimeoutStopSec outlasts --stop-timeout");
    assertEquals("SIGTERM", unit.get("KillSignal"));
    assertEquals("on-failure", unit.get("Restart"));
    assertNotEquals("root", unit.getOrDefault("User", "root"));
    assertEquals("/var/lib/" + unit.get("StateDirectory"), unit.get("WorkingDirectory"));
    assertTrue(unit.containsKey("EnvironmentFile") && unit.containsKey("LimitNOFILE"), unit::toString);
    assertTrue(unit.get("Environment").matches("\"JAVA_OPTS=.*-Xmx\\w+.*\""), unit.get("Environment"));
  }

  @Test
  void systemdAnalyzeFindsNothingWrongWithTheUnit(@TempDir Path dir) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    // Installed as the unit expects, but under dir: verify checks that ExecStart's program exists.
    Path launcher = Files.createDirectories(dir.resolve("opt/sluice/bin")).resolve("sluice");
    Files.copy(Path.of(System.getProperty("sluice.repository"), "distribution/src/bin/sluice"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path unit = dir.resolve("sluice.service");
    Files.writeString(unit, Files.readString(DEPLOY.resolve("sluice.service")).replace("/opt/sluice/", dir + "/opt/sluice/"));

    Process verify = new ProcessBuilder(analyze.toString(), "verify", unit.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("verify.log").toFile()).start();
    Result result = Installation.await(verify, dir.resolve("verify.log"));

    // verify warns of unknown keys and bad values without failing: its output must not name the unit.
    assertEquals(0, result.exitCode(), result::output);
    assertTrue(result.output().lines().noneMatch(line -> line.contains("sluice")), result::output);
  }

  /** The [Service] section's settings; a key set twice keeps its last value. */
  private static Map<String, String> service(List<String> lines) {
    Map<String, String> settings = new HashMap<>();
    String section = "";
    for (String line : lines) {
      if (line.startsWith("[")) {
        section = line;
      } else if (section.equals("[Service]") && !line.isBlank() && !line.startsWith("#")) {
        int equals = line.indexOf('=');
        settings.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return settings;
  }

  private static Duration duration(String text) throws Exception {
    return CommandLineValue.converter(STOP_TIMEOUT).convert(text);
  }

  private static String valueOf(List<String> args, String flag) {
    int at = args.indexOf(flag);
    assertTrue(at >= 0 && at + 1 < args.size(), () -> flag + " in " + args);
    return args.get(at + 1);
  }

  private static int port(String hostAndPort) {
    return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
  }

  /** The port a probe or Service means by a port's name or number. */
  private static int containerPort(JsonNode container, String nameOrNumber) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(nameOrNumber) || port.path("containerPort").asText().equals(nameOrNumber)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port " + nameOrNumber);
  }

  /** The name of the volume mounted at {@code path}. */
  private static String mountedAt(JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        return mount.path("name").asText();
      }
    }
    throw new AssertionError("nothing mounted at " + path);
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode volume : pod.path("spec").path("volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    List<Boolean> matched = new ArrayList<>();
    selector.fields().forEachRemaining(entry -> matched.add(labels.path(entry.getKey()).asText().equals(entry.getValue().asText())));
    return !matched.isEmpty() && !matched.contains(false);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }
}
