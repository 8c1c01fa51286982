using Cellar.Testing;

namespace Cellar.Databases.Tests.Postgres;

/// <summary>
/// A PostgreSQL database with the types that are hard to dump exactly: numeric (huge, NaN,
/// trailing zeros), bytea with every byte, json (kept as written) and jsonb, arrays with NULLs and
/// quotes, timestamptz with microseconds, odd text (tabs, newlines, backslashes, quotes, emoji,
/// combining marks; no NUL, which PostgreSQL text cannot hold), floats (-0, Infinity, NaN),
/// sequences at their current values, constraints, indexes, a view, a trigger with its function,
/// and a table whose name needs quoting.
/// </summary>
internal static class PostgresHardDatabase
{
    public const string Sql = """"
        CREATE TABLE hard (
          id bigserial PRIMARY KEY,
          n numeric(40,20), nbig numeric, b bytea, j json, jb jsonb, ia int[], ta text[],
          ts timestamptz, t text, f8 double precision, f4 real, u uuid UNIQUE, iv interval, bo boolean, d date, tm time, ip inet);
        INSERT INTO hard (n, nbig, b, j, jb, ia, ta, ts, t, f8, f4, u, iv, bo, d, tm, ip) VALUES
          (12345678901234567890.12345678901234567890, 'NaN', decode((SELECT string_agg(lpad(to_hex(g), 2, '0'), '' ORDER BY g) FROM generate_series(0, 255) g), 'hex'),
           '{"b": 1,   "a": [1, 2.50, "x"] }', '{"z": {"y": [null, true, 1.000]}, "a": "é"}', '{1,NULL,-3}', '{"a,b","c\"d",NULL,"","NULL"}',
           '2024-02-29 23:59:59.123456+05:30', E'tab\there\nnewline \\ backslash ''quote'' "dq" 😀 e\u0301 \u00A0', '-0', 'Infinity', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
           '1 year 2 mons 3 days 04:05:06.789012', true, '0001-01-01', '23:59:59.999999', '2001:db8::1/64'),
          (-0.00000000000000000001, 123456789012345678901234567890123456789012345678901234567890.000, '\x', 'null', '[]', '{}', '{}',
           '1970-01-01 00:00:00.000001+00', '', 'NaN', '-Infinity', NULL, '-1 days', false, '9999-12-31', '00:00:00', '127.0.0.1'),
          (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO hard (n, b, jb, ts, t, f8, u)
          SELECT g * 1.5, decode(md5(g::text), 'hex'), jsonb_build_object('g', g, 's', repeat('x', g % 50)),
                 timestamptz '2020-01-01 00:00:00+00' + g * interval '1.000001 second', 'row ' || g || E'\n' || repeat('é', g % 7), g / 7.0, md5(g::text)::uuid
          FROM generate_series(1, 3000) g;
        SELECT setval('hard_id_seq', 1000000);
        CREATE SEQUENCE counter START 7 INCREMENT 3;
        SELECT nextval('counter'), nextval('counter');
        CREATE SEQUENCE untouched;
        CREATE TABLE child (id serial PRIMARY KEY, hard_id bigint REFERENCES hard(id) ON DELETE CASCADE, note text CHECK (length(note) < 100) DEFAULT 'n');
        CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := NEW.note || '!'; RETURN NEW; END $$;
        CREATE TRIGGER child_shout BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION shout();
        INSERT INTO child (hard_id, note) SELECT id, 'c' || id FROM hard WHERE id % 10 = 0;
        CREATE INDEX hard_ts ON hard (ts DESC);
        CREATE INDEX hard_jb ON hard USING gin (jb);
        CREATE VIEW recent AS SELECT id, ts, t FROM hard WHERE ts > '2020-01-01';
        CREATE TABLE "Odd Table ""x""" ("Col ☃" text, k int);
        INSERT INTO "Odd Table ""x""" VALUES ('snow', 1), (E'line\r\nbreak', 2);
        CREATE SCHEMA other;
        CREATE TABLE other.empty (x int);
        """";

    public static Task CreateAsync(PostgresServer server, string database) => server.PsqlAsync(database, Sql);
}
