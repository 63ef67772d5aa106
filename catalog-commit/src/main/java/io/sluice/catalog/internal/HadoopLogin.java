package io.sluice.catalog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's login takes the name of the operating system's user, which a UID without an entry in
 * {@code /etc/passwd} does not have (a container's arbitrary {@code runAsUser}): every file system
 * call would then fail with "Invalid UID, could not determine effective user". Such a process logs
 * in as the user {@code HADOOP_USER_NAME} names, else {@code uid-<UID>}; Hadoop uses the name for
 * HDFS permissions only, which local files and object stores do not check.
 */
public final class HadoopLogin {
  private static final Logger LOG = LoggerFactory.getLogger(HadoopLogin.class);
  private static boolean checked;

  private HadoopLogin() {}

  /** Makes sure Hadoop has a login user; once per process. */
  public static synchronized void ensureLoginUser() {
    if (checked) {
      return;
    }
    checked = true;
    try {
      UserGroupInformation.getLoginUser();
    } catch (IOException noUserName) {
      String name = System.getenv("HADOOP_USER_NAME");
      if (name == null || name.isBlank()) {
        name = "uid-" + uid();
      }
      LOG.info("Hadoop cannot name this process's user ({}); its file systems see it as '{}'",
          noUserName.getMessage(), name);
      UserGroupInformation.setLoginUser(UserGroupInformation.createRemoteUser(name));
    }
  }

  private static String uid() {
    try {
      return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "unknown";
    }
  }
}
