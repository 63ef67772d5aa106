package io.sluice.catalogserver.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.unitycatalog.client.model.CatalogInfo;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateStagingTable;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.DataSourceFormat;
import io.unitycatalog.client.model.DeltaCommit;
import io.unitycatalog.client.model.DeltaCommitInfo;
import io.unitycatalog.client.model.DeltaGetCommits;
import io.unitycatalog.client.model.DeltaGetCommitsResponse;
import io.unitycatalog.client.model.SchemaInfo;
import io.unitycatalog.client.model.StagingTableInfo;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.TableType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The catalog's state and Unity Catalog 0.6.0's rules for it, durable in one JSON file that is
 * replaced atomically (and fsynced) before any change is acknowledged, so a killed server loses
 * nothing it answered. Managed tables get their storage under {@code <dir>/tables/<id>}.
 *
 * <p>The commit rules follow UC's {@code DeltaCommitRepository} (unitycatalog/unitycatalog
 * {@code server/.../persist/DeltaCommitRepository.java} at v0.6.0): the first commit of a table
 * onboards it at any version; afterwards only {@code last + 1} is accepted (400 otherwise); a
 * version already taken is a 409 unless it is a replay of the same staged file name still tracked
 * (200, no change); at most 10 commits may be unbackfilled (429); a reported backfilled version
 * deletes the commits up to it but always keeps the newest one, marked backfilled, so the table
 * version survives. A taken version no longer tracked is a 409 (0.6.0 cannot tell a replay there).
 *
 * <p>One lock serializes every request, as UC serializes commits per table with a row lock.
 */
public final class CatalogStore {
  static final int MAX_UNBACKFILLED_COMMITS = 10;
  private static final String UC_TABLE_ID_PROPERTY = "io.unitycatalog.tableId";

  /** What is persisted. */
  record State(
      String metastoreId,
      Map<String, CatalogInfo> catalogs,
      Map<String, SchemaInfo> schemas,
      Map<String, TableInfo> tables,
      Map<String, StagingTableInfo> stagingTables,
      Map<String, List<StoredCommit>> commits) {}

  /** A ratified commit the catalog still tracks. */
  record StoredCommit(DeltaCommitInfo info, boolean backfilledLatest) {
    long version() {
      return info.getVersion();
    }
  }

  private final Path dir;
  private final Path stateFile;
  private final boolean createMissingNamespaces;
  private final ObjectMapper json;
  private final State state;

  public CatalogStore(Path dir, boolean createMissingNamespaces, ObjectMapper json) {
    this.dir = dir.toAbsolutePath();
    this.stateFile = stateFile(this.dir);
    this.createMissingNamespaces = createMissingNamespaces;
    this.json = json;
    try {
      Files.createDirectories(this.dir.resolve("tables"));
      if (Files.exists(stateFile)) {
        state = json.readValue(stateFile.toFile(), State.class);
      } else {
        state =
            new State(
                UUID.randomUUID().toString(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>());
        persist();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the catalog state in " + this.dir, e);
    }
  }

  /** Where the state of a catalog kept in {@code dir} lives. */
  public static Path stateFile(Path dir) {
    return dir.resolve("catalog-state.json");
  }

  public synchronized String metastoreId() {
    return state.metastoreId();
  }

  public synchronized CatalogInfo createCatalog(CreateCatalog request) {
    String name = required(request.getName(), "name");
    if (state.catalogs().containsKey(name)) {
      throw ApiError.alreadyExists("Catalog already exists: " + name);
    }
    CatalogInfo catalog = newCatalog(name, request.getComment());
    persist();
    return catalog;
  }

  public synchronized CatalogInfo getCatalog(String name) {
    CatalogInfo catalog = state.catalogs().get(name);
    if (catalog == null) {
      throw ApiError.notFound("Catalog not found: " + name);
    }
    return catalog;
  }

  public synchronized SchemaInfo createSchema(CreateSchema request) {
    String catalog = required(request.getCatalogName(), "catalog_name");
    String name = required(request.getName(), "name");
    getCatalog(catalog);
    String fullName = catalog + "." + name;
    if (state.schemas().containsKey(fullName)) {
      throw ApiError.alreadyExists("Schema already exists: " + fullName);
    }
    SchemaInfo schema = newSchema(catalog, name, request.getComment());
    persist();
    return schema;
  }

  public synchronized SchemaInfo getSchema(String fullName) {
    SchemaInfo schema = state.schemas().get(fullName);
    if (schema == null) {
      throw ApiError.notFound("Schema not found: " + fullName);
    }
    return schema;
  }

  public synchronized StagingTableInfo createStagingTable(CreateStagingTable request) {
    String catalog = required(request.getCatalogName(), "catalog_name");
    String schema = required(request.getSchemaName(), "schema_name");
    String name = required(request.getName(), "name");
    requireNamespace(catalog, schema);
    String fullName = catalog + "." + schema + "." + name;
    if (findTable(fullName) != null) {
      throw ApiError.alreadyExists("Table already exists: " + fullName);
    }
    String id = UUID.randomUUID().toString();
    Path location = dir.resolve("tables").resolve(id);
    try {
      Files.createDirectories(location);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StagingTableInfo staging =
        new StagingTableInfo()
            .id(id)
            .name(name)
            .catalogName(catalog)
            .schemaName(schema)
            .stagingLocation(location.toUri().toString());
    state.stagingTables().put(id, staging);
    persist();
    return staging;
  }

  /** Registers a managed Delta table created at a staging table's location (UC's finalize step). */
  public synchronized TableInfo createTable(CreateTable request) {
    String catalog = required(request.getCatalogName(), "catalog_name");
    String schema = required(request.getSchemaName(), "schema_name");
    String name = required(request.getName(), "name");
    if (request.getTableType() != TableType.MANAGED) {
      throw ApiError.invalid("This catalog only registers MANAGED tables, not " + request.getTableType());
    }
    if (request.getDataSourceFormat() != DataSourceFormat.DELTA) {
      throw ApiError.invalid("Managed tables must be DELTA, not " + request.getDataSourceFormat());
    }
    String location = required(request.getStorageLocation(), "storage_location");
    requireNamespace(catalog, schema);
    String fullName = catalog + "." + schema + "." + name;
    if (findTable(fullName) != null) {
      throw ApiError.alreadyExists("Table already exists: " + fullName);
    }
    StagingTableInfo staging =
        state.stagingTables().values().stream()
            .filter(s -> sameLocation(s.getStagingLocation(), location))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.invalid(
                        "storage_location " + location + " is not the location of a staging table"));
    Map<String, String> properties =
        request.getProperties() == null ? Map.of() : request.getProperties();
    if (!staging.getId().equals(properties.get(UC_TABLE_ID_PROPERTY))) {
      throw ApiError.invalid(
          "A managed table needs the property " + UC_TABLE_ID_PROPERTY + "=" + staging.getId());
    }
    long now = System.currentTimeMillis();
    TableInfo table =
        new TableInfo()
            .tableId(staging.getId())
            .name(name)
            .catalogName(catalog)
            .schemaName(schema)
            .tableType(TableType.MANAGED)
            .dataSourceFormat(DataSourceFormat.DELTA)
            .columns(request.getColumns())
            .storageLocation(staging.getStagingLocation())
            .comment(request.getComment())
            .properties(new LinkedHashMap<>(properties))
            .createdAt(now)
            .updatedAt(now);
    state.stagingTables().remove(staging.getId());
    state.tables().put(table.getTableId(), table);
    persist();
    return table;
  }

  public synchronized TableInfo getTable(String fullName) {
    if (fullName.split("\\.", -1).length != 3) {
      throw ApiError.invalid("A table name has three parts (catalog.schema.table): " + fullName);
    }
    TableInfo table = findTable(fullName);
    if (table == null) {
      throw ApiError.notFound("Table not found: " + fullName);
    }
    return table;
  }

  public synchronized DeltaGetCommitsResponse getCommits(DeltaGetCommits request) {
    String tableId = required(request.getTableId(), "table_id");
    Long start = request.getStartVersion();
    if (start == null || start < 0) {
      throw ApiError.invalid("Field must be >=0: start_version");
    }
    Long end = request.getEndVersion();
    if (end != null && end < start) {
      throw ApiError.invalid("end_version must be >=start_version if set");
    }
    managedTable(tableId);
    List<StoredCommit> log = state.commits().getOrDefault(tableId, List.of());
    if (log.isEmpty()) {
      return new DeltaGetCommitsResponse().commits(new ArrayList<>()).latestTableVersion(0L);
    }
    StoredCommit newest = log.get(log.size() - 1);
    long oldest = log.get(0).version();
    long pageEnd = Math.max(start, oldest) + MAX_UNBACKFILLED_COMMITS - 1;
    long last = Math.min(end == null ? Long.MAX_VALUE : end, pageEnd);
    List<DeltaCommitInfo> commits =
        log.stream()
            .filter(c -> !c.backfilledLatest() && c.version() >= start && c.version() <= last)
            .sorted(Comparator.comparingLong(StoredCommit::version).reversed())
            .map(StoredCommit::info)
            .toList();
    return new DeltaGetCommitsResponse()
        .commits(new ArrayList<>(commits))
        .latestTableVersion(newest.version());
  }

  /** Ratifies a commit and/or records a backfill, by UC 0.6.0's rules (see the class comment). */
  public synchronized void commit(DeltaCommit request) {
    String tableId = required(request.getTableId(), "table_id");
    String tableUri = required(request.getTableUri(), "table_uri");
    DeltaCommitInfo info = request.getCommitInfo();
    Long backfilled = request.getLatestBackfilledVersion();
    if (info == null && backfilled == null) {
      throw ApiError.invalid("A commit needs commit_info or latest_backfilled_version");
    }
    TableInfo table = managedTable(tableId);
    if (!sameLocation(tableUri, table.getStorageLocation())) {
      throw ApiError.invalid(
          "table_uri " + tableUri + " does not match the table's location " + table.getStorageLocation());
    }
    if (info != null) {
      validate(info);
    }
    List<StoredCommit> log = state.commits().computeIfAbsent(tableId, k -> new ArrayList<>());
    if (log.isEmpty()) {
      if (info == null) {
        throw ApiError.invalid("Backfill request requires a prior commit; the table's commit log is empty.");
      }
      log.add(new StoredCommit(info, false)); // onboarding commit
      persist();
      return;
    }
    StoredCommit first = log.get(0);
    StoredCommit last = log.get(log.size() - 1);
    if (info == null) {
      if (backfilled > last.version()) {
        throw ApiError.invalid(
            "Should not backfill version " + backfilled + " while the last version committed is "
                + last.version());
      }
      backfill(log, backfilled, last.version(), false);
      persist();
      return;
    }
    long version = info.getVersion();
    if (version <= last.version()) {
      boolean replay =
          log.stream()
              .anyMatch(c -> c.version() == version && c.info().getFileName().equals(info.getFileName()));
      if (replay) {
        return; // idempotent: the client lost our answer and resent the same staged file
      }
      throw new ApiError(
          409,
          "COMMIT_VERSION_CONFLICT",
          "Commit version already accepted. Current table version is " + last.version());
    }
    if (version > last.version() + 1) {
      throw ApiError.invalid(
          "Commit version must be the next version after the latest commit "
              + last.version() + ", but got " + version);
    }
    if (backfilled != null && backfilled > last.version()) {
      throw ApiError.invalid(
          "Latest backfilled version " + backfilled
              + " cannot be greater than the last commit version = " + last.version());
    }
    long effectiveBackfilled;
    if (last.backfilledLatest()) {
      effectiveBackfilled = last.version();
    } else if (backfilled != null && backfilled >= first.version()) {
      effectiveBackfilled = backfilled;
    } else if (first.backfilledLatest()) {
      effectiveBackfilled = first.version();
    } else {
      effectiveBackfilled = first.version() - 1;
    }
    if (version - effectiveBackfilled > MAX_UNBACKFILLED_COMMITS) {
      throw new ApiError(429, "RESOURCE_EXHAUSTED", "Max number of commits per table reached: " + tableId);
    }
    log.add(new StoredCommit(info, false));
    if (backfilled != null) {
      backfill(log, backfilled, last.version(), true);
    }
    persist();
  }

  /**
   * Forgets the commits up to {@code backfilled}, never the newest one: a backfill-only request
   * that reaches it marks it backfilled instead.
   */
  private static void backfill(
      List<StoredCommit> log, long backfilled, long lastBefore, boolean withNewCommit) {
    long newest = log.get(log.size() - 1).version();
    long deleteUpTo = Math.min(backfilled, newest - 1);
    if (!withNewCommit && backfilled == lastBefore) {
      StoredCommit last = log.remove(log.size() - 1);
      log.add(new StoredCommit(last.info(), true));
    }
    log.removeIf(c -> c.version() <= deleteUpTo);
  }

  private static void validate(DeltaCommitInfo info) {
    if (info.getVersion() == null || info.getVersion() < 0) {
      throw ApiError.invalid("Field must be >=0: commit_info.version");
    }
    required(info.getFileName(), "commit_info.file_name");
    if (info.getTimestamp() == null
        || info.getFileSize() == null
        || info.getFileModificationTimestamp() == null) {
      throw ApiError.invalid(
          "commit_info needs timestamp, file_size and file_modification_timestamp");
    }
  }

  private TableInfo managedTable(String tableId) {
    TableInfo table = state.tables().get(tableId);
    if (table == null) {
      throw new ApiError(404, "TABLE_NOT_FOUND", "Table not found: " + tableId);
    }
    if (table.getTableType() != TableType.MANAGED
        || table.getDataSourceFormat() != DataSourceFormat.DELTA) {
      throw ApiError.invalid("Only managed Delta tables take commits: " + tableId);
    }
    return table;
  }

  private void requireNamespace(String catalog, String schema) {
    String schemaName = catalog + "." + schema;
    if (!state.catalogs().containsKey(catalog)) {
      if (!createMissingNamespaces) {
        throw ApiError.notFound("Catalog not found: " + catalog);
      }
      newCatalog(catalog, "created on first use");
    }
    if (!state.schemas().containsKey(schemaName)) {
      if (!createMissingNamespaces) {
        throw ApiError.notFound("Schema not found: " + schemaName);
      }
      newSchema(catalog, schema, "created on first use");
    }
  }

  private CatalogInfo newCatalog(String name, String comment) {
    CatalogInfo catalog =
        new CatalogInfo()
            .name(name)
            .comment(comment)
            .id(UUID.randomUUID().toString())
            .createdAt(System.currentTimeMillis());
    state.catalogs().put(name, catalog);
    return catalog;
  }

  private SchemaInfo newSchema(String catalog, String name, String comment) {
    SchemaInfo schema =
        new SchemaInfo()
            .name(name)
            .catalogName(catalog)
            .fullName(catalog + "." + name)
            .comment(comment)
            .schemaId(UUID.randomUUID().toString())
            .createdAt(System.currentTimeMillis());
    state.schemas().put(schema.getFullName(), schema);
    return schema;
  }

  private TableInfo findTable(String fullName) {
    for (TableInfo t : state.tables().values()) {
      if (fullName.equals(t.getCatalogName() + "." + t.getSchemaName() + "." + t.getName())) {
        return t;
      }
    }
    return null;
  }

  /** Locations compare as normalized URIs; {@code file:/x} and {@code file:///x} are the same. */
  static boolean sameLocation(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  private static String normalize(String location) {
    URI uri = URI.create(location).normalize();
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    String authority = uri.getAuthority() == null ? "" : uri.getAuthority();
    return Objects.toString(uri.getScheme(), "file") + "://" + authority + path;
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ApiError.invalid("Field can not be null: " + field);
    }
    return value;
  }

  private void persist() {
    Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        out.write(java.nio.ByteBuffer.wrap(json.writeValueAsBytes(state)));
        out.force(true);
      }
      try {
        Files.move(temp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING);
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        // directory sync is not supported everywhere; the rename itself is atomic
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist the catalog state to " + stateFile, e);
    }
  }
}
