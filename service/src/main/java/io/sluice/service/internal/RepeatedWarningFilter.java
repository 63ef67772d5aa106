package io.sluice.service.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.spi.LocationAwareLogger;

/**
 * Shows each warning the Kafka clients repeat at most once a minute: the Kafka clients warn at
 * every failed attempt to connect to a broker, hundreds of times in an outage that Sluice reports
 * in its own words. The first occurrence shows; those within the next minute are held back; the
 * first one after it shows with the number held back since the previous one shown.
 *
 * <p>A warning is known by its logger and text without the client's prefix ({@code [Consumer
 * clientId=..., groupId=...]}): the pipeline's clients share one allowance per message and broker.
 * Installed as a logback turbo filter by {@code logback.xml}.
 */
public final class RepeatedWarningFilter extends TurboFilter {
  private static final String KAFKA_LOGGERS = "org.apache.kafka.";
  private static final long WINDOW_MILLIS = TimeUnit.MINUTES.toMillis(1);
  /** Warnings remembered at most, the least recently seen forgotten first. */
  private static final int REMEMBERED = 1_000;
  private static final Pattern CLIENT_PREFIX = Pattern.compile("^\\[[^\\]]*\\] ");
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final LongSupplier clockMillis;
  private final Map<String, Shown> lastShown =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Shown> eldest) {
          return size() > REMEMBERED;
        }
      };
  /** Set while this filter logs a warning again with its count, which must pass. */
  private final ThreadLocal<Boolean> relogging = ThreadLocal.withInitial(() -> false);

  public RepeatedWarningFilter() {
    this(System::currentTimeMillis);
  }

  RepeatedWarningFilter(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    if (format == null || level != Level.WARN || !logger.getName().startsWith(KAFKA_LOGGERS)
        || relogging.get()) {
      return FilterReply.NEUTRAL;
    }
    String key = logger.getName() + " " + CLIENT_PREFIX.matcher(format).replaceFirst("")
        + (params == null ? "" : Arrays.toString(params));
    long now = clockMillis.getAsLong();
    Shown previous;
    synchronized (lastShown) {
      previous = lastShown.get(key);
      if (previous != null && now - previous.atMillis < WINDOW_MILLIS) {
        previous.heldBack++;
        return FilterReply.DENY;
      }
      lastShown.put(key, new Shown(now));
    }
    if (previous == null || previous.heldBack == 0) {
      return FilterReply.NEUTRAL;
    }
    relogging.set(true);
    try {
      logger.log(marker, Logger.FQCN, LocationAwareLogger.WARN_INT, format + " [" + previous.heldBack
          + " more like this since " + CLOCK.format(Instant.ofEpochMilli(previous.atMillis))
          + " not shown]", params, t);
    } finally {
      relogging.set(false);
    }
    return FilterReply.DENY;
  }

  /** When a warning last showed, and how often it was held back since. */
  private static final class Shown {
    final long atMillis;
    int heldBack;

    Shown(long atMillis) {
      this.atMillis = atMillis;
    }
  }
}
