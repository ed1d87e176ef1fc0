import CSQLite
import JSONDocument
import RegistryModel
import SchemaConfig

/// `--storage sqlite:PATH`: one file in WAL mode with `synchronous=FULL`, so a commit that
/// returned is on disk before the client sees its 200, and a SIGKILL loses nothing acknowledged.
final class SQLiteStore: RegistryStore, @unchecked Sendable {
    private var db: OpaquePointer?
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws(StoreError) {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw StoreError(description: "cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(db, 5000)
        try execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS schemas (id INTEGER PRIMARY KEY, type TEXT NOT NULL, text TEXT NOT NULL, refs TEXT NOT NULL, hash TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS versions (subject TEXT NOT NULL, version INTEGER NOT NULL, schema_id INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL, PRIMARY KEY (subject, version));
            CREATE TABLE IF NOT EXISTS configs (subject TEXT PRIMARY KEY, compatibility TEXT, policy TEXT);
            CREATE TABLE IF NOT EXISTS modes (subject TEXT PRIMARY KEY, mode TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """)
    }

    func close() {
        sqlite3_close(db)
        db = nil
    }

    func load() throws(StoreError) -> RegistryState {
        var state = RegistryState()
        try query("SELECT id, type, text, refs, hash FROM schemas") { row in
            let refs = (try? JSONDocument(parsing: row.text(3)))?.root.arrayValue ?? []
            let schema = StoredSchema(id: row.int(0), type: SchemaType(rawValue: row.text(1)) ?? .avro, text: row.text(2),
                                      references: refs.compactMap { try? SchemaReference(json: $0) }, hash: row.text(4))
            state.apply(.addSchema(schema))
        }
        try query("SELECT subject, version, schema_id, deleted FROM versions ORDER BY seq") { row in
            state.apply(.addVersion(subject: row.text(0), SubjectVersion(version: row.int(1), schemaID: row.int(2), deleted: row.int(3) != 0)))
        }
        try query("SELECT subject, compatibility, policy FROM configs") { row in
            state.configs[row.text(0)] = StoredConfig(compatibility: row.optionalText(1).flatMap(CompatibilityLevel.init(rawValue:)), policy: row.optionalText(2))
        }
        try query("SELECT subject, mode FROM modes") { row in state.modes[row.text(0)] = RegistryMode(rawValue: row.text(1)) }
        try query("SELECT value FROM meta WHERE key = 'next_id'") { row in state.apply(.setNextID(row.int(0))) }
        return state
    }

    func commit(_ changes: [StateChange]) throws(StoreError) {
        guard !changes.isEmpty else { return }
        try execute("BEGIN IMMEDIATE")
        do {
            for change in changes { try write(change) }
            try execute("COMMIT")
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    private func write(_ change: StateChange) throws(StoreError) {
        switch change {
        case .addSchema(let schema):
            let refs = JSONValue.array(schema.references.map(\.json)).compactText
            try run("INSERT INTO schemas (id, type, text, refs, hash) VALUES (?, ?, ?, ?, ?)", .int(schema.id), .text(schema.type.rawValue), .text(schema.text), .text(refs), .text(schema.hash))
            try run("INSERT INTO meta (key, value) VALUES ('next_id', ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)", .int(schema.id + 1))
        case .removeSchema(let id):
            try run("DELETE FROM schemas WHERE id = ?", .int(id))
        case .addVersion(let subject, let version):
            try run("INSERT INTO versions (subject, version, schema_id, deleted, seq) VALUES (?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM versions))",
                    .text(subject), .int(version.version), .int(version.schemaID), .int(version.deleted ? 1 : 0))
        case .markVersionDeleted(let subject, let version):
            try run("UPDATE versions SET deleted = 1 WHERE subject = ? AND version = ?", .text(subject), .int(version))
        case .removeVersion(let subject, let version):
            try run("DELETE FROM versions WHERE subject = ? AND version = ?", .text(subject), .int(version))
        case .setConfig(let subject, let config):
            if let config {
                try run("INSERT OR REPLACE INTO configs (subject, compatibility, policy) VALUES (?, ?, ?)",
                        .text(subject), config.compatibility.map { .text($0.rawValue) } ?? .null, config.policy.map { .text($0) } ?? .null)
            } else {
                try run("DELETE FROM configs WHERE subject = ?", .text(subject))
            }
        case .setMode(let subject, let mode):
            if let mode { try run("INSERT OR REPLACE INTO modes (subject, mode) VALUES (?, ?)", .text(subject), .text(mode.rawValue)) }
            else { try run("DELETE FROM modes WHERE subject = ?", .text(subject)) }
        case .setNextID(let id):
            try run("INSERT INTO meta (key, value) VALUES ('next_id', ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)", .int(id))
        }
    }

    // MARK: - SQLite plumbing

    private enum Value { case int(Int), text(String), null }

    private struct Row {
        let statement: OpaquePointer
        func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }
        func text(_ column: Int32) -> String { optionalText(column) ?? "" }
        func optionalText(_ column: Int32) -> String? {
            guard let pointer = sqlite3_column_text(statement, column) else { return nil }
            return String(cString: pointer)
        }
    }

    private func failure(_ what: String) -> StoreError {
        StoreError(description: "\(what): \(db.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")")
    }

    private func execute(_ sql: String) throws(StoreError) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure("SQLite") }
    }

    private func prepare(_ sql: String, _ values: [Value]) throws(StoreError) -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure("SQLite prepare") }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .int(let n): sqlite3_bind_int64(statement, position, Int64(n))
            case .text(let s): sqlite3_bind_text(statement, position, s, -1, Self.transient)
            case .null: sqlite3_bind_null(statement, position)
            }
        }
        return statement
    }

    private func run(_ sql: String, _ values: Value...) throws(StoreError) {
        let statement = try prepare(sql, values)
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw failure("SQLite write") }
    }

    private func query(_ sql: String, _ each: (Row) throws(StoreError) -> Void) throws(StoreError) {
        let statement = try prepare(sql, [])
        defer { sqlite3_finalize(statement) }
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw failure("SQLite read") }
            try each(Row(statement: statement))
        }
    }
}
